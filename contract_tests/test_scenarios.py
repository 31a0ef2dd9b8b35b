"""Every shipped scenario file runs green; the runner's failure, validation and report paths work."""
from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contract_tests.harness import Target as SuiteTarget
from sandbox.scenarios.loader import ScenarioError, discover, load
from sandbox.scenarios.runner import Target, run_scenario
from sandbox.scenarios.report import failure_text

ROOT = Path(__file__).resolve().parents[1]
# rich wraps at 80 columns without a terminal, which splits the long tmp paths of xdist workers
# (".../popen-gw2/...") mid-token; a wide console keeps file:line references whole.
WIDE = {**os.environ, "COLUMNS": "400"}
SCENARIOS = discover([ROOT / "scenarios"])


def runner_target(mx_target: SuiteTarget) -> Target:
    if mx_target.kind == "int-api":
        return Target(mx_target.base_url, is_sandbox=False, client_id=mx_target.client_id, api_key=mx_target.api_key)
    if mx_target.kind == "inprocess":
        from contract_tests.harness import new_client

        return Target(mx_target.base_url, make_client=lambda auth: new_client(mx_target, auth[0], auth[1]))
    return Target(mx_target.base_url)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path, mx_target, request):
    scenario = load(path)
    if scenario.sandbox_only and mx_target.kind == "int-api":
        pytest.skip("sandbox_only scenario")
    result = run_scenario(scenario, runner_target(mx_target))
    assert result.passed, failure_text(result)


def test_at_least_twenty_scenarios_ship():
    assert len(SCENARIOS) >= 20, [p.name for p in SCENARIOS]


BROKEN = """name: broken-on-purpose
description: expects the wrong status
target: portable
steps:
  - create_user: {}
  - create_member: {institution: mxbank, credentials: {LOGIN: mxuser, PASSWORD: LOCKED}}
  - wait_for: {connection_status: CONNECTED, timeout: 20s}
"""


@pytest.mark.sandbox_only
def test_cli_reports_the_failing_step_and_exits_nonzero(tmp_path, mx_target):
    if mx_target.kind != "sandbox":
        pytest.skip("drives the CLI against the sandbox subprocess")
    (tmp_path / "broken.yml").write_text(BROKEN)
    junit, report = tmp_path / "out.xml", tmp_path / "out.html"
    run = subprocess.run([sys.executable, "-m", "sandbox.cli", "scenarios", "run", str(tmp_path / "broken.yml"),
                          "--target", mx_target.base_url, "--junit", str(junit), "--report", str(report)],
                         capture_output=True, text=True, timeout=120, cwd=ROOT, env=WIDE)
    assert run.returncode == 1, run.stdout + run.stderr
    out = " ".join(run.stdout.split())
    assert "FAIL broken-on-purpose" in out
    assert "step 3 (wait_for" in out and "broken.yml:7" in out
    assert '"connection_status": "CONNECTED"' in out and '"connection_status": "LOCKED"' in out  # expected vs actual
    assert "CREATED → LOCKED" in out  # the timeline
    suite = ET.parse(junit).getroot()
    assert suite.attrib["tests"] == "1" and suite.attrib["failures"] == "1"
    assert "wait_for" in suite.find("testcase/failure").text
    html = report.read_text()
    assert "broken-on-purpose — FAILED" in html and "CREATED → LOCKED" in html


@pytest.mark.parametrize("text, line, words", [
    ("name: x\nsteps:\n  - create_user: {}\n  - teleport: {}\n", 4, "teleport"),
    ("name: x\nsteps:\n  - create_member: {credentials: {}}\n", 3, "institution"),
    ("name: x\nsteps: [\n", 3, ""),
    ("name: x\ntarget: portable\nsteps:\n  - create_user: {}\n  - advance_clock: 2d\n", 5, "sandbox_only"),
    ("name: Bad Name\nsteps:\n  - create_user: {}\n", 1, "does not match"),
    ("name: x\nsteps:\n  - create_user: {}\n    aggregate: {}\n", 3, "exactly one action"),
])
def test_malformed_files_get_line_numbered_errors(tmp_path, text, line, words):
    path = tmp_path / "bad.yml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}:{line}:"), str(caught.value)
    assert words in str(caught.value)


def test_cli_list_rejects_malformed_files(tmp_path):
    (tmp_path / "bad.yml").write_text("name: x\nsteps:\n  - teleport: {}\n")
    run = subprocess.run([sys.executable, "-m", "sandbox.cli", "scenarios", "list", str(tmp_path)],
                         capture_output=True, text=True, timeout=60, cwd=ROOT, env=WIDE)
    assert run.returncode == 1 and "bad.yml:3" in " ".join(run.stdout.split())


def test_scenario_credentials_are_scripted_behaviour(mx):
    """`scenario:<name>` usernames follow that scenario's behavior block, through the plain API too."""
    from contract_tests.journeys import connected, credentials_for, create_member, wait_for

    if not mx.target.is_sandbox:
        pytest.skip("scripted behaviour is the sandbox's")
    mx.freeze(now="2026-02-01T00:00:00Z")
    user = mx.create_user()
    creds = credentials_for(mx, "mxbank", LOGIN="scenario:later-life-degraded", PASSWORD="x")
    member = create_member(mx, user["guid"], "mxbank", creds)
    wait_for(mx, user["guid"], member["guid"], connected)
    mx.advance(2 * 86400)
    r = mx.get(f"/users/{user['guid']}/members/{member['guid']}/status")
    assert r.json()["member"]["connection_status"] == "DEGRADED"
