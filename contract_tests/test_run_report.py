"""A failing test's report carries its tenant's `/_sandbox/events` timeline, so a broken journey can
be read step by step; passing tests carry nothing. Runs a small inner suite with pytester."""
from __future__ import annotations

from pathlib import Path

import pytest

from contract_tests.harness import Target

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.sandbox_only, pytest.mark.subprocess_run]

INNER_TESTS = """
import httpx

def test_journey_with_mx_fails(mx):
    mx.create_user(id="report-me")
    mx.get("/institutions/mxbank")
    assert mx.get("/users").json()["users"] == [], "deliberate failure"

def test_journey_with_plugin_fixture_fails(mx_sandbox):
    with httpx.Client(base_url=mx_sandbox.url, auth=mx_sandbox.auth) as http:
        http.get("/users/USR-nobody", headers={"Accept-Version": "v20250224"})
    assert False, "deliberate failure"

def test_passing_journey(mx):
    mx.create_user(id="quiet")
"""


def test_failing_tests_get_the_events_timeline(pytester: pytest.Pytester, mx_target: Target, monkeypatch) -> None:
    if mx_target.kind not in ("sandbox", "url"):
        pytest.skip("the inner run needs a sandbox URL to share")
    pytester.makeconftest((ROOT / "conftest.py").read_text())
    pytester.makepyfile(test_inner=INNER_TESTS)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    result = pytester.runpytest_subprocess("--mx-target", mx_target.base_url, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    assert out.count("- mx-sandbox events -") == 2, out
    result.stdout.fnmatch_lines([
        "*test_journey_with_mx_fails*",
        "*- mx-sandbox events -*",
        "*Z  api     POST /users  {\"status\":200}",
        "*Z  api     GET /institutions/mxbank  {\"status\":200}",
        "*Z  api     GET /users  {\"status\":200}",
        "*test_journey_with_plugin_fixture_fails*",
        "*- mx-sandbox events -*",
        "*Z  api     GET /users/USR-nobody  {\"status\":404}",
    ])
