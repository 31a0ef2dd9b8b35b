"""/_sandbox/webhooks: the Client Dashboard's webhook settings, the deliveries, and `fire`. Not MX's.

- `PUT` `{"url", "types"?, "basic_auth"?, "timeout_seconds"?}` sets the receiver for the listed
  types (or, without `types`, the default for every type); `GET` reads the settings (never the
  password); `DELETE` clears them (`?type=` one type) and cancels what is still pending.
- `GET /deliveries?type=&member_guid=&state=&limit=`: deliveries with every attempt.
- `POST /fire` `{"type", "member_guid" | "microdeposit_guid"}` sends one now from the current state.
"""
from __future__ import annotations

from starlette.routing import Route

from ...core.errors import BadRequest
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import field_of

BASE = "/_sandbox/webhooks"
STATES = ("queued", "sending", "waiting", "delivered", "failed", "skipped", "cancelled")
MAX_LIMIT = 1_000


def read_config(ctx: Ctx):
    return {"webhooks": ctx.tenant.webhooks.config.to_json()}


def put_config(ctx: Ctx):
    if not ctx.body:
        raise BadRequest('Send {"url": ..., "types": [...], "basic_auth": {"username", "password"}}.')
    ctx.tenant.webhooks.config.put(ctx.body)
    return read_config(ctx)


def delete_config(ctx: Ctx):
    webhooks = ctx.tenant.webhooks
    type_ = ctx.query.get("type")
    webhooks.config.clear(type_ or None)
    if not type_:
        webhooks.outbox.cancel_all()
    return Reply(None, 204)


def list_deliveries(ctx: Ctx):
    q = ctx.query
    state = q.get("state") or None
    if state is not None and state not in STATES:
        raise BadRequest(f"state must be one of: {', '.join(STATES)}.")
    limit_text = q.get("limit") or str(MAX_LIMIT)
    if not limit_text.isdigit() or not 0 < int(limit_text) <= MAX_LIMIT:
        raise BadRequest(f"limit must be an integer from 1 to {MAX_LIMIT}.")
    found = ctx.tenant.webhooks.outbox.deliveries(q.get("type") or None, q.get("member_guid") or None, state)
    return {"deliveries": [d.to_json() for d in found[-int(limit_text):]]}


def fire(ctx: Ctx):
    body = ctx.body or {}
    type_ = field_of(body, "type", str)
    if not type_:
        raise BadRequest("type is required.")
    delivery = ctx.tenant.webhooks.fire(type_, field_of(body, "member_guid", str),
                                        field_of(body, "microdeposit_guid", str))
    return Reply({"delivery": delivery.to_json()}, 202)


def _control(handler):
    return mx_route(handler, versioned=False, record=False)


routes = [
    Route(BASE, _control(read_config), methods=["GET"]),
    Route(BASE, _control(put_config), methods=["PUT"]),
    Route(BASE, _control(delete_config), methods=["DELETE"]),
    Route(f"{BASE}/deliveries", _control(list_deliveries), methods=["GET"]),
    Route(f"{BASE}/fire", _control(fire), methods=["POST"]),
]
