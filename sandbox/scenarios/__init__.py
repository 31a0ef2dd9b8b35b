"""Scenario files: journeys QA writes as YAML, validated, run against any target, reported."""
