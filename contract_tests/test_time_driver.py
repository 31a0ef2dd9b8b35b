"""Time moves by itself with the real clock: members progress with nobody polling (sandbox only)."""
from __future__ import annotations

import os
import time

import httpx
import pytest

from contract_tests.harness import SandboxProcess
from contract_tests.journeys import create_member, mxbank_credentials

pytestmark = pytest.mark.sandbox_only


def test_a_member_connects_with_nobody_polling(mx):
    if mx.clock()["frozen"]:
        pytest.skip("needs a sandbox serving with the real clock (the default)")
    user = mx.create_user()
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    time.sleep(6)  # real time on purpose: nothing calls the sandbox meanwhile
    events = mx.events(member_guid=member["guid"])  # the one read, at the end
    changes = [(e["data"]["new"], e["data"]["is_being_aggregated"]) for e in events if e["type"] == "connection_status"]
    assert ("CONNECTED", True) in changes
    assert any(e["type"] == "aggregation_finished" for e in events)


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_an_idle_server_uses_no_cpu():
    with SandboxProcess() as server:
        assert httpx.get(f"{server.url}/_sandbox/health").json()["gauges"]["tenants"] == 0
        before = _cpu_seconds(server.proc.pid)
        time.sleep(10)
        used = _cpu_seconds(server.proc.pid) - before
        assert used < 0.2, f"{used:.2f} s of CPU in 10 s idle"
