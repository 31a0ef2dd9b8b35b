"""Snapshots (`GET`/`PUT /_sandbox/snapshot`) and what a `--state-dir` restart restores.

A snapshot is the tenant's log: loading it replays the tenant into being, so what was scheduled
(a scripted member's later life) still happens on its clock afterwards.
"""
from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from contract_tests.harness import MX, V2025, SandboxProcess, new_client
from contract_tests.journeys import connected, create_member, frozen_user, mxbank_credentials, status, wait_for

pytestmark = pytest.mark.sandbox_only


def later_life_member(mx: MX) -> tuple[str, str]:
    """A member scripted to go DEGRADED two days after it connects (scenarios/later-life-degraded.yml)."""
    user = frozen_user(mx)["guid"]
    member = create_member(mx, user, "mxbank", mxbank_credentials(mx, "any", username="scenario:later-life-degraded"))
    wait_for(mx, user, member["guid"], connected)
    return user, member["guid"]


def test_round_trip_gives_identical_json_and_later_transitions_still_happen(mx: MX) -> None:
    user, member = later_life_member(mx)
    mx.post("/users/" + user + "/widget_urls", json={"widget_url": {"widget_type": "connect_widget"}})
    saved = mx.get("/_sandbox/snapshot")
    assert saved.status_code == 200
    assert mx.post("/_sandbox/reset").status_code == 204
    assert mx.get(f"/users/{user}").status_code == 404
    loaded = mx.put("/_sandbox/snapshot", content=saved.content)
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["snapshot"]["diverged"] == 0
    assert mx.get("/_sandbox/snapshot").json() == saved.json()
    assert status(mx, user, member)["connection_status"] == "CONNECTED"
    mx.advance(2 * 86400 + 60)
    assert status(mx, user, member)["connection_status"] == "DEGRADED"


def test_a_snapshot_loads_into_another_tenant(mx: MX, mx_target) -> None:
    user, member = later_life_member(mx)
    saved = mx.get("/_sandbox/snapshot").content
    with new_client(mx_target) as other_http:
        other = MX(other_http, mx_target, "other")
        assert other.put("/_sandbox/snapshot", content=saved).status_code == 200
        assert other.get(f"/users/{user}/members/{member}").json()["member"]["connection_status"] == "CONNECTED"
        assert other.clock() == mx.clock()  # a frozen clock stands where it stood
        other.advance(2 * 86400 + 60)
        assert status(other, user, member)["connection_status"] == "DEGRADED"
    assert status(mx, user, member)["connection_status"] == "CONNECTED"  # the source is untouched


@pytest.mark.parametrize("change, message", [
    ({"sandbox_version": "0.0.1"}, "saved by mx-sandbox '0.0.1'"),
    ({"format_version": 99}, "format version 99"),
    ({"format": "other"}, "not an mx-sandbox snapshot"),
    ({"entries": [{"kind": "request", "wall": 1}]}, "Snapshot entry 0"),
])
def test_snapshots_of_another_version_or_shape_are_refused(mx: MX, change: dict, message: str) -> None:
    mx.create_user()
    doc = mx.get("/_sandbox/snapshot").json()
    before = mx.get("/users").json()
    r = mx.put("/_sandbox/snapshot", json={**doc, **change})
    assert r.status_code == 400
    assert message in r.json()["error"]["message"]
    assert mx.get("/users").json() == before  # nothing changed


def test_a_body_that_is_not_json_is_refused(mx: MX) -> None:
    r = mx.put("/_sandbox/snapshot", content=b"{not json")
    assert r.status_code == 400 and r.json()["error"]["message"] == "The snapshot is not valid JSON."


def _client(server: SandboxProcess, tenant: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, auth=(tenant, "k"), headers=V2025, timeout=10)


def test_restart_restores_clocks_members_and_single_use_widget_urls(tmp_path: Path) -> None:
    with SandboxProcess("--state-dir", str(tmp_path)) as server, _client(server, "frozen") as http:
        http.post("/_sandbox/clock", json={"frozen": True, "now": "2026-03-01T09:00:00Z"})
        user = http.post("/users", json={"user": {"metadata": "restart"}}).json()["user"]["guid"]
        http.post("/_sandbox/clock", json={"advance_seconds": 3600})
        url = http.post(f"/users/{user}/widget_urls", json={"widget_url": {"widget_type": "connect_widget"}}).json()
        with _client(server, "real") as real:
            real.post("/_sandbox/clock", json={"advance_seconds": 86400})
            real_before = real.get("/_sandbox/clock").json()["now"]
        server.proc.kill()
        server.proc.wait()
    with SandboxProcess("--state-dir", str(tmp_path)) as again, _client(again, "frozen") as http:
        assert http.get("/_sandbox/clock").json() == {"now": "2026-03-01T10:00:00Z", "frozen": True}
        assert http.get(f"/users/{user}").status_code == 200
        page = httpx.get(url["widget_url"]["url"].replace(server.url, again.url))
        assert page.status_code == 200  # the single-use URL survived, unused
        assert httpx.get(url["widget_url"]["url"].replace(server.url, again.url)).status_code == 410
        with _client(again, "real") as real:
            clock = real.get("/_sandbox/clock").json()
            assert not clock["frozen"] and clock["now"] >= real_before  # a running clock has moved on


def test_a_scenario_starts_from_a_saved_snapshot(mx: MX, mx_sandbox_url: str, tmp_path: Path) -> None:
    from sandbox.scenarios.loader import load
    from sandbox.scenarios.report import failure_text
    from sandbox.scenarios.runner import Target, run_scenario

    later_life_member(mx)
    (tmp_path / "base.json").write_bytes(mx.get("/_sandbox/snapshot").content)
    (tmp_path / "from-snapshot.yml").write_text("""
name: from-snapshot
target: sandbox_only
steps:
  - load_snapshot: base.json
  - wait_for: {connection_status: CONNECTED, timeout: 0}
  - advance_clock: {days: 2, minutes: 1}
  - wait_for: {connection_status: DEGRADED, timeout: 0}
""")
    result = run_scenario(load(tmp_path / "from-snapshot.yml"), Target(mx_sandbox_url))
    assert result.passed, failure_text(result)
    (tmp_path / "missing.yml").write_text("name: missing\ntarget: sandbox_only\nsteps:\n  - load_snapshot: nowhere.json\n")
    failed = run_scenario(load(tmp_path / "missing.yml"), Target(mx_sandbox_url))
    assert not failed.passed and "cannot read the snapshot" in failure_text(failed)


def test_cli_saves_and_loads_a_tenant(mx: MX, mx_sandbox_url: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    user, member = later_life_member(mx)
    file = tmp_path / "tenant.json"
    base = [sys.executable, "-m", "sandbox.cli", "snapshot"]
    common = ["--url", mx_sandbox_url, "--client-id"]
    saved = subprocess.run([*base, "save", str(file), *common, mx.client_id], capture_output=True, text=True, timeout=60)
    assert saved.returncode == 0, saved.stderr
    assert file.read_bytes() == mx.get("/_sandbox/snapshot").content
    loaded = subprocess.run([*base, "load", str(file), *common, "cli-copy"], capture_output=True, text=True, timeout=60)
    assert loaded.returncode == 0 and "0 diverged" in loaded.stdout, loaded.stderr
    copy = httpx.get(f"{mx_sandbox_url}/users/{user}/members/{member}", auth=("cli-copy", "k"), headers=V2025)
    assert copy.json()["member"]["connection_status"] == "CONNECTED"
    file.write_text('{"format": "mx-sandbox-snapshot", "format_version": 1, "sandbox_version": "0.0.0"}')
    refused = subprocess.run([*base, "load", str(file), *common, "cli-copy"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "400: This snapshot was saved by mx-sandbox '0.0.0'" in refused.stderr


def test_restart_keeps_webhook_settings_and_pending_deliveries_without_resending(tmp_path: Path) -> None:
    import time

    from sandbox.testing.receiver import WebhookReceiver

    def deliveries(http: httpx.Client) -> list[dict]:
        return http.get("/_sandbox/webhooks/deliveries").json()["deliveries"]

    with WebhookReceiver() as receiver:
        with SandboxProcess("--state-dir", str(tmp_path)) as server, _client(server, "hooks") as http:
            http.post("/_sandbox/clock", json={"frozen": True})
            user = http.post("/users", json={"user": {"metadata": "hooks"}}).json()["user"]["guid"]
            fields = http.get("/institutions/mxbank/credentials").json()["credentials"]
            creds = [{"guid": f["guid"], "value": "INVALID"} for f in fields]
            member = http.post(f"/users/{user}/members", json={"member": {"institution_code": "mxbank", "credentials": creds}})
            http.post("/_sandbox/clock", json={"advance_seconds": 10})  # DENIED: its own life is over
            assert http.put("/_sandbox/webhooks", json={"url": receiver.url}).status_code == 200
            receiver.fail(1, status=500)
            fired = http.post("/_sandbox/webhooks/fire", json={"type": "MEMBER", "member_guid": member.json()["member"]["guid"]})
            guid = fired.json()["delivery"]["guid"]
            deadline = time.monotonic() + 15
            while not [d for d in deliveries(http) if d["guid"] == guid and d["state"] == "waiting"]:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            before = deliveries(http)
            settings = http.get("/_sandbox/webhooks").json()
            server.proc.kill()
            server.proc.wait()
        with SandboxProcess("--state-dir", str(tmp_path)) as again, _client(again, "hooks") as http:
            assert http.get("/_sandbox/webhooks").json() == settings
            assert deliveries(http) == before  # still waiting for its retry, attempts as they were
            time.sleep(0.5)
            assert receiver.received == []  # nothing replayed went out again
            http.post("/_sandbox/clock", json={"advance_seconds": 60})
            receiver.wait_for(type="MEMBER")
            time.sleep(0.3)
            assert len(receiver.received) == 1
            done = [d for d in deliveries(http) if d["guid"] == guid][0]
            assert [a["status"] for a in done["attempts"]] == [500, 204]


def test_state_of_parts_added_later_comes_back_without_their_own_serializer(mx: MX) -> None:
    """Insights (added by another branch after persistence was written) round-trip too."""
    user, _ = later_life_member(mx)
    insights = mx.get(f"/users/{user}/insights", params={"records_per_page": 100}).json()["insights"]
    assert insights, "a connected MX Bank member has insights"
    changed = mx.put(f"/users/{user}/insights/{insights[0]['guid']}", json={"insight": {"has_been_displayed": True}})
    assert changed.status_code == 200, changed.text
    before = mx.get(f"/users/{user}/insights", params={"records_per_page": 100}).json()
    saved = mx.get("/_sandbox/snapshot").content
    mx.post("/_sandbox/reset")
    assert mx.put("/_sandbox/snapshot", content=saved).status_code == 200
    assert mx.get(f"/users/{user}/insights", params={"records_per_page": 100}).json() == before
