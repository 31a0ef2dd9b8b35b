"""`pytest -n 4` against one shared sandbox: tests are isolated by tenant, so concurrent workers on
one server must not see each other's users, members, clocks or events."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.process import SandboxProcess

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.sandbox_only, pytest.mark.subprocess_run]
SUBSET = [
    "contract_tests/test_users.py",
    "contract_tests/test_conventions.py",
    "contract_tests/test_institutions.py",
    "contract_tests/test_clock.py",
    "contract_tests/test_members.py",
    "sandbox/tests/test_pytest_plugin.py",
]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MX_"))}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, *SUBSET]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)


def test_four_workers_share_one_sandbox() -> None:
    with SandboxProcess() as server:
        result = _run("-n", "4", "--mx-target", server.url)
        assert server.proc.poll() is None, "the shared sandbox died under load"
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout and "error" not in result.stdout.lower()
