"""sandbox.http.wire on a real socket, for each HTTP parser uvicorn may use (h11, and httptools when
installed): requests the parser refuses get MX's JSON error shape with 400, 414 or 431, and the
server keeps answering afterwards."""
from __future__ import annotations

import contextlib
import json
import threading
import time
from typing import Iterator

import httpx
import pytest
import uvicorn

from sandbox.app import build_app
from sandbox.http import wire
from sandbox.process import free_port, send_raw

PROTOCOLS = [pytest.param(wire.MXH11Protocol, id="h11")]
if hasattr(wire, "MXHttpToolsProtocol"):
    PROTOCOLS.append(pytest.param(wire.MXHttpToolsProtocol, id="httptools"))
BIG = b"x" * (wire.MAX_HEAD_BYTES + 100)
CASES = [
    (b"HELLO\r\n\r\n", 400),
    (b"GET /users/\xff HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    (b"GET /users?x=" + BIG + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GET /users HTTP/1.1\r\nHost: x\r\nX-Big: " + BIG + b"\r\n\r\n", 431),
    (b"GET /users HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(2000)) + b"\r\n", 431),
    (b"GET /users HTTP/1.1\r\nHost: x\r\nX-Big: " + b"x" * (wire.MAX_BUFFERED_HEAD_BYTES * 2), 431),  # never ends
]


@contextlib.contextmanager
def serve(protocol: type) -> Iterator[int]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_app(), host="127.0.0.1", port=port, http=protocol, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_parser_refusals_are_mx_shaped(protocol):
    with serve(protocol) as port:
        for data, status in CASES:
            got, head, body = send_raw(f"http://127.0.0.1:{port}", data)
            assert got == status, (data[:60], head)
            assert b"content-type: application/json" in head.lower()
            assert isinstance(json.loads(body)["error"]["message"], str)
        r = httpx.get(f"http://127.0.0.1:{port}/_sandbox/health")
        assert r.status_code == 200


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_ordinary_requests_pass_through(protocol):
    """Keep-alive connections and bodies larger than a head limit are unaffected by the subclasses."""
    with serve(protocol) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}", auth=("wire", "key"),
                                       headers={"Accept-Version": "v20250224"}) as http:
        for n in range(3):
            r = http.post("/users", json={"user": {"metadata": "m" * 10_000, "id": f"{n}".ljust(255, "i")}})
            assert r.status_code == 200, r.text
        assert http.get("/users").json()["pagination"]["total_entries"] == 3
