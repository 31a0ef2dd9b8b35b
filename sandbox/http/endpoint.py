"""The one wrapper every MX route goes through: auth → version → settle the clock → handler → JSON."""
from __future__ import annotations

import time

import orjson
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from ..core.cause import CALLBACK_PAYLOAD_LIMIT, Cause
from ..core.errors import BadRequest, MXError
from ..core.tenant import Tenant
from .driver import catch_up, gate
from .auth import client_id_from
from .faults import inject
from .headers import header_map
from .persist import REPLAY_KEY
from .request_journal import BodyOnce, record_call
from .versioning import V2025, media_type, negotiate, policy_of, requested_version


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


def json_response(body: Any, status: int, version: str | None) -> Response:
    if body is None:
        return Response(status_code=status)
    content = orjson.dumps(body)  # compact UTF-8, key order kept: what json.dumps gave, ~5x faster
    return Response(content, status_code=status, media_type=media_type(version))


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
    return Cause(payload or None, skip, version)


TenantOf = Callable[[Request], Tenant]


def mx_route(handler: Handler, versioned: bool = True, record: bool = True, tenant_of: TenantOf | None = None,
             body_on_get: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """Turn a sync core-calling handler into a Starlette endpoint with MX's conventions.

    `tenant_of` replaces Basic auth where a secret leads to the tenant (a processor's bearer token);
    `body_on_get` reads a JSON body on GET too (MX's listTokens takes its scope in one).

    Handlers are synchronous and run under the tenant's gate after it has caught up, so each request
    sees and changes tenant state atomically; only the catch-up itself yields between slices.
    """

    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        app_state = request.app.state
        version: str | None = None
        tenant: Tenant | None = None
        body_once = BodyOnce(request, always=body_on_get)
        headers = header_map(request.scope)
        fault: str | None = None
        try:
            if tenant_of is not None:
                tenant = tenant_of(request)
            else:
                tenant = app_state.tenants.get(client_id_from(headers, app_state.credentials))
            # MX calls only: the control API is never faulted. Nor is a replay of the state log: it
            # reproduces the calls that were answered, and fault draws would shift what it replays.
            if record and REPLAY_KEY not in request.scope:
                injected, fault = await inject(request, tenant, started, body_once)
                if injected is not None:
                    return injected
            if versioned:
                version = negotiate(headers, policy_of(request.app))
            body = await body_once.json()
            cause = request_cause(headers, version)
            stopping = getattr(app_state, "stopping", None)
            async with gate(tenant):
                await catch_up(tenant, stopping)
                with tenant.causes.caused_by(cause):
                    result = handler(Ctx(request, tenant, version or V2025, body, dict(request.path_params)))
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
            return error_response(error, version or (requested_version(headers, policy_of(request.app)) if versioned else None))

    endpoint.__name__ = getattr(handler, "__name__", "endpoint")
    return endpoint
