"""What the request journal and fault rules cost a request, and what reading the journal costs.

Baseline in the same run: GET /users/{guid} on a tenant without fault rules. Compared with the same
call on a tenant holding 100 rules none of which matches (every call scans them under the gate),
and with POST /_sandbox/requests/count (plain and with near misses) over a full journal of 5,000
calls. Run: .venv/bin/python benchmarks/journal_faults.py
"""
from __future__ import annotations

import statistics
import time

import httpx

from sandbox.process import SandboxProcess

V = {"Accept-Version": "v20250224"}
N = 400


def p50_ms(call, n: int = N) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def tenant(server: SandboxProcess, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url, auth=(name, "k"))
    user = client.post("/users", json={"user": {"metadata": "bench"}}, headers=V).json()["user"]["guid"]
    return client, user


def main() -> None:
    with SandboxProcess() as server:
        plain, plain_user = tenant(server, "bench-plain")
        ruled, ruled_user = tenant(server, "bench-rules")
        for i in range(100):
            ruled.post("/_sandbox/faults", json={"path": f"/nowhere/{i}/{{x}}", "status": 503})
        base = p50_ms(lambda: plain.get(f"/users/{plain_user}", headers=V))
        with_rules = p50_ms(lambda: ruled.get(f"/users/{ruled_user}", headers=V))
        for _ in range(5_000):
            plain.get(f"/users/{plain_user}", headers=V)
        query = {"method": "POST", "path": "/users/{user_guid}/members"}
        count = p50_ms(lambda: plain.post("/_sandbox/requests/count", json=query), 30)
        near = p50_ms(lambda: plain.post("/_sandbox/requests/count", json={**query, "near_misses": True}), 30)
        print(f"GET /users/{{guid}} p50, no rules (baseline): {base:.2f} ms")
        print(f"  with 100 non-matching fault rules: {with_rules:.2f} ms ({with_rules / base:.2f}x)")
        print(f"count over a full journal (5,000 calls): {count:.2f} ms ({count / base:.1f}x)")
        print(f"  with near misses: {near:.2f} ms ({near / base:.1f}x)")


if __name__ == "__main__":
    main()
