"""X-Request-Id on every response, and one access record per request when the access log is on.

A client's own `X-Request-Id` (printable ASCII, at most 200 characters) is echoed so its logs and
ours can be joined; otherwise the sandbox makes one up (random, not derived from the seed).
"""
from __future__ import annotations

import logging
import os
import re
import time
from typing import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.errors import Unauthorized
from .auth import client_id_from
from .headers import header_map

ACCESS = logging.getLogger("mx_sandbox.access")  # configured by sandbox/logs.py when serving
_GOOD_ID = re.compile(r"[\x21-\x7e]{1,200}")


def request_id_of(headers: Mapping[str, str]) -> str:
    given = headers.get("x-request-id", "")
    return given if given and _GOOD_ID.fullmatch(given) else os.urandom(16).hex()


def tenant_of(headers: Mapping[str, str]) -> str | None:
    """The client_id the request claims (never the api_key); None without Basic auth."""
    try:
        return client_id_from(headers, None)
    except Unauthorized:
        return None


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = header_map(scope)
        request_id = request_id_of(headers)
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if ACCESS.isEnabledFor(logging.INFO):
                _log(scope, headers, status, (time.perf_counter() - started) * 1000, request_id)


def _log(scope: Scope, headers: Mapping[str, str], status: int, latency_ms: float, request_id: str) -> None:
    tenant = tenant_of(headers)
    client = scope.get("client")
    fields = {
        "tenant": tenant, "method": scope["method"], "path": scope["path"], "status": status,
        "latency_ms": round(latency_ms, 2), "request_id": request_id,
        "client": f"{client[0]}:{client[1]}" if client else None,
    }
    ACCESS.info('%s "%s %s" %s %.1f ms id=%s', tenant or "-", scope["method"], scope["path"], status, latency_ms,
                request_id, extra=fields)
