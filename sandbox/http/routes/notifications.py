"""Notifications: post one (v20250224 in the body, v20111101 in the query), list, read."""
from __future__ import annotations

from starlette.routing import Route

from ...core.data.generation import day_of
from ...core.data.queries import parse_day
from ...serialize.pfm_activity import notification_json
from ..endpoint import Ctx, mx_route
from ..parsing import require_object
from ..resolve import page, user_of


def create_notification(ctx: Ctx):
    user = user_of(ctx)
    if ctx.is_v2025:
        fields = require_object(ctx.body, "notification")
    else:
        fields = {name: ctx.query.get(name) for name in ("content", "subject")}
    return {"notification": notification_json(ctx.tenant.pfm.activity.create_notification(user.guid, fields), ctx.version)}


def list_notifications(ctx: Ctx):
    """Paged, newest first; v20111101 filters on the day each was created (`from_date` / `to_date`, inclusive)."""
    user = user_of(ctx)
    first, last = parse_day(ctx.query.get("from_date")), parse_day(ctx.query.get("to_date"))
    keep = None
    if first is not None or last is not None:
        def keep(n) -> bool:
            day = day_of(n.created_at)
            return (first is None or day >= first) and (last is None or day <= last)
    chunk, _ = page(ctx, ctx.tenant.pfm.activity.notification_list(user.guid, keep))
    return {"notifications": [notification_json(n, ctx.version) for n in chunk]}  # MX sends no pagination here


def read_notification(ctx: Ctx):
    user = user_of(ctx)
    found = ctx.tenant.pfm.activity.notification(user.guid, ctx.params["notification_guid"])
    return {"notification": notification_json(found, ctx.version)}


routes = [
    Route("/users/{user_guid}/notifications", mx_route(create_notification), methods=["POST"]),
    Route("/users/{user_guid}/notifications", mx_route(list_notifications), methods=["GET"]),
    Route("/users/{user_guid}/notifications/{notification_guid}", mx_route(read_notification), methods=["GET"]),
]
