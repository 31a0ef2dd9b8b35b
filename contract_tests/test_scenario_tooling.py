"""The scenario tooling QA touches: listing in three formats, running by name, JUnit that counts
invalid files, the HTML report's index and filter, the published schema, and the step docs."""
from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from contract_tests.browser import chromium_context
from sandbox.scenarios.loader import SCHEMA

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yml"))
LONG_NAME = "a-scenario-whose-name-is-long-enough-that-an-eighty-column-table-would-cut-it"
PASSING = """name: quick-pass
tags: [tooling]
steps:
  - create_user: {}
"""
FAILING = """name: quick-fail
tags: [tooling]
target: sandbox_only
steps:
  - create_user: {}
  - create_member: {institution: mxbank, credentials: {LOGIN: mxuser, PASSWORD: LOCKED}}
  - wait_for: {connection_status: CONNECTED, timeout: 90}
"""


def cli(*args: str, columns: int = 400) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sandbox.cli", "scenarios", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, "COLUMNS": str(columns)})


def sandbox_url(mx_target) -> str:
    if mx_target.kind != "sandbox":
        pytest.skip("drives the scenario CLI against the sandbox subprocess")
    return mx_target.base_url


def test_table_never_cuts_names_at_80_columns(tmp_path):
    (tmp_path / "long.yml").write_text(f"name: {LONG_NAME}\ndescription: {'words ' * 30}\nsteps:\n  - create_user: {{}}\n")
    run = cli("list", str(tmp_path), columns=80)
    assert run.returncode == 0, run.stderr
    assert LONG_NAME in run.stdout


def test_plain_and_json_list_every_shipped_scenario():
    plain = cli("list", "--format", "plain")
    names = [line.split("\t")[0] for line in plain.stdout.splitlines()]
    assert plain.returncode == 0 and len(names) == len(SHIPPED)
    listed = json.loads(cli("list", "--format", "json").stdout)
    assert [s["name"] for s in listed["scenarios"]] == names and listed["invalid"] == []
    oauth = next(s for s in listed["scenarios"] if s["name"] == "oauth-deny")
    assert oauth["path"].endswith("oauth-deny.yml") and oauth["steps"] >= 1 and "oauth" in oauth["tags"]


def test_json_list_names_invalid_files_and_exits_nonzero(tmp_path):
    (tmp_path / "bad.yml").write_text("name: x\nsteps:\n  - teleport: {}\n")
    run = cli("list", "--format", "json", str(tmp_path))
    assert run.returncode == 1
    assert json.loads(run.stdout)["invalid"][0].startswith(f"{tmp_path / 'bad.yml'}:3:")


@pytest.mark.sandbox_only
def test_run_by_name_and_unknown_names(mx_target):
    url = sandbox_url(mx_target)
    ok = cli("run", "mxbank-connected", "--target", url)
    assert ok.returncode == 0 and "PASS mxbank-connected" in ok.stdout, ok.stdout
    typo = cli("run", "mxbank-conected", "--target", url)
    assert typo.returncode == 2 and "did you mean mxbank-connected" in typo.stdout, typo.stdout


@pytest.mark.sandbox_only
def test_junit_counts_invalid_files_as_failures(tmp_path, mx_target):
    url = sandbox_url(mx_target)
    (tmp_path / "ok.yml").write_text(PASSING)
    (tmp_path / "bad.yml").write_text("name: x\nsteps:\n  - teleport: {}\n")
    junit = tmp_path / "out.xml"
    run = cli("run", str(tmp_path), "--target", url, "--junit", str(junit))
    assert run.returncode == 1
    suite = ET.parse(junit).getroot()
    assert (suite.attrib["tests"], suite.attrib["failures"]) == ("2", "1")
    bad = suite.find("testcase[@name='bad.yml']/failure")
    assert bad is not None and "bad.yml:3" in bad.text and "teleport" in bad.text


@pytest.fixture(scope="module")
def report(tmp_path_factory, mx_target) -> tuple[Path, str]:
    url = sandbox_url(mx_target)
    folder = tmp_path_factory.mktemp("report")
    (folder / "a-pass.yml").write_text(PASSING)
    (folder / "b-fail.yml").write_text(FAILING)
    out = folder / "report.html"
    run = cli("run", str(folder), "--target", url, "--report", str(out))
    assert run.returncode == 1
    return out, run.stdout


@pytest.mark.sandbox_only
def test_failure_messages_carry_units(report):
    assert "did not reach the state within 1 min 30 s" in " ".join(report[1].split())


@pytest.mark.sandbox_only
def test_report_index_lists_failures_first_and_folds_passes(report):
    html = report[0].read_text()
    index = html[html.index('<table id="index">'):html.index("</table>")]
    assert index.index("quick-fail") < index.index("quick-pass")
    assert re.search(r'<section class="s fail"[^>]*><details open>', html)
    assert re.search(r'<section class="s pass"[^>]*><details>', html)


@pytest.mark.sandbox_only
def test_report_filter_box_narrows_the_index(report):
    with contextlib.contextmanager(chromium_context)() as context:
        page = context.new_page()
        page.goto(report[0].as_uri())
        page.get_by_label("Filter by name or tag").fill("quick-p")
        assert page.locator("#index tbody tr:visible").all_inner_texts()[0].count("quick-pass") == 1
        assert page.locator("#index tbody tr:visible").count() == 1
        assert page.locator("section.fail").is_hidden()
        page.get_by_label("Filter by name or tag").fill("tooling")
        assert page.locator("#index tbody tr:visible").count() == 2


def test_published_schema_matches_the_loader_and_every_file_points_at_it():
    printed = json.loads(cli("schema").stdout)
    assert printed == SCHEMA == json.loads((ROOT / "docs" / "scenario.schema.json").read_text())
    for path in SHIPPED:
        assert path.read_text().startswith("# yaml-language-server: $schema=../docs/scenario.schema.json\n"), path


def test_every_step_the_schema_accepts_is_documented():
    documented = (ROOT / "docs" / "scenarios.md").read_text()
    steps = [s for s in SCHEMA["definitions"]["step"]["propertyNames"]["enum"] if s not in ("expect", "as")]
    assert [s for s in steps if f"`{s}`" not in documented] == []
