"""Scenario steps about webhooks: the runner's own loopback receiver, clear failures, valid files."""
from __future__ import annotations

import pytest

from contract_tests.test_scenarios import runner_target
from sandbox.scenarios.loader import ScenarioError, load
from sandbox.scenarios.report import failure_text
from sandbox.scenarios.runner import run_scenario

pytestmark = pytest.mark.sandbox_only

WRONG = """name: expects-a-webhook-that-never-comes
target: sandbox_only
steps:
  - create_user: {}
  - create_member: {institution: mxbank, credentials: {LOGIN: mxuser, PASSWORD: password}}
  - wait_for: {connection_status: CONNECTED, is_being_aggregated: false}
  - expect_webhook: {type: CONNECTION_STATUS, timeout: 0.5s}
"""

NEVER_ACKED = """name: receiver-always-fails
target: sandbox_only
steps:
  - webhook_receiver_fails: {times: 1000, status: 503}
  - create_user: {}
  - create_member: {institution: mxbank, credentials: {LOGIN: mxuser, PASSWORD: password}}
  - advance_clock: 2d
  - expect_webhook: {type: MEMBER, timeout: 1s}
"""


def run_text(tmp_path, mx_target, text):
    if not mx_target.is_sandbox:
        pytest.skip("webhook steps need the sandbox")
    path = tmp_path / "s.yml"
    path.write_text(text)
    return run_scenario(load(path), runner_target(mx_target))


def test_a_missing_webhook_fails_the_step_with_what_arrived(tmp_path, mx_target):
    result = run_text(tmp_path, mx_target, WRONG)
    assert not result.passed
    failure = result.failure
    assert failure.name == "expect_webhook" and "no CONNECTION_STATUS webhook" in failure.message
    assert failure.expected["type"] == "CONNECTION_STATUS"
    assert "expect_webhook" in failure_text(result)


def test_a_receiver_that_always_fails_receives_nothing(tmp_path, mx_target):
    result = run_text(tmp_path, mx_target, NEVER_ACKED)
    assert not result.passed and result.failure.name == "expect_webhook"
    attempts = [e for e in result.events if e["kind"] == "webhook" and e["type"] == "MEMBER"]
    assert attempts and {e["data"]["status"] for e in attempts} == {503}


@pytest.mark.parametrize("target, step, words", [
    ("portable", "expect_webhook: {type: MEMBER}", "sandbox_only"),
    ("portable", "webhook_receiver_fails: {times: 2}", "sandbox_only"),
    ("sandbox_only", "expect_webhook: {type: NOPE}", "NOPE"),
    ("sandbox_only", "expect_webhook: {member: x}", "type"),
    ("sandbox_only", "webhook_receiver_fails: {status: 500}", "times"),
    ("sandbox_only", "webhook_receiver_fails: {times: 1, status: 200}", "200"),
])
def test_malformed_or_portable_webhook_steps_are_refused(tmp_path, target, step, words):
    path = tmp_path / "m.yml"
    path.write_text(f"name: m\ntarget: {target}\nsteps:\n  - create_user: {{}}\n  - {step}\n")
    with pytest.raises(ScenarioError, match=words):
        load(path)
