"""HTTP faults on MX calls: an injected status, a delay, a reset connection (rules: core/faults.py).

`inject` runs in `mx_route` after authentication and before anything else, as a gateway's rate
limiter would. The rule is matched (and its `times` counted) under the tenant's gate; the delay is
an `asyncio.sleep` outside it, so a slow call never holds up other calls, this tenant's included.

A reset is real on a socket: the server's protocol (http/wire.py) puts a `reset` callable in the
ASGI scope's state that sets SO_LINGER 0 and aborts the transport, so the client reads a TCP RST
(httpx: `ReadError`). Without one (the in-process transport, another ASGI server) the app answers
502 with `x-mx-sandbox-reset: 1`, which `sandbox.testing.inprocess` turns into the same error.
"""
from __future__ import annotations

import asyncio
import time
import orjson
from http import HTTPStatus
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ..core.faults import FaultRule
from ..core.tenant import Tenant
from .driver import gate
from .request_journal import BodyOnce, record_call
from .versioning import media_type, policy_of, requested_version

RESET_STATE_KEY = "mx_sandbox.reset_connection"
RESET_HEADER = "x-mx-sandbox-reset"
FAULT_HEADER = "x-mx-sandbox-fault"
MESSAGES = {
    429: "Too many requests; try again later.",
    500: "Internal server error.",
    502: "Bad gateway.",
    503: "Service is unavailable.",
    504: "Gateway timeout.",
}


def default_message(status: int) -> str:
    if status in MESSAGES:
        return MESSAGES[status]
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "The request failed."


class ConnectionReset(Response):
    """Closes the connection without an answer where the server allows it (see the module doc)."""

    def __init__(self) -> None:
        super().__init__(status_code=502, headers={RESET_HEADER: "1"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reset = (scope.get("state") or {}).get(RESET_STATE_KEY)
        if reset is not None:
            reset()
            return
        await super().__call__(scope, receive, send)


def fault_response(rule: FaultRule, version: str | None) -> Response:
    spec = rule.spec
    status = spec["status"]
    body: Any = spec["body"] if spec["body"] is not None else {"error": {"message": default_message(status)}}
    response = Response(orjson.dumps(body), status_code=status, media_type=media_type(version))
    if spec["retry_after"] is not None:
        response.headers["retry-after"] = str(spec["retry_after"])
    response.headers[FAULT_HEADER] = rule.id
    return response


async def _sleep(seconds: float) -> None:
    """At least `seconds` (event-loop timers may fire a hair early), yielding all the while."""
    deadline = time.perf_counter() + seconds
    while (left := deadline - time.perf_counter()) > 0:
        await asyncio.sleep(left + 0.0005)


async def inject(request: Request, tenant: Tenant, started: float, body: BodyOnce) -> tuple[Response | None, str | None]:
    """(the fault's answer, or None to answer as MX; the id of the rule that fired, if one did)."""
    if not len(tenant.faults):  # the usual case: no rules, no lock
        return None, None
    route = getattr(request.scope.get("route"), "path", "")
    async with gate(tenant):
        rule = tenant.faults.http_fault(request.method, request.scope["path"], route, request.path_params)
    if rule is None:
        return None, None
    spec = rule.spec
    if spec["delay_ms"]:
        await _sleep(spec["delay_ms"] / 1000)
    if spec["status"] is None and not spec["reset_connection"]:
        return None, rule.id  # only slow: the call goes on as usual
    parsed = await body.lenient()
    if spec["reset_connection"]:
        response: Response = ConnectionReset()
        status = None
    else:
        response = fault_response(rule, requested_version(request.headers, policy_of(request.app)))
        status = spec["status"]
    async with gate(tenant):
        record_call(tenant, request, status, started, parsed, fault=rule.id)
    return response, rule.id
