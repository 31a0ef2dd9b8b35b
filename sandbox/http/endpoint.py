"""The one wrapper every MX route goes through: auth → version → settle the clock → handler → JSON."""
from __future__ import annotations

import time

import orjson
from dataclasses import dataclass, field
from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ..core.cause import CALLBACK_PAYLOAD_LIMIT, Cause
from ..core.errors import BadRequest, MXError
from ..core.tenant import Tenant
from .driver import catch_up, gate
from .auth import client_id_from
from .faults import inject
from .headers import header_map
from .persist import REPLAY_KEY
from .request_journal import BodyOnce, record_call
from .versioning import STRICT, SUPPORTED, V2025, media_type, negotiate, requested_version


@dataclass
class Ctx:
    """What a handler sees: the tenant, the negotiated version, path params, query and body."""

    request: Request
    tenant: Tenant
    version: str
    body: dict[str, Any] | None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def query(self):
        return self.request.query_params

    @property
    def is_v2025(self) -> bool:
        return self.version == V2025


@dataclass
class Reply:
    body: Any = None
    status: int = 200


Handler = Callable[[Ctx], "Reply | Response | dict[str, Any]"]


class JSONBody(Response):
    """A Starlette `Response` with its two headers built directly: `Response.__init__` re-derives
    them through `init_headers` on every call, a measurable share of a small answer."""

    def __init__(self, content: bytes, status: int, content_type: bytes) -> None:
        self.status_code = status
        self.background = None
        self.body = content
        self.raw_headers = [(b"content-length", str(len(content)).encode()), (b"content-type", content_type)]


_CONTENT_TYPES: dict[str | None, bytes] = {}


def json_response(body: Any, status: int, version: str | None) -> Response:
    if body is None:
        return Response(status_code=status)
    content_type = _CONTENT_TYPES.get(version)
    if content_type is None:
        content_type = _CONTENT_TYPES[version] = media_type(version).encode("latin-1")
    # compact UTF-8, key order kept: what json.dumps gave, ~5x faster
    return JSONBody(orjson.dumps(body), status, content_type)


# Every 401 names its scheme (RFC 9110 requires it), so a browser asks for client_id and api_key.
CHALLENGE = {"WWW-Authenticate": 'Basic realm="mx-sandbox", charset="UTF-8"'}


def error_response(error: MXError, version: str | None = None) -> Response:
    response = json_response({"error": {"message": error.message}}, error.status, version)
    if error.status == 401:
        response.headers.update(CHALLENGE)
    return response


def request_cause(headers: Any, version: str | None) -> Cause:
    """`X-CALLBACK-PAYLOAD` (echoed in MEMBER webhooks) and `MX-Skip-Webhook: true` (suppresses the
    webhooks this request causes). Honoured on every MX call, not only the four MX documents."""
    payload = headers.get("x-callback-payload")
    if payload is not None and len(payload) > CALLBACK_PAYLOAD_LIMIT:
        raise BadRequest(f"X-CALLBACK-PAYLOAD must be at most {CALLBACK_PAYLOAD_LIMIT} characters.")
    skip = headers.get("mx-skip-webhook", "").strip().lower() == "true"
    if not payload and not skip:
        return _PLAIN_CAUSES[version] if version in _PLAIN_CAUSES else Cause(None, False, version)
    return Cause(payload or None, skip, version)


_PLAIN_CAUSES = {version: Cause(None, False, version) for version in (*SUPPORTED, None)}  # Cause is frozen


TenantOf = Callable[[Request], Tenant]


class MXRoute:
    """The ASGI app of one MX operation. Starlette calls a non-function endpoint as plain ASGI, so
    no per-request wrapper sits between the router and this (errors are answered here anyway)."""

    def __init__(self, handler: Handler, versioned: bool, record: bool, tenant_of: TenantOf | None,
                 body_on_get: bool) -> None:
        self.handler, self.versioned, self.record = handler, versioned, record
        self.tenant_of, self.body_on_get = tenant_of, body_on_get
        self.__name__ = getattr(handler, "__name__", "endpoint")  # the route's name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(Request(scope, receive))
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        started = time.perf_counter()
        scope = request.scope
        app_state = scope["app"].state
        policy = app_state.versioning or STRICT
        record = self.record
        version: str | None = None
        tenant: Tenant | None = None
        body_once = BodyOnce(request, always=self.body_on_get)
        headers = header_map(scope)
        fault: str | None = None
        try:
            if self.tenant_of is not None:
                tenant = self.tenant_of(request)
            else:
                tenant = app_state.tenants.get(client_id_from(headers, app_state.credentials))
            # MX calls only: the control API is never faulted. Nor is a replay of the state log: it
            # reproduces the calls that were answered, and fault draws would shift what it replays.
            if record and len(tenant.faults) and REPLAY_KEY not in scope:  # no rules: nothing to await
                injected, fault = await inject(request, tenant, started, body_once)
                if injected is not None:
                    return injected
            if self.versioned:
                version = negotiate(headers, policy)
            body = await body_once.json() if body_once.wanted else None
            cause = request_cause(headers, version)
            stopping = app_state.stopping
            async with gate(tenant):
                if tenant.has_due():  # the usual case is not: one look at the scheduler's head
                    await catch_up(tenant, stopping)
                with tenant.causes.caused_by(cause):
                    result = self.handler(Ctx(request, tenant, version or V2025, body, dict(scope["path_params"])))
                if not isinstance(result, Response):  # a Response is already rendered, e.g. a PDF
                    reply = result if isinstance(result, Reply) else Reply(result)
                    result = json_response(reply.body, reply.status, version)
                if record:
                    record_call(tenant, request, result.status_code, started, body, fault)
                if tenant.has_due():  # e.g. the clock was moved: run what that made due
                    await catch_up(tenant, stopping)
            return result
        except MXError as error:
            # Refused calls belong on the timeline too (a failed journey is read from it); only a
            # call without valid credentials has no tenant to record it in.
            if record and tenant is not None:
                record_call(tenant, request, error.status, started, body_once.value, fault)
            return error_response(error, version or (requested_version(headers, policy) if self.versioned else None))


def mx_route(handler: Handler, versioned: bool = True, record: bool = True, tenant_of: TenantOf | None = None,
             body_on_get: bool = False) -> MXRoute:
    """Turn a sync core-calling handler into a Starlette endpoint with MX's conventions.

    `tenant_of` replaces Basic auth where a secret leads to the tenant (a processor's bearer token);
    `body_on_get` reads a JSON body on GET too (MX's listTokens takes its scope in one).

    Handlers are synchronous and run under the tenant's gate after it has caught up, so each request
    sees and changes tenant state atomically; only the catch-up itself yields between slices.
    """
    return MXRoute(handler, versioned, record, tenant_of, body_on_get)
