"""`pip install mx-sandbox` with no extras serves: a fresh venv, a non-editable install with the CI
constraints, nothing from the test extra, and the guide journey through the installed server (its
fixtures come from the wheel's share/mx-sandbox, not this checkout). Prints the venv's size."""
from __future__ import annotations

import re
import subprocess
import venv
from pathlib import Path

import httpx
import pytest

from contract_tests.served import check_guide_journey
from sandbox.tests.test_plugin_install import _run

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.subprocess_run


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def test_runtime_only_install_serves_the_guide_journey(tmp_path: Path, record_property) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    install = _run([python, "-m", "pip", "install", "-q", "--constraint", str(ROOT / "constraints.txt"), str(ROOT)], tmp_path, 600)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    probe = _run([python, "-c", "import importlib.util as u; print([m for m in ('pytest', 'playwright', 'hypothesis', "
                  "'schemathesis', 'respx') if u.find_spec(m)])"], tmp_path, 60)
    assert probe.stdout.strip() == "[]", probe.stdout + probe.stderr

    server = subprocess.Popen([str(env_dir / "bin" / "mx-sandbox"), "serve", "--port", "0"], cwd=tmp_path,
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
    record_property("mx_measured", f"runtime-only venv (pip install ., no extras): {_size_mb(env_dir):.0f} MB")
