"""X-Request-Id on every response, and one access record per request when the access log is on
(both applied by http/front.py).

A client's own `X-Request-Id` (printable ASCII, at most 200 characters) is echoed so its logs and
ours can be joined; otherwise the sandbox makes one up: 32 hex characters, a random half chosen
once per process (not derived from the seed) and a counter, so ids never repeat and making one
costs no system call. Request ids identify; they authorise nothing.
"""
from __future__ import annotations

import itertools
import logging
import os
import re
from typing import Mapping

from starlette.types import Scope

from ..core.errors import Unauthorized
from .auth import client_id_from

ACCESS = logging.getLogger("mx_sandbox.access")  # configured by sandbox/logs.py when serving
_GOOD_ID = re.compile(r"[\x21-\x7e]{1,200}")
_PROCESS_ID = os.urandom(8).hex()
_NUMBERS = itertools.count(1)


def request_id_of(headers: Mapping[str, str]) -> str:
    given = headers.get("x-request-id")
    if given and _GOOD_ID.fullmatch(given):
        return given
    return f"{_PROCESS_ID}{next(_NUMBERS):016x}"


def tenant_of(headers: Mapping[str, str]) -> str | None:
    """The client_id the request claims (never the api_key); None without Basic auth."""
    try:
        return client_id_from(headers, None)
    except Unauthorized:
        return None


def log_access(scope: Scope, headers: Mapping[str, str], status: int, latency_ms: float, request_id: str) -> None:
    tenant = tenant_of(headers)
    client = scope.get("client")
    fields = {
        "tenant": tenant, "method": scope["method"], "path": scope["path"], "status": status,
        "latency_ms": round(latency_ms, 2), "request_id": request_id,
        "client": f"{client[0]}:{client[1]}" if client else None,
    }
    ACCESS.info('%s "%s %s" %s %.1f ms id=%s', tenant or "-", scope["method"], scope["path"], status, latency_ms,
                request_id, extra=fields)
