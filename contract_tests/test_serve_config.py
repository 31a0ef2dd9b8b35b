"""`mx-sandbox serve` configured by MX_SANDBOX_* variables, flags winning over them, JSON logs and
X-Request-Id: two real servers, one from the environment alone, one with every flag overriding it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from contract_tests.harness import V2025, free_port
from sandbox.core.ids import GuidFactory
from sandbox.tls import shared_tls

ROOT = Path(__file__).resolve().parents[1]
START = "2026-02-03T04:05:06Z"


class Server:
    """`mx-sandbox serve` with exactly these flags and variables; output read once it has stopped."""

    def __init__(self, url: str, args: list[str], env: dict[str, str]) -> None:
        self.url = url
        self.proc = subprocess.Popen([sys.executable, "-m", "sandbox.cli", "serve", *args], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env={**os.environ, **env})
        deadline = time.monotonic() + 20
        with httpx.Client(timeout=0.5, verify=shared_tls()) as probe:
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    if probe.get(f"{url}/_sandbox/health").status_code == 200:
                        return
                except httpx.HTTPError:
                    time.sleep(0.05)
        self.proc.kill()
        raise AssertionError(f"not healthy: {self.proc.communicate()}")

    def client(self, client_id: str, api_key: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, auth=(client_id, api_key), headers=V2025, timeout=10, verify=shared_tls())

    def stop(self) -> tuple[str, str]:
        self.proc.terminate()
        return self.proc.communicate(timeout=10)


def _files(tmp_path: Path) -> dict[str, Path]:
    catalog = tmp_path / "institutions.yml"
    catalog.write_text((ROOT / "fixtures" / "institutions.yml").read_text().replace("name: MX Bank\n", "name: Env Bank\n"))
    (tmp_path / "env-creds.yml").write_text("env-client: env-key\n")
    (tmp_path / "flag-creds.yml").write_text("flag-client: flag-key\n")
    (tmp_path / "env-scenarios").mkdir()
    (tmp_path / "env-scenarios" / "env.yml").write_text("name: env\nbehavior:\n  sign_in: SPARKLING\n")
    (tmp_path / "flag-scenarios").mkdir()
    return {"catalog": catalog, **{p.stem: p for p in tmp_path.iterdir()}}


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    files = _files(tmp_path_factory.mktemp("serve-config"))
    return {
        "MX_SANDBOX_PORT": str(free_port()), "MX_SANDBOX_HOST": "localhost", "MX_SANDBOX_SEED": "7",
        "MX_SANDBOX_CLOCK": "frozen", "MX_SANDBOX_START": START, "MX_SANDBOX_PUBLIC_URL": "http://env.example:9",
        "MX_SANDBOX_CREDENTIALS": str(files["env-creds"]), "MX_SANDBOX_INSTITUTIONS": str(files["catalog"]),
        "MX_SANDBOX_SCENARIOS": str(files["env-scenarios"]), "MX_SANDBOX_LOG_FORMAT": "json",
        "MX_SANDBOX_LOG_LEVEL": "info", "MX_SANDBOX_ACCESS_LOG": "true",
    }


def _observe(server: Server, client_id: str, api_key: str) -> dict:
    """What each option changes, seen from outside."""
    with server.client(client_id, api_key) as mx:
        user = mx.post("/users", json={"user": {"metadata": "config"}}, headers={"X-Request-Id": "config-test-1"}).json()["user"]["guid"]
        widget = mx.post(f"/users/{user}/widget_urls", json={"widget_url": {"widget_type": "connect_widget"}})
        banks = mx.get("/institutions", params={"name": "bank"}).json()["institutions"]
        seen = {
            "user": user, "clock": mx.get("/_sandbox/clock").json(), "widget_url": widget.json()["widget_url"]["url"],
            "banks": {b["code"]: b["name"] for b in banks}, "other_tenant": mx.get("/users", auth=("intruder", "x")).status_code,
        }
    seen["stdout"], seen["stderr"] = server.stop()
    return seen


def test_every_option_from_the_environment(environment):
    server = Server(f"http://localhost:{environment['MX_SANDBOX_PORT']}", [], environment)
    seen = _observe(server, "env-client", "env-key")
    assert seen["other_tenant"] == 401  # MX_SANDBOX_CREDENTIALS
    assert seen["user"] == GuidFactory(7, "env-client").new("USR")  # MX_SANDBOX_SEED
    assert seen["clock"] == {"now": START, "frozen": True}  # MX_SANDBOX_CLOCK, MX_SANDBOX_START
    assert seen["widget_url"].startswith("http://env.example:9/")  # MX_SANDBOX_PUBLIC_URL
    assert seen["banks"]["mxbank"] == "Env Bank"  # MX_SANDBOX_INSTITUTIONS
    lines = [json.loads(line) for line in seen["stdout"].splitlines()]  # MX_SANDBOX_LOG_FORMAT: JSON lines only
    messages = [line["message"] for line in lines]
    assert f"mx-sandbox listening on http://localhost:{environment['MX_SANDBOX_PORT']} (seed 7, clock frozen)" in messages  # HOST, PORT
    assert any("scenario behavior skipped" in m and "env.yml:2: behavior: unknown outcome 'SPARKLING'" in m for m in messages)  # SCENARIOS
    assert any(json.loads(line)["message"] == "Application startup complete."
               for line in seen["stderr"].splitlines())  # MX_SANDBOX_LOG_LEVEL=info: uvicorn's info lines, as JSON

    access = [line for line in lines if line["logger"] == "mx_sandbox.access"]  # MX_SANDBOX_ACCESS_LOG
    created = next(line for line in access if line["request_id"] == "config-test-1")
    assert created["time"].endswith("Z") and created["level"] == "INFO"
    assert {k: created[k] for k in ("tenant", "method", "path", "status")} == {
        "tenant": "env-client", "method": "POST", "path": "/users", "status": 200}
    assert isinstance(created["latency_ms"], float) and 0 <= created["latency_ms"] < 10_000
    refused = next(line for line in access if line["tenant"] == "intruder")
    assert refused["status"] == 401 and len(refused["request_id"]) == 32  # made up when the client sends none


def test_flags_win_over_the_environment(environment, tmp_path):
    port = free_port()
    flags = ["--port", str(port), "--host", "127.0.0.1", "--seed", "8", "--clock", "real",
             "--start", "2025-01-01T00:00:00Z", "--public-url", "http://flag.example:10",
             "--credentials", str(Path(environment["MX_SANDBOX_CREDENTIALS"]).with_name("flag-creds.yml")),
             "--institutions", str(ROOT / "fixtures" / "institutions.yml"),
             "--scenarios", str(Path(environment["MX_SANDBOX_SCENARIOS"]).with_name("flag-scenarios")),
             "--log-format", "text", "--log-level", "warning", "--no-access-log"]
    server = Server(f"http://127.0.0.1:{port}", flags, environment)
    seen = _observe(server, "flag-client", "flag-key")
    assert seen["other_tenant"] == 401
    assert seen["user"] == GuidFactory(8, "flag-client").new("USR")
    assert seen["clock"]["frozen"] is False and seen["clock"]["now"].startswith("2025-01-01T00:0")
    assert seen["widget_url"].startswith("http://flag.example:10/")
    assert seen["banks"]["mxbank"] == "MX Bank"
    assert seen["stdout"].splitlines() == [f"mx-sandbox listening on http://127.0.0.1:{port} (seed 8, clock real)"]
    assert "Application startup complete" not in seen["stderr"]


@pytest.mark.parametrize("flags, expected", [([], (5, 60)), (["--max-tenants", "6", "--tenant-idle-seconds", "61"], (6, 61))])
def test_tenant_limits_from_the_environment_or_flags(flags, expected):
    """Separate from the above: with --credentials tenants are never evicted, so these limits are off."""
    port = free_port()
    env = {"MX_SANDBOX_PORT": str(port), "MX_SANDBOX_MAX_TENANTS": "5", "MX_SANDBOX_TENANT_IDLE_SECONDS": "60"}
    server = Server(f"http://127.0.0.1:{port}", flags, env)
    limits = httpx.get(f"{server.url}/_sandbox/health", timeout=5).json()["limits"]
    server.stop()
    assert (limits["tenants"], limits["tenant_idle_seconds"]) == expected


@pytest.mark.sandbox_only
def test_request_id_is_echoed_or_made_up(mx):
    given = mx.get("/users", headers={"X-Request-Id": "trace-abc.123"})
    assert given.headers["x-request-id"] == "trace-abc.123"
    made_up = [mx.get("/users").headers["x-request-id"] for _ in range(2)]
    assert made_up[0] != made_up[1] and all(len(i) == 32 for i in made_up)
    unusable = mx.get("/users", headers={"X-Request-Id": "x" * 201}).headers["x-request-id"]
    assert unusable != "x" * 201 and len(unusable) == 32
    assert mx.get("/no/such/route", headers={"X-Request-Id": "on-errors-too"}).headers["x-request-id"] == "on-errors-too"
