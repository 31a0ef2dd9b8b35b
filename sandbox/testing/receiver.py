"""A real webhook receiver on a loopback port, for tests, scenarios and examples.

`WebhookReceiver()` listens on 127.0.0.1 (a free port) in a daemon thread and records every POST:
`received` is the list of JSON bodies, `requests` the same with headers and arrival time.
`wait_for(type=..., member_guid=..., timeout=...)` blocks until a matching body arrives. It can be
told to misbehave: `fail(times=3, status=500)` answers the next N deliveries with an error, and
`hang()` stops answering at all (until `recover()` or `stop()`), like a dead receiver.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

MAX_RECORDED = 10_000  # the oldest bodies are dropped past this many


class _Server(ThreadingHTTPServer):
    request_queue_size = 1024  # the default listen backlog (5) drops a burst's connections for seconds
    daemon_threads = True


@dataclass
class Received:
    body: Any
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival
    answered: int  # the status the receiver answered with


@dataclass
class _Behaviour:
    fail_times: int = 0
    fail_status: int = 500
    hang: bool = False
    status: int = 204  # MX asks receivers to acknowledge with 204
    retry_after: str | None = None


class WebhookReceiver:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, path: str = "/webhooks",
                 on_receive: Callable[[Any], None] | None = None) -> None:
        self.path = path
        self.on_receive = on_receive  # called with each acknowledged body (e.g. an app's queue.put)
        self.requests: list[Received] = []
        self.attempts = 0  # every POST, answered or not
        self._behaviour = _Behaviour()
        self._cond = threading.Condition()
        self._released = threading.Event()
        self._server = _Server((host, port), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook receiver", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.path}"

    @property
    def received(self) -> list[Any]:
        with self._cond:
            return [r.body for r in self.requests]

    # -- behaviour ---------------------------------------------------------------------------------
    def fail(self, times: int, status: int = 500, retry_after: str | None = None) -> None:
        """Answer the next `times` deliveries with `status` (e.g. 500, or 429 with Retry-After)."""
        with self._cond:
            self._behaviour.fail_times, self._behaviour.fail_status = times, status
            self._behaviour.retry_after = retry_after

    def hang(self) -> None:
        """Accept connections but never answer (a receiver that is up but dead)."""
        self._released.clear()
        with self._cond:
            self._behaviour.hang = True

    def recover(self) -> None:
        with self._cond:
            self._behaviour = _Behaviour(status=self._behaviour.status)
        self._released.set()

    def clear(self) -> None:
        with self._cond:
            self.requests.clear()

    # -- waiting -----------------------------------------------------------------------------------
    def matching(self, type: str | None = None, member_guid: str | None = None, **fields: Any) -> list[Any]:
        def ok(body: Any) -> bool:
            if not isinstance(body, dict):
                return False
            if type is not None and body.get("type") != type:
                return False
            if member_guid is not None and member_guid not in (body.get("member_guid"), body.get("guid")):
                return False
            return all(body.get(k) == v for k, v in fields.items())

        return [b for b in self.received if ok(b)]

    def wait_for(self, type: str | None = None, member_guid: str | None = None, timeout: float = 10.0,
                 count: int = 1, **fields: Any) -> Any:
        """The first body matching (after `count` matches arrived); AssertionError after `timeout` s."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self.matching(type, member_guid, **fields)
                if len(found) >= count:
                    return found[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(b.get("type"), b.get("action"), b.get("member_guid") or b.get("guid"))
                            for b in self.received if isinstance(b, dict)]
                    raise AssertionError(f"no webhook matching type={type} member_guid={member_guid} {fields} "
                                         f"within {timeout}s; received {seen}")
                self._cond.wait(left)

    def wait_until(self, predicate: Callable[["WebhookReceiver"], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"condition not met within {timeout}s ({self.attempts} attempts seen)")
                self._cond.wait(left)

    # -- lifecycle ---------------------------------------------------------------------------------
    def stop(self) -> None:
        self._released.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "WebhookReceiver":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: a burst reuses connections

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                with receiver._cond:
                    receiver.attempts += 1
                    b = receiver._behaviour
                    hang = b.hang
                    if not hang and b.fail_times > 0:
                        b.fail_times -= 1
                        status, retry_after = b.fail_status, b.retry_after
                    else:
                        status, retry_after = b.status, None
                    receiver._cond.notify_all()
                if hang:
                    receiver._released.wait()
                    return
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                if 200 <= status < 300:
                    with receiver._cond:
                        receiver.requests.append(Received(body, dict(self.headers), time.monotonic(), status))
                        del receiver.requests[:-MAX_RECORDED]
                        receiver._cond.notify_all()
                    if receiver.on_receive is not None:
                        receiver.on_receive(body)
                self.send_response(status)
                if retry_after is not None:
                    self.send_header("Retry-After", retry_after)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return None

        return Handler
