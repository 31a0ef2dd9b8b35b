"""How long a guide-following client waits for MX Bank to connect: real clock vs a frozen clock.

Baseline in the same run: one GET /status round trip. Run: .venv/bin/python benchmarks/polling.py
"""
from __future__ import annotations

import statistics
import time

import httpx

from sandbox.process import SandboxProcess

V = {"Accept-Version": "v20250224"}


def setup(client: httpx.Client) -> tuple[str, str]:
    user = client.post("/users", json={"user": {"metadata": "bench"}}, headers=V).json()["user"]["guid"]
    fields = client.get("/institutions/mxbank/credentials", headers=V).json()["credentials"]
    creds = [{"guid": fields[0]["guid"], "value": "mxuser"}, {"guid": fields[1]["guid"], "value": "password"}]
    member = client.post(f"/users/{user}/members", json={"member": {"institution_code": "mxbank", "credentials": creds}},
                         headers=V).json()["member"]["guid"]
    return user, member


def poll(client: httpx.Client, user: str, member: str, wait) -> int:
    polls = 0
    while True:
        polls += 1
        s = client.get(f"/users/{user}/members/{member}/status", headers=V).json()["member"]
        if s["connection_status"] == "CONNECTED" and not s["is_being_aggregated"]:
            return polls
        wait(3.0)


def main() -> None:
    with SandboxProcess() as server:
        with httpx.Client(base_url=server.url, auth=("bench-real", "k")) as real:
            user, member = setup(real)
            rtts = []
            for _ in range(50):
                t0 = time.perf_counter()
                real.get(f"/users/{user}/members/{member}/status", headers=V)
                rtts.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            user, member = setup(real)
            polls = poll(real, user, member, time.sleep)
            real_wall = time.perf_counter() - t0
        with httpx.Client(base_url=server.url, auth=("bench-frozen", "k")) as frozen:
            frozen.post("/_sandbox/clock", json={"frozen": True})
            t0 = time.perf_counter()
            user, member = setup(frozen)
            fpolls = poll(frozen, user, member, lambda s: frozen.post("/_sandbox/clock", json={"advance_seconds": s}))
            frozen_wall = time.perf_counter() - t0
    rtt = statistics.median(rtts)
    print(f"baseline GET /status round trip (median of 50): {rtt * 1000:.2f} ms")
    print(f"real clock:   connected after {polls} polls, {real_wall:.2f} s wall ({real_wall / rtt:.0f}x one round trip)")
    print(f"frozen clock: connected after {fpolls} polls, {frozen_wall * 1000:.1f} ms wall ({frozen_wall / rtt:.1f}x one round trip)")


if __name__ == "__main__":
    main()
