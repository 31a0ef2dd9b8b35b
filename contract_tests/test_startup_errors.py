"""`mx-sandbox serve` refuses bad configuration with one line naming the file, entry and problem,
exit status 2, and never says "listening" first."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run serve to its end: every case here must fail at start-up, so a hang is a failure too."""
    return subprocess.run([sys.executable, "-m", "sandbox.cli", "serve", "--port", "0", *args],
                          capture_output=True, text=True, timeout=30, env={**os.environ, **(env or {})})


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert len(lines) == 1, result.stderr[-2000:]
    assert "listening" not in result.stdout
    assert lines[0].startswith(("mx-sandbox: error: ", "mx-sandbox serve: error: ")), lines[0]
    return lines[0]


def test_a_taken_port_is_one_line_before_listening():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_line_error(serve("--port", str(port)))
    assert line == f"mx-sandbox: error: cannot listen on 127.0.0.1:{port}: Address already in use"


@pytest.mark.parametrize("args, expected", [
    (["--port", "99999"], "argument --port: 99999 is not a port (0-65535"),
    (["--port", "http"], "argument --port: 'http' is not a port number"),
    (["--start", "yesterday"], "argument --start: 'yesterday' is not an ISO 8601 time"),
    (["--clock", "paused"], "argument --clock: invalid choice: 'paused'"),
    (["--public-url", "example.com"], "argument --public-url: 'example.com' is not an http(s):// URL"),
    (["--scenarios", "/no/such/folder"], "--scenarios /no/such/folder: not a folder"),
])
def test_bad_options(args, expected):
    assert expected in one_line_error(serve(*args))


@pytest.mark.parametrize("variable, value, expected", [
    ("MX_SANDBOX_PORT", "99999", "MX_SANDBOX_PORT: 99999 is not a port"),
    ("MX_SANDBOX_START", "yesterday", "MX_SANDBOX_START: 'yesterday' is not an ISO 8601 time"),
    ("MX_SANDBOX_ACCESS_LOG", "maybe", "MX_SANDBOX_ACCESS_LOG: 'maybe' is not one of 1/0"),
    ("MX_SANDBOX_LOG_FORMAT", "xml", "MX_SANDBOX_LOG_FORMAT: 'xml' is not one of text, json"),
])
def test_bad_environment_variables(variable, value, expected):
    result = subprocess.run([sys.executable, "-m", "sandbox.cli", "serve"], capture_output=True, text=True,
                            timeout=30, env={**os.environ, variable: value})
    assert expected in one_line_error(result)


@pytest.mark.parametrize("text, expected", [
    ("tenantA:\ntenantB: key-b\n", "creds.yml:1: tenantA: api_key must be a non-empty string, got None"),
    ("tenantB: key-b\n~: key-c\n", "creds.yml:2: None: client_id must be a non-empty string, got None"),
    ("tenantA: [key\n", "creds.yml:2: not valid YAML"),
    ("", "creds.yml:1: the file is empty"),
    ("# nobody yet\n", "creds.yml:1: the file is empty"),
    ("[]\n", "creds.yml:1: no `client_id: api_key` pairs"),
    ("- client_id: a\n  api_key: b\n- client_id: c\n", "creds.yml:3: [1]: api_key must be a non-empty string"),
    ("just a string\n", "creds.yml:1: expected `client_id: api_key` lines"),
])
def test_bad_credentials_files(tmp_path, text, expected):
    creds = tmp_path / "creds.yml"
    creds.write_text(text)
    line = one_line_error(serve("--credentials", str(creds)))
    assert line.startswith(f"mx-sandbox: error: {tmp_path}/{expected}"), line


def test_missing_credentials_file(tmp_path):
    line = one_line_error(serve("--credentials", str(tmp_path / "nope.yml")))
    assert line == f"mx-sandbox: error: {tmp_path}/nope.yml: cannot read the file (No such file or directory)"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A copy of the data folder for MX_SANDBOX_HOME, to break one fixture at a time."""
    shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
    return tmp_path


def _break(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace the first `old` with `new`; the 1-based line where it was."""
    text = path.read_text()
    assert old in text, old
    line = text[:text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count))
    return line


@pytest.mark.parametrize("file, old, new, entry, problem", [
    ("institutions.yml", "  guid: INS-3aeb38da", "  uid: INS-3aeb38da", "institutions[0]", "missing 'guid'"),
    ("institutions.yml", "  - transaction_history\n", "  - time_travel\n", "institutions[0]", "unknown products ['time_travel']"),
    ("institutions.yml", "  name: MX Bank\n", "  name: [MX Bank\n", None, "not valid YAML"),
    ("behaviors.yml", "    default: CONNECTED", "    default: SPARKLING", None, "unknown outcome 'SPARKLING'"),
    ("microdeposits.yml", "  min_cents: 1\n", "  min_cents: 100\n", "amounts", "need 1 <= min_cents < max_cents <= 99"),
    ("profiles/mxbank.yml", "  balance: [1800", "  balanse: [1800", "accounts[0]", "missing 'balance'"),
    ("profiles/mxbank.yml", "type: CHECKING", "type: PIGGY_BANK", "accounts[0]", "unknown account type 'PIGGY_BANK'"),
])
def test_fixture_errors_name_file_line_and_entry(home, file, old, new, entry, problem):
    path = home / "fixtures" / file
    line_number = _break(path, old, new)
    line = one_line_error(serve(env={"MX_SANDBOX_HOME": str(home)}))
    prefix = f"mx-sandbox: error: {path}:"
    assert line.startswith(prefix), line
    reported_line = int(line[len(prefix):].split(":", 1)[0])
    assert problem in line and (entry is None or f": {entry}: " in line), line
    # The line points at the entry (or the broken text itself): never past the break.
    assert 1 <= reported_line <= line_number + 1, (reported_line, line_number, line)


def test_broken_scenario_behavior_is_named_but_does_not_stop_the_server(tmp_path):
    """A scenario folder is the user's own test data: a broken behavior block is a warning with its line."""
    (tmp_path / "bad.yml").write_text("name: bad\ntarget: sandbox_only\nbehavior:\n  sign_in: SPARKLING\nsteps: []\n")
    from sandbox.process import SandboxProcess

    with SandboxProcess("--scenarios", str(tmp_path), stdout=subprocess.PIPE) as server:
        server.stop()
        out = server.proc.stdout.read().decode()
    assert f"scenario behavior skipped: {tmp_path}/bad.yml:3: behavior: unknown outcome 'SPARKLING'" in out
