"""Write latency with `--state-dir` against in-memory, in one run; and what a restart's replay costs.

Two servers run side by side (frozen clocks, so no aggregation competes for the CPU) and one client
alternates create-member calls between them, so load from anything else on the machine falls on
both alike. Baseline: the in-memory server of the same run (it keeps its log in memory, for snapshots).
Run: .venv/bin/python benchmarks/persistence.py [calls]
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time

import httpx

from sandbox.process import SandboxProcess

V = {"Accept-Version": "v20250224"}
WARM_UP = 20


def setup(client: httpx.Client) -> tuple[str, list[dict[str, str]]]:
    user = client.post("/users", json={"user": {"metadata": "bench"}}, headers=V).json()["user"]["guid"]
    fields = client.get("/institutions/mxbank/credentials", headers=V).json()["credentials"]
    return user, [{"guid": fields[0]["guid"], "value": "mxuser"}, {"guid": fields[1]["guid"], "value": "password"}]


def create_member(client: httpx.Client, n: int, user: str, creds: list[dict[str, str]]) -> float:
    creds = [{**creds[0], "value": f"mxuser-{n}"}, creds[1]]  # one member per login
    t0 = time.perf_counter()
    r = client.post(f"/users/{user}/members", json={"member": {"institution_code": "mxbank", "credentials": creds}},
                    headers=V)
    elapsed = time.perf_counter() - t0
    assert r.status_code in (200, 202), r.text
    return elapsed


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def main(calls: int = 1000) -> None:
    state_dir = tempfile.mkdtemp(prefix="mx-sandbox-bench-")
    timings: dict[str, list[float]] = {"in-memory": [], "--state-dir": []}
    with SandboxProcess("--clock", "frozen") as memory, \
            SandboxProcess("--clock", "frozen", "--state-dir", state_dir) as durable:
        clients = {"in-memory": httpx.Client(base_url=memory.url, auth=("bench", "k")),
                   "--state-dir": httpx.Client(base_url=durable.url, auth=("bench", "k"))}
        users = {name: setup(client) for name, client in clients.items()}
        for n in range(WARM_UP + calls):
            for name, client in clients.items():
                elapsed = create_member(client, n, *users[name])
                if n >= WARM_UP:
                    timings[name].append(elapsed)
        for client in clients.values():
            client.close()
    with SandboxProcess("--clock", "frozen") as fresh:
        empty_start = fresh.startup_seconds
    with SandboxProcess("--clock", "frozen", "--state-dir", state_dir) as restarted:
        replay_start = restarted.startup_seconds
    base = statistics.median(timings["in-memory"])
    print(f"create member, {calls} calls each, alternating between the two servers:")
    for name, values in timings.items():
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        print(f"  {name:12} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  (p50 {statistics.median(values) / base:.2f}x in-memory)")
    entries = WARM_UP + calls + 1
    print(f"restart: empty {empty_start:.2f} s; replaying {entries} logged writes {replay_start:.2f} s "
          f"({(replay_start - empty_start) / entries * 1000:.2f} ms per write)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
