"""What every request goes through before routing, in one ASGI layer rather than three.

In order: the request id (echoed or made up, on every answer) and the access log; the head limits
(http/request_limits.py: 414, 431, 400 in MX's shape); the persistence capture (http/persist.py:
what the gate commits if the request changes state). One layer because each ASGI layer costs a
coroutine, a `send` wrapper and a scope walk on every request, and `/status` polling is the
sandbox's hottest path (benchmarks/startup_and_load.py).
"""
from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.errors import MXError
from ..core.store.recorder import capturing
from .endpoint import error_response
from .headers import header_map
from .persist import capture_request
from .request_limits import check_request_head
from .request_log import ACCESS, log_access, request_id_of
from .versioning import policy_of, requested_version


class Front:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = header_map(scope)
        request_id = request_id_of(headers)
        id_header = (b"x-request-id", request_id.encode())
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # a new list: the one sent may be the response's own `raw_headers`
                message["headers"] = [*message.get("headers", ()), id_header]
            await send(message)

        try:
            try:
                check_request_head(scope)
            except MXError as error:
                version = requested_version(headers, policy_of(scope.get("app")))
                await error_response(error, version)(scope, receive, send_with_id)
                return
            capture, receive = capture_request(scope, receive)
            with capturing(capture):
                await self.app(scope, receive, send_with_id)
        finally:
            if ACCESS.isEnabledFor(logging.INFO):
                log_access(scope, headers, status, (time.perf_counter() - started) * 1000, request_id)
