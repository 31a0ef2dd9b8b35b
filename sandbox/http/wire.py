"""uvicorn's HTTP protocols, answering requests its parser refuses in MX's error shape.

When a request line or header block is too long to parse, or the bytes are not HTTP at all, uvicorn
answers before the app runs, with a `text/plain` 400. These subclasses only change that answer: JSON
`{"error": {"message": ...}}`, 414 for a request line that never ended, 431 for headers that did not,
400 otherwise. Both parsers stop at MAX_HEAD_BYTES (h11 does so itself; llhttp, behind httptools, has
no limit, so the subclass counts). Smaller heads reach the app, where `RequestLimits` applies the
stricter documented limits. Both also let a fault reset the connection (`ResetsConnections`). Selected with `uvicorn.run(http="sandbox.http.wire:MXProtocol")`.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from http import HTTPStatus
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from .faults import RESET_STATE_KEY

MAX_HEAD_BYTES = 16 * 1024  # h11's own default for an incomplete request head
MAX_BUFFERED_HEAD_BYTES = 256 * 1024  # httptools: an unfinished header line buffered in memory
MESSAGES = {
    400: "The request could not be parsed as HTTP.",
    414: f"The request line is longer than {MAX_HEAD_BYTES} bytes.",
    431: f"The request headers are larger than {MAX_HEAD_BYTES} bytes.",
}


def refusal(status: int) -> bytes:
    """A complete HTTP/1.1 response that closes the connection."""
    body = json.dumps({"error": {"message": MESSAGES[status]}}).encode()
    head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n")
    return head.encode("ascii") + body


class ResetsConnections:
    """Puts `reset()` in every request's ASGI scope state: a fault (http/faults.py) uses it to close
    this connection with a TCP RST instead of answering."""

    transport: asyncio.Transport
    app_state: dict[str, Any]
    cycle: Any

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self.app_state = {**self.app_state, RESET_STATE_KEY: self.reset_connection}

    def reset_connection(self) -> None:
        sock = self.transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):  # linger 0: close() sends RST, not FIN
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        if self.cycle is not None:
            self.cycle.disconnected = True  # uvicorn then neither answers 500 nor logs a missing response
        self.transport.abort()


class MXH11Protocol(ResetsConnections, H11Protocol):
    def send_400_response(self, msg: str) -> None:
        pending, _ = self.conn.trailing_data  # the unparsed head h11 gave up on
        status = 400
        if len(pending) > MAX_HEAD_BYTES:
            status = 431 if b"\n" in pending else 414
        self.transport.write(refusal(status))
        self.transport.close()


MXProtocol: type[asyncio.Protocol] = MXH11Protocol

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # uvicorn without [standard]: h11 only
    pass
else:

    class MXHttpToolsProtocol(ResetsConnections, HttpToolsProtocol):
        _refused = 400
        _head_bytes: int | None = 0  # bytes received while its head is incomplete; None once complete

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._refused, self._head_bytes = 400, 0

        def on_url(self, url: bytes) -> None:  # called per fragment
            super().on_url(url)
            if len(self.url) > MAX_HEAD_BYTES:
                self._refused = 414
                raise ValueError("request line too long")  # httptools reports it as HttpParserError

        def on_headers_complete(self) -> None:
            # Counted once here rather than per header: an unfinished head is bounded in data_received.
            if sum(len(name) + len(value) for name, value in self.headers) > MAX_HEAD_BYTES:
                self._refused = 431
                raise ValueError("headers too large")
            self._head_bytes = None
            super().on_headers_complete()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            # httptools buffers a header until its line ends: bound that buffer too.
            if self._head_bytes is not None and not self.transport.is_closing():
                self._head_bytes += len(data)
                if self._head_bytes > MAX_BUFFERED_HEAD_BYTES:
                    self._refused = 431  # an over-long URL was refused in on_url already
                    self.send_400_response("")

        def send_400_response(self, msg: str) -> None:
            self.transport.write(refusal(self._refused))
            self.transport.close()

    MXProtocol = MXHttpToolsProtocol  # uvicorn's own choice too, when httptools is installed
