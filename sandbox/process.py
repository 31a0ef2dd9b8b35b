"""Start `mx-sandbox serve` as a real subprocess on a free loopback port (tests, the scenario runner)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SandboxProcess:
    def __init__(self, *args: str, port: int | None = None, env: dict[str, str] | None = None,
                 stdout: int = subprocess.DEVNULL) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "sandbox.cli", "serve", "--port", str(self.port), *args]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
        self.startup_seconds = self._wait_healthy()

    def _wait_healthy(self, timeout: float = 20.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                assert self.proc.stderr is not None
                raise RuntimeError(f"sandbox exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/_sandbox/health", timeout=0.5).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.HTTPError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError("sandbox did not become healthy")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def __enter__(self) -> "SandboxProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
