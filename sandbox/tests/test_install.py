"""The package as users install it, in one fresh venv (no reuse of this one's site-packages, so a
dependency missing from pyproject fails here), in two stages:

1. `pip install mx-sandbox` with no extras and the CI constraints: nothing from the test extra is
   installed, and the installed server (fixtures from the wheel's share/mx-sandbox, not this
   checkout) serves the guide journey. Prints the venv's size.
2. The `pytest` extra added on top (no xdist, no test extra): a throwaway project's tiny suite uses
   `mx_sandbox` and `mx_httpx_mock` through the pytest11 entry point.

One venv for both stages halves the pip work, the slowest part of the suite.
"""
from __future__ import annotations

import os
import re
import subprocess
import venv
from pathlib import Path

import httpx
import pytest

from contract_tests.served import check_guide_journey

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


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def _serves_the_guide_journey(env_dir: Path, cwd: Path) -> None:
    server = subprocess.Popen([str(env_dir / "bin" / "mx-sandbox"), "serve", "--port", "0"], cwd=cwd,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        listening = server.stdout.readline()  # port 0: the line says which port it got
        match = re.match(r"mx-sandbox listening on (http://127\.0\.0\.1:\d+) ", listening)
        assert match, listening + server.stderr.read() if server.poll() is not None else listening
        url = match.group(1)
        assert httpx.get(f"{url}/_sandbox/health", timeout=10).status_code == 200
        check_guide_journey(url)
    finally:
        server.terminate()
        server.wait(10)


def test_installed_package_serves_then_plugs_into_pytest(tmp_path: Path, record_property) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    pip = [python, "-m", "pip", "install", "-q", "--constraint", str(ROOT / "constraints.txt")]

    install = _run([*pip, str(ROOT)], tmp_path, 600)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    probe = _run([python, "-c", "import importlib.util as u; print([m for m in ('pytest', 'playwright', 'hypothesis', "
                  "'schemathesis', 'respx') if u.find_spec(m)])"], tmp_path, 60)
    assert probe.stdout.strip() == "[]", probe.stdout + probe.stderr
    _serves_the_guide_journey(env_dir, tmp_path)
    record_property("mx_measured", f"runtime-only venv (pip install ., no extras): {_size_mb(env_dir):.0f} MB")

    extra = _run([*pip, f"{ROOT}[pytest]"], tmp_path, 600)
    assert extra.returncode == 0, extra.stdout[-3000:] + extra.stderr[-3000:]
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(APP)
    (project / "test_app.py").write_text(TESTS)
    result = _run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, 300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "5 passed" in result.stdout, result.stdout[-2000:]
