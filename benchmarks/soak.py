"""Soak: a bounded, loopback-only mixed load, sampling the server's RSS to show memory stays flat.

Each worker loops over short tenant lives: a new client_id, a user, MX Bank members (some MFA), a
widget URL opened as a browser would, pings, clock advances (10 years now and then), a reset, and
sometimes a second life on the same tenant. Tenants left idle are evicted by the server
(`--tenant-idle-seconds`), so memory should level off after warm-up.

    python benchmarks/soak.py --minutes 10
"""
from __future__ import annotations

import argparse
import itertools
import random
import re
import statistics
import threading
import time
import uuid

import httpx

from sandbox.process import SandboxProcess

V2025 = {"Accept-Version": "v20250224"}


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def tenant_life(base: str, rng: random.Random, counter: itertools.count) -> None:
    client_id = f"soak-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}"
    with httpx.Client(base_url=base, auth=(client_id, "k"), headers=V2025, timeout=30) as mx:
        frozen = rng.random() < 0.7
        if frozen:
            mx.post("/_sandbox/clock", json={"frozen": True})
        for _life in range(rng.choice((1, 2))):
            user = mx.post("/users", json={"user": {"metadata": "soak"}}).json()["user"]["guid"]
            fields = {f["field_name"]: f["guid"] for f in mx.get("/institutions/mxbank/credentials").json()["credentials"]}
            for n in range(rng.randint(1, 3)):
                password = rng.choice(("password", "challenge", "INVALID", f"pw{n}"))
                mx.post(f"/users/{user}/members", json={"member": {"institution_code": "mxbank", "credentials": [
                    {"guid": fields["LOGIN"], "value": "mxuser"}, {"guid": fields["PASSWORD"], "value": password}]}})
            url = mx.post(f"/users/{user}/widget_urls", json={"widget_url": {"widget_type": "connect_widget"}}).json()
            page = httpx.get(url["widget_url"]["url"]).text
            api = re.search(r'"(/md/api/sessions/[0-9a-f]+)"', page)
            if api:
                for _ in range(rng.randint(1, 20)):
                    httpx.post(base + api.group(1) + "/actions", json={"action": "ping", "since": 10**9})
            if frozen:
                step = 315360000 if rng.random() < 0.05 else rng.choice((5, 60, 86400, 7 * 86400))
                mx.post("/_sandbox/clock", json={"advance_seconds": step})
            mx.get(f"/users/{user}/members")
            mx.get(f"/users/{user}/transactions")
            if rng.random() < 0.5:
                mx.post("/_sandbox/reset")
        next(counter)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--idle-seconds", type=float, default=20)
    parser.add_argument("--sample-seconds", type=float, default=15)
    args = parser.parse_args()

    with SandboxProcess("--tenant-idle-seconds", str(args.idle_seconds)) as server:
        stop = time.monotonic() + args.minutes * 60
        lives = itertools.count()
        errors: list[str] = []

        def worker(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < stop:
                try:
                    tenant_life(server.url, rng, lives)
                except (httpx.HTTPError, KeyError, ValueError) as error:
                    errors.append(repr(error))

        threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(args.workers)]
        for thread in threads:
            thread.start()
        started, samples = time.monotonic(), []
        while time.monotonic() < stop:
            time.sleep(args.sample_seconds)
            gauges = httpx.get(f"{server.url}/_sandbox/health").json()["gauges"]
            samples.append((time.monotonic() - started, rss_mb(server.proc.pid), gauges))
            print(f"{samples[-1][0]:6.0f} s  RSS {samples[-1][1]:6.1f} MB  tenants {gauges['tenants']:4d}  "
                  f"evicted {gauges['tenants_evicted']:5d}  tokens {gauges['tokens']:5d}  "
                  f"timeline {gauges['timeline_events']:6d}  lives {next(lives)}", flush=True)
        for thread in threads:
            thread.join()

    warm = [rss for at, rss, _ in samples if at >= min(120, args.minutes * 30)]
    if warm:
        low, high, median = min(warm), max(warm), statistics.median(warm)
        print(f"after warm-up: min {low:.1f} MB, median {median:.1f} MB, max {high:.1f} MB, "
              f"spread {(high - low) / median * 100:.1f} % of the median")
    print(f"errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))


if __name__ == "__main__":
    main()
