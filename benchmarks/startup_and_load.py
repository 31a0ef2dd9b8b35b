"""Start-up time and GET /users/{u}/members/{m}/status throughput of `mx-sandbox serve`, beside a bare Starlette app
with one JSON endpoint (benchmarks/bare_app.py) started the same way and loaded the same way.

(a) start-up: process start → first 200 (the sandbox's /_sandbox/health, the bare app's endpoint),
    median of --runs starts each, alternating.
(b) load: requests/second over --seconds (default 10) with `wrk` when installed
    (`apt-get install wrk`), else a keep-alive asyncio load generator in this process.
(c) Prism (`@stoplight/prism-cli`, a stateless mock of MX's v20250224 spec) on the same path,
    loaded the same way, when npm is available: installed once under ~/.cache/mx-sandbox/prism.
    Needs the spec (MX_OPENAPI_DIR, default ../shared/mx-reference/openapi); `--no-prism` skips it.

Run: `make bench` or `.venv/bin/python benchmarks/startup_and_load.py`. Loopback only.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from sandbox.process import free_port  # noqa: E402

AUTH = ("bench-client", "bench-key")
HEADERS = {"Accept-Version": "v20250224", "Authorization": "Basic " + base64.b64encode(b"bench-client:bench-key").decode()}


def start(kind: str) -> tuple[subprocess.Popen[bytes], str, float]:
    """Start a server; return it, its base URL and the seconds until its first 200."""
    port = free_port()
    if kind == "sandbox":
        cmd, probe = [sys.executable, "-m", "sandbox.cli", "serve", "--port", str(port)], "/_sandbox/health"
    else:
        cmd, probe = [sys.executable, str(ROOT / "benchmarks" / "bare_app.py"), "--port", str(port)], "/user"
    url = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = began + 30
    while time.perf_counter() < deadline:
        try:
            if httpx.get(url + probe, timeout=0.5).status_code == 200:
                return proc, url, time.perf_counter() - began
        except httpx.TransportError:
            time.sleep(0.005)
    proc.kill()
    raise RuntimeError(f"{kind} did not start")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()


def load_wrk(url: str, headers: dict[str, str], seconds: int, connections: int) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p99 ms, non-2xx count) from wrk."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def percentile(name: str) -> float:
        found = re.search(name + r"%\s+([\d.]+)(us|ms|s)", out)
        return float(found.group(1)) * scale[found.group(2)] if found else float("nan")

    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, percentile("50"), percentile("99"), int(bad.group(1)) if bad else 0


async def _connection(host: str, port: int, request: bytes, deadline: float, statuses: Counter[int], latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - sent)
            statuses[status] += 1
    finally:
        writer.close()


def load_python(url: str, headers: dict[str, str], seconds: int, connections: int) -> tuple[float, float, float, int]:
    """The same measurement without wrk: keep-alive HTTP/1.1 connections on one asyncio loop."""
    parsed = httpx.URL(url)
    lines = [f"GET {parsed.raw_path.decode()} HTTP/1.1", f"Host: {parsed.host}:{parsed.port}"]
    request = ("\r\n".join(lines + [f"{k}: {v}" for k, v in headers.items()]) + "\r\n\r\n").encode()
    statuses: Counter[int] = Counter()
    latencies: list[float] = []

    async def main() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(_connection(parsed.host, parsed.port or 80, request, deadline, statuses, latencies)
                               for _ in range(connections)))

    began = time.perf_counter()
    asyncio.run(main())
    elapsed = time.perf_counter() - began
    bad = sum(n for status, n in statuses.items() if not 200 <= status < 300)
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    return sum(statuses.values()) / elapsed, statistics.median(latencies) * 1000, p99, bad


def connected_member_status(url: str) -> str:
    """The `/status` URL of a CONNECTED MX Bank member (what a guide-following client polls)."""
    with httpx.Client(base_url=url, auth=AUTH, headers={"Accept-Version": "v20250224"}) as mx:
        mx.post("/_sandbox/clock", json={"frozen": True})
        user = mx.post("/users", json={"user": {"id": "bench"}}).json()["user"]["guid"]
        fields = {f["field_name"]: f["guid"] for f in mx.get("/institutions/mxbank/credentials").json()["credentials"]}
        member = mx.post(f"/users/{user}/members", json={"member": {"institution_code": "mxbank", "credentials": [
            {"guid": fields["LOGIN"], "value": "mxuser"}, {"guid": fields["PASSWORD"], "value": "password"}]}})
        mx.post("/_sandbox/clock", json={"advance_seconds": 60})
        return f"{url}/users/{user}/members/{member.json()['member']['guid']}/status"


PRISM_HOME = Path.home() / ".cache" / "mx-sandbox" / "prism"


def prism_binary() -> Path | None:
    """Prism from the cache, installed there with npm on first use; None without npm."""
    binary = PRISM_HOME / "node_modules" / ".bin" / "prism"
    if not binary.exists() and shutil.which("npm"):
        PRISM_HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(PRISM_HOME), "--no-audit", "--no-fund",
                        "@stoplight/prism-cli@5"], check=False, capture_output=True, timeout=600)
    return binary if binary.exists() else None


def start_prism(binary: Path, spec: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([str(binary), "mock", "--host", "127.0.0.1", "--port", str(port), "--errors", "false",
                             str(spec)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.perf_counter() + 120  # Prism parses the whole 1 MB spec before it listens
    while time.perf_counter() < deadline:
        try:
            httpx.get(url + "/institutions", headers=HEADERS, timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("prism did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="start-ups per server (median reported)")
    parser.add_argument("--seconds", type=int, default=10, help="load duration per server")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--no-prism", action="store_true", help="skip the Prism comparison")
    args = parser.parse_args()
    tool = "wrk" if args.tool == "wrk" or (args.tool == "auto" and shutil.which("wrk")) else "python"
    load = load_wrk if tool == "wrk" else load_python

    startups: dict[str, list[float]] = {"sandbox": [], "bare": []}
    for _ in range(args.runs):
        for kind in startups:
            proc, _, seconds = start(kind)
            startups[kind].append(seconds)
            stop(proc)

    results = {}
    for kind in ("sandbox", "bare"):
        proc, url, _ = start(kind)
        try:
            if kind == "sandbox":
                target = connected_member_status(url)
            else:
                target = f"{url}/user"
            assert httpx.get(target, headers=HEADERS).status_code == 200
            results[kind] = load(target, HEADERS, args.seconds, args.connections)
        finally:
            stop(proc)

    prism = None if args.no_prism else prism_binary()
    spec = Path(os.environ.get("MX_OPENAPI_DIR", ROOT.parent / "shared" / "mx-reference" / "openapi")) / "v20250224.yml"
    if prism is not None and spec.exists():
        proc, url = start_prism(prism, spec)
        try:
            # Any guids: a stateless mock answers the spec's example whatever they are.
            target = f"{url}/users/USR-1/members/MBR-1/status"
            results["prism"] = load(target, HEADERS, args.seconds, args.connections)
        finally:
            stop(proc)

    s_up, b_up = statistics.median(startups["sandbox"]), statistics.median(startups["bare"])
    print(f"start-up, process start → first 200 (median of {args.runs}):")
    print(f"  mx-sandbox serve        {s_up * 1000:8.0f} ms   (min {min(startups['sandbox']) * 1000:.0f})")
    print(f"  bare Starlette+uvicorn  {b_up * 1000:8.0f} ms   (min {min(startups['bare']) * 1000:.0f})")
    print(f"  ratio sandbox/bare      {s_up / b_up:8.2f}x")
    print(f"load, {args.seconds} s, {args.connections} keep-alive connections, {tool}:")
    names = {"sandbox": "GET …/members/{m}/status", "bare": "bare GET /user", "prism": "Prism, same path"}
    for kind, (rps, p50, p99, bad) in results.items():
        print(f"  {names[kind]:<26} {rps:8.0f} req/s   p50 {p50:.1f} ms   p99 {p99:.1f} ms   non-2xx {bad}")
    sandbox_rps = results["sandbox"][0]
    print(f"  ratio sandbox/bare      {sandbox_rps / results['bare'][0]:8.2f}x")
    if "prism" in results:
        print(f"  ratio sandbox/Prism     {sandbox_rps / results['prism'][0]:8.2f}x")
    else:
        print("  Prism: not measured (" + ("--no-prism" if args.no_prism else "no npm" if prism is None
                                         else f"no spec at {spec}") + ")")
    return 0 if all(r[3] == 0 for k, r in results.items() if k != "prism") else 1


if __name__ == "__main__":
    raise SystemExit(main())
