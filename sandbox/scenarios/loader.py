"""Load and validate scenario files; every error names the file and line."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from ..core.yamlfile import node_line

SCHEMA = yaml.safe_load((Path(__file__).parent / "schema.yml").read_text())
WEBHOOK_STEPS = {"expect_webhook", "webhook_receiver_fails"}
SANDBOX_ONLY_STEPS = {"advance_clock", "force_status", "widget", "oauth", "expect_events", *WEBHOOK_STEPS,
                      "processor_hand_off", "processor_request", "revoke_token"}


def _needs_sandbox(kind: str, args: Any) -> bool:
    """Steps that use the control API (reading secret amounts counts)."""
    if kind == "verify_microdeposit":
        return not isinstance(args, dict) or args.get("amounts", "correct") == "correct"
    return kind in SANDBOX_ONLY_STEPS


class ScenarioError(Exception):
    """A malformed scenario file: `path:line: message`."""


@dataclass
class Scenario:
    path: Path
    name: str
    description: str
    tags: list[str]
    target: str  # portable | sandbox_only
    start: str
    steps: list[dict[str, Any]]
    step_lines: list[int] = field(default_factory=list)
    has_behavior: bool = False

    @property
    def sandbox_only(self) -> bool:
        return self.target == "sandbox_only"

    @property
    def uses_webhooks(self) -> bool:
        return any(kind in WEBHOOK_STEPS for step in self.steps for kind in step)


def load(path: Path) -> Scenario:
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"{path}:1: cannot read the file ({error.__class__.__name__})") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        raise ScenarioError(f"{path}:{line}: {error.problem or error}") from None
    if node is None or not isinstance(data, dict):
        raise ScenarioError(f"{path}:1: a scenario is a mapping with name and steps")
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        line = node_line(node, list(best.absolute_path))
        where = "/".join(str(p) for p in best.absolute_path) or "(top)"
        raise ScenarioError(f"{path}:{line}: {where}: {best.message}")
    steps = data["steps"]
    target = data.get("target", "portable")
    step_lines = [node_line(node, ["steps", i]) for i in range(len(steps))]
    for index, step in enumerate(steps):
        kinds = [k for k in step if k not in ("expect", "as")]
        if len(kinds) != 1:
            raise ScenarioError(f"{path}:{step_lines[index]}: each step names exactly one action, got {kinds or 'none'}")
        if target == "portable" and _needs_sandbox(kinds[0], step[kinds[0]]):
            raise ScenarioError(f"{path}:{step_lines[index]}: {kinds[0]} needs the sandbox; mark the scenario `target: sandbox_only`")
    if target == "portable" and "behavior" in data:
        raise ScenarioError(f"{path}:{node_line(node, ['behavior'])}: a scripted behavior needs `target: sandbox_only`")
    return Scenario(
        path=path,
        name=data["name"],
        description=data.get("description", ""),
        tags=list(data.get("tags", [])),
        target=target,
        start=data.get("start", "2026-01-05T09:00:00Z"),
        steps=steps,
        step_lines=step_lines,
        has_behavior="behavior" in data,
    )


def discover(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.rglob("*.yml")) if path.is_dir() else [path])
    return found
