"""What the request journal records of an MX call: read once from the request, kept in the core.

`mx_route` reads a body through `BodyOnce`, so a fault that answers before the handler and the
handler itself see the same parse; `record_call` publishes the `ApiCalled` event the timeline and
the journal (core/journal.py) keep, with its body redacted and its response time.
"""
from __future__ import annotations

import time
from typing import Any

import orjson
from starlette.requests import Request

from ..core.errors import MXError
from ..core.events import ApiCalled
from ..core.journal import journal_body
from ..core.tenant import Tenant
from .auth import client_id_from
from .driver import gate
from .parsing import read_json

BODY_METHODS = ("POST", "PUT", "PATCH")


class BodyOnce:
    """The request's JSON body, parsed at most once; its error is raised to every caller."""

    def __init__(self, request: Request, always: bool = False) -> None:
        self.request = request
        self.always = always  # read a body whatever the method (listTokens takes one on GET)
        self._read = False
        self.value: dict[str, Any] | None = None  # None until read, or when there is none or it failed
        self._error: MXError | None = None

    @property
    def wanted(self) -> bool:
        """Whether this request's body is read at all (not on GET or DELETE, unless `always`)."""
        return self.always or self.request.scope["method"] in BODY_METHODS

    async def json(self) -> dict[str, Any] | None:
        if not self.wanted:
            return None
        if not self._read:
            self._read = True
            try:
                self.value = await read_json(self.request)
            except MXError as error:
                self._error = error
        if self._error is not None:
            raise self._error
        return self.value

    async def lenient(self) -> dict[str, Any] | None:
        """The body for the journal only: None when it is missing or refused."""
        try:
            return await self.json()
        except MXError:
            return None


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def record_call(tenant: Tenant, request: Request, status: int | None, started: float, body: Any,
                fault: str | None = None) -> None:
    scope = request.scope
    route = getattr(scope.get("route"), "path", "")
    query: dict[str, Any] = {}
    for name, value in (request.query_params.multi_items() if scope.get("query_string") else ()):
        query[name] = [*query[name], value] if isinstance(query.get(name), list) else \
            [query[name], value] if name in query else value
    shown, text = journal_body(body, _dumps) if body is not None else (None, "")
    tenant.bus.publish(ApiCalled(tenant.clock.now(), scope["method"], scope["path"], status, route, query,
                                 shown, text, round((time.perf_counter() - started) * 1000, 2), fault))


async def record_unrouted(request: Request, status: int) -> None:
    """An authenticated call to no MX route (404) or with the wrong method (405): journalled too, as
    these are the near misses a failing `assert_called` most needs to show. Control routes are not."""
    if request.url.path.startswith("/_sandbox"):
        return
    app_state = request.app.state
    try:
        tenant = app_state.tenants.get(client_id_from(request.headers, app_state.credentials))
    except MXError:
        return
    async with gate(tenant):
        record_call(tenant, request, status, time.perf_counter(), None)
