"""Start `mx-sandbox serve` as a real subprocess on a free loopback port (tests, the scenario runner)."""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import httpx

from .tls import shared_tls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def send_raw(url: str, data: bytes) -> tuple[int, bytes, bytes]:
    """Write `data` to the server at `url` as it is and read one response: (status, head, body).

    For requests no HTTP client would send (not HTTP, over-long heads). The server may answer and
    close while we still write; an answer that keeps the connection open is read up to its length.
    """
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        with contextlib.suppress(OSError):
            sock.sendall(data)
        received = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                received += chunk
                head, _, body = received.partition(b"\r\n\r\n")
                length = re.search(rb"(?im)^content-length: *(\d+)", head)
                if length and len(body) >= int(length.group(1)):
                    break
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, body


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
        with httpx.Client(verify=shared_tls(), timeout=0.5) as probe:  # one client for every attempt
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    assert self.proc.stderr is not None
                    raise RuntimeError(f"sandbox exited: {self.proc.stderr.read().decode()[-2000:]}")
                try:
                    if probe.get(f"{self.url}/_sandbox/health").status_code == 200:
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
