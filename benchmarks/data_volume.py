"""Memory and list latency with one user holding 100,000 transactions (a benchmark, not a test).

Starts `mx-sandbox serve` as a real subprocess, fills one user with MX Bank members whose history
is extended to 24 months until the user holds at least 100,000 transactions, and measures:

- the server's resident memory (VmRSS) before and after, and per stored transaction;
- list latency for `GET /users/{u}/transactions` with pages of 25 and 1000, over HTTP, against a
  baseline measured in the same run: a user holding one member's ~900 transactions, and an
  empty list.

Run: `.venv/bin/python benchmarks/data_volume.py [--target 100000] [--repeat 30]`.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from contract_tests.aggregated import FAR_PAST, connect  # noqa: E402
from contract_tests.harness import MX, SandboxProcess, Target, new_client  # noqa: E402


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS (Linux /proc needed)")


def total(mx: MX, user: str) -> int:
    r = mx.get(f"/users/{user}/transactions", params={"from_date": FAR_PAST, "records_per_page": 10})
    return r.json()["pagination"]["total_entries"]


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def timed(mx: MX, path: str, params: dict, repeat: int) -> tuple[float, float, float, int]:
    """(first call ms, median ms and p99 ms of the following calls, response bytes)."""
    samples = []
    size = 0
    for _ in range(repeat + 1):
        started = time.perf_counter()
        r = mx.get(path, params=params)
        samples.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200, r.text
        size = len(r.content)
    return samples[0], statistics.median(samples[1:]), p99(samples[1:]), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=int, default=100_000, help="transactions the big user should hold")
    parser.add_argument("--repeat", type=int, default=200, help="timed calls per case (after one cold call)")
    args = parser.parse_args()

    server = SandboxProcess("--clock", "frozen")
    try:
        target = Target("sandbox", server.url)
        mx = MX(new_client(target, "bench-data"), target, "bench-data")
        mx.freeze()
        rss_start = rss_mib(server.proc.pid)

        empty_user = mx.create_user()["guid"]
        small = connect(mx, ["transactions"])
        small_count = total(mx, small.user)

        big_user = mx.create_user()["guid"]
        members = 0
        filled_at = time.perf_counter()
        while total(mx, big_user) < args.target:
            bank = connect(mx, ["transactions"], user=big_user, password=f"password-{members}")
            bank.run("extend_history")
            members += 1
        fill_seconds = time.perf_counter() - filled_at
        big_count = total(mx, big_user)
        rss_end = rss_mib(server.proc.pid)

        cases = [
            ("empty list, page of 25", empty_user, 25),
            (f"{small_count:,} transactions, page of 25", small.user, 25),
            (f"{small_count:,} transactions, page of 1000", small.user, 1000),
            (f"{big_count:,} transactions, page of 25", big_user, 25),
            (f"{big_count:,} transactions, page of 1000", big_user, 1000),
        ]
        print(f"filled {big_count:,} transactions in {members} members ({fill_seconds:.1f} s wall)")
        print(f"server RSS: {rss_start:.1f} MiB at start, {rss_end:.1f} MiB after "
              f"(+{rss_end - rss_start:.1f} MiB, {(rss_end - rss_start) * 1048576 / (big_count + small_count):.0f} "
              f"bytes per stored transaction)")
        print(f"{'case':<40} {'cold ms':>9} {'median ms':>10} {'p99 ms':>8} {'bytes':>10}")
        results = {}
        for name, user, per_page in cases:
            params = {"from_date": FAR_PAST, "records_per_page": per_page}
            cold, median, tail, size = timed(mx, f"/users/{user}/transactions", params, args.repeat)
            results[name] = median
            print(f"{name:<40} {cold:>9.1f} {median:>10.1f} {tail:>8.1f} {size:>10,}")
        base25, base1000 = results[cases[1][0]], results[cases[2][0]]
        print(f"ratio vs {small_count:,}-transaction baseline: page of 25 x{results[cases[3][0]] / base25:.2f}, "
              f"page of 1000 x{results[cases[4][0]] / base1000:.2f}")
        # The first list after any change re-sorts the user's index once; measure that cost too.
        cash = mx.post(f"/users/{big_user}/accounts", json={"account": {"name": "Cash", "account_type": "CASH"}})
        manual = {"amount": 5, "date": "2025-01-01", "description": "bench", "type": "DEBIT"}
        mx.post(f"/users/{big_user}/accounts/{cash.json()['account']['guid']}/transactions", json={"transaction": manual})
        started = time.perf_counter()
        mx.get(f"/users/{big_user}/transactions", params={"from_date": FAR_PAST, "records_per_page": 25})
        print(f"{big_count:,} transactions, first page of 25 after a change: {(time.perf_counter() - started) * 1000:.1f} ms")
        window = {"from_date": "2000-01-01", "records_per_page": 25, "from_updated_at": "2000-01-01",
                  "to_updated_at": "2100-01-01"}
        cold, median, tail, _ = timed(mx, f"/users/{big_user}/transactions", window, args.repeat)
        print(f"{big_count:,} transactions, updated_at filter, page of 25: median {median:.1f} ms, p99 {tail:.1f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
