"""The monthly cash-flow profile: income and expenses from the user's data, and the goals contribution."""
from __future__ import annotations

from starlette.routing import Route

from ...core.errors import BadRequest
from ...serialize.planning import cash_flow_json
from ..endpoint import Ctx, mx_route
from ..parsing import require_object
from ..resolve import user_of

# v20111101's spec (and MX's v1 SDK) wrap the update in `institution`; v20250224 names it properly.
BODY_KEYS = ("monthly_cash_flow_profile", "institution")


def _one(ctx: Ctx, user_guid: str) -> dict:
    return {"monthly_cash_flow_profile": cash_flow_json(ctx.tenant.pfm.planning.cash_flow_view(user_guid))}


def read_profile(ctx: Ctx):
    return _one(ctx, user_of(ctx).guid)


def update_profile(ctx: Ctx):
    user = user_of(ctx)
    if ctx.body is None:
        raise BadRequest("A request body is required.")
    key = next((k for k in BODY_KEYS if k in ctx.body), BODY_KEYS[0])
    ctx.tenant.pfm.planning.cash_flow.update(user.guid, require_object(ctx.body, key))
    return _one(ctx, user.guid)


routes = [
    Route("/users/{user_identifier}/monthly_cash_flow_profile", mx_route(read_profile), methods=["GET"]),
    Route("/users/{user_identifier}/monthly_cash_flow_profile", mx_route(update_profile), methods=["PUT"]),
]
