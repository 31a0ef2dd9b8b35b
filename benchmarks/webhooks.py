"""Webhooks under load: 1,000 members connecting at once with a receiver attached, and a dead receiver.

Same run, same server, same tenant for every figure:
- idle baseline: p50/p99 of GET /status with nothing to deliver;
- burst: 1,000 members (each its own user) connect in one clock step with a real loopback receiver;
  deliveries per second until the receiver has them all, and GET /status p99 meanwhile, on the
  burst's tenant (which also waits behind the clock step that connects them all) and another;
- dead receiver: a receiver that accepts and never answers (10 s timeout), with every sender
  worker stuck on it; GET /status p99 meanwhile, against the baseline.
Members ask for account_verification only, so the burst measures webhooks, not transaction data.
Run: .venv/bin/python benchmarks/webhooks.py [members]
"""
from __future__ import annotations

import statistics
import sys
import threading
import time

import httpx

from sandbox.process import SandboxProcess
from sandbox.testing.receiver import WebhookReceiver

V = {"Accept-Version": "v20250224"}
PER_MEMBER = 5  # MEMBER (CONNECTED), AGGREGATION, VERIFICATION, initial_data_ready, MEMBER (done)


def member(client: httpx.Client, creds: list[dict], n: int) -> tuple[str, str]:
    user = client.post("/users", json={"user": {"id": f"u{n}"}}, headers=V).json()["user"]["guid"]
    body = {"member": {"institution_code": "mxbank", "credentials": creds}, "data_request": {"products": ["account_verification"]}}
    r = client.post(f"/users/{user}/members", json=body, headers=V)
    assert r.status_code in (200, 202), r.text
    return user, r.json()["member"]["guid"]


class Probe(threading.Thread):
    """GET /status in a loop on its own connection until stopped; latencies in seconds."""

    def __init__(self, url: str, auth: tuple[str, str], path: str) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=url, auth=auth, headers=V, timeout=60)
        self.path, self.latencies, self.stopping = path, [], threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            t0 = time.perf_counter()
            assert self.client.get(self.path).status_code == 200
            self.latencies.append(time.perf_counter() - t0)
            time.sleep(0.005)

    def stop(self) -> list[float]:
        self.stopping.set()
        self.join()
        self.client.close()
        return self.latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def describe(name: str, values: list[float]) -> str:
    return f"{name:<28} n={len(values):>5}  p50 {pct(values, 0.5):7.2f} ms  p99 {pct(values, 0.99):7.2f} ms"


def probe_for(url: str, auth: tuple[str, str], path: str, seconds: float) -> list[float]:
    probe = Probe(url, auth, path)
    probe.start()
    time.sleep(seconds)
    return probe.stop()


def main(count: int = 1000) -> None:
    with SandboxProcess() as server, WebhookReceiver() as receiver, WebhookReceiver() as dead:
        auth = ("bench-webhooks", "k")
        with httpx.Client(base_url=server.url, auth=auth, timeout=60) as c:
            c.post("/_sandbox/clock", json={"frozen": True})
            fields = c.get("/institutions/mxbank/credentials", headers=V).json()["credentials"]
            creds = [{"guid": fields[0]["guid"], "value": "mxuser"}, {"guid": fields[1]["guid"], "value": "password"}]
            probe_user, probe_member = member(c, creds, -1)
            c.post("/_sandbox/clock", json={"advance_seconds": 60})
            status = f"/users/{probe_user}/members/{probe_member}/status"
            idle = probe_for(server.url, auth, status, 3.0)
            other_auth = ("bench-other-tenant", "k")
            with httpx.Client(base_url=server.url, auth=other_auth, timeout=60) as o:
                other_user, other_member = member(o, creds, 0)
            other_status = f"/users/{other_user}/members/{other_member}/status"

            t0 = time.perf_counter()
            for n in range(count):  # created before the receiver is attached: the burst is the connecting
                member(c, creds, n)
            created_s = time.perf_counter() - t0
            c.put("/_sandbox/webhooks", json={"url": receiver.url})
            probe, other = Probe(server.url, auth, status), Probe(server.url, other_auth, other_status)
            probe.start()
            other.start()
            t0 = time.perf_counter()
            c.post("/_sandbox/clock", json={"advance_seconds": 60})  # every member connects in this step
            step_s = time.perf_counter() - t0
            expected = count * PER_MEMBER
            receiver.wait_until(lambda r: len(r.requests) >= expected, timeout=600)
            burst_s = time.perf_counter() - t0
            during, elsewhere = probe.stop(), other.stop()
            kinds = sorted({b["type"] for b in receiver.received})

            dead.hang()
            c.put("/_sandbox/webhooks", json={"url": dead.url, "timeout_seconds": 10})
            for n in range(count, count + 64):  # more stuck deliveries than sender workers
                member(c, creds, n)
            dead.wait_until(lambda r: r.attempts >= 32, timeout=30)
            hung = probe_for(server.url, auth, status, 3.0)
            pending = len(c.get("/_sandbox/webhooks/deliveries", params={"state": "sending"}).json()["deliveries"])
            c.delete("/_sandbox/webhooks")
            dead.recover()
            after = probe_for(server.url, auth, status, 3.0)

    print(f"{count} members created in {created_s:.1f} s; one clock step connected them all in {step_s:.2f} s")
    print(f"burst: {expected} deliveries ({', '.join(kinds)}) in {burst_s:.2f} s = {expected / burst_s:.0f} deliveries/s")
    print(describe("GET /status idle", idle))
    print(describe("GET /status during burst", during))
    print(describe("  ... another tenant", elsewhere))
    print(describe(f"GET /status dead receiver ({pending} hung)", hung))
    print(describe("GET /status after", after))
    print(f"p99 ratios vs idle: burst {pct(during, .99) / pct(idle, .99):.1f}x, dead receiver {pct(hung, .99) / pct(idle, .99):.2f}x, "
          f"after {pct(after, .99) / pct(idle, .99):.2f}x; medians {statistics.median(hung) / statistics.median(idle):.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
