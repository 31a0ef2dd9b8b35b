"""The plugin from a separate, throwaway project: a fresh venv that installs this repo with the
`pytest` extra (and nothing else: no xdist, no test extra), then runs a tiny suite that uses
`mx_sandbox` and `mx_httpx_mock` through the pytest11 entry point. Takes about 10-30 s.

The venv does not reuse this one's site-packages, so a dependency missing from pyproject fails here.
"""
from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.subprocess_run

# The same app code as README's "Use it from your own tests".
APP = '''
import httpx

def bank_summary(client_id, api_key, base_url="https://int-api.mx.com"):
    """An app's own MX code: the users it created and the banks named like MX Bank."""
    with httpx.Client(base_url=base_url, auth=(client_id, api_key),
                      headers={"Accept-Version": "v20250224"}) as mx:
        users = mx.get("/users").json()["users"]
        banks = mx.get("/institutions", params={"name": "mx bank"}).json()["institutions"]
    return {"users": [u["id"] for u in users], "banks": sorted(b["code"] for b in banks)}
'''

TESTS = '''
import httpx
import pytest
from app import bank_summary

def test_in_process(mx_httpx_mock):
    assert bank_summary("my-client", "my-key") == {"users": [], "banks": ["mx_bank_oauth", "mxbank"]}

def test_real_server(mx_sandbox):
    httpx.post(f"{mx_sandbox.url}/users", auth=mx_sandbox.auth,
               headers={"Accept-Version": "v20250224"}, json={"user": {"id": "alice"}})
    assert bank_summary(mx_sandbox.client_id, mx_sandbox.api_key, mx_sandbox.url)["users"] == ["alice"]
    assert [e["type"] for e in mx_sandbox.events(kind="api")][0] == "POST /users"

@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_starts_with_an_empty_tenant(mx_httpx_mock, attempt):
    with httpx.Client(base_url="https://int-api.mx.com", auth=("my-client", "my-key")) as mx:
        r = mx.post("/users", headers={"Accept-Version": "v20250224"}, json={"user": {"id": "bob"}})
    assert r.status_code == 200, r.text  # a 409 would mean the previous test's bob leaked
    mx_httpx_mock.control("my-client").clock.advance(60)

def test_plugin_loaded_without_xdist():
    import importlib.util
    assert importlib.util.find_spec("xdist") is None
'''


def _run(cmd: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("PYTEST_")}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_plugin_works_from_a_throwaway_project(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = _run([str(python), "-m", "pip", "install", "-q", "-e", f"{ROOT}[pytest]"], tmp_path, 600)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]

    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(APP)
    (project / "test_app.py").write_text(TESTS)
    result = _run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, 300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "5 passed" in result.stdout, result.stdout[-2000:]
