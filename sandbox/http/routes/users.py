"""/users: create, list, read, update, delete."""
from __future__ import annotations

from starlette.routing import Route

from ...core.pagination import paginate, parse_page_request
from ...serialize.users import user_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import query_bool, require_object


def resolve_user(ctx: Ctx, key: str = "user_identifier"):
    """v20250224 paths accept the guid or the partner id; v20111101 only the guid."""
    return ctx.tenant.users.get(ctx.params[key], allow_partner_id=ctx.is_v2025)


def create_user(ctx: Ctx):
    user = ctx.tenant.users.create(require_object(ctx.body, "user"))
    return {"user": user_json(user, ctx.version)}


def list_users(ctx: Ctx):
    q = ctx.query
    found = ctx.tenant.users.list(
        id=q.get("id"), email=q.get("email"), is_disabled=query_bool(q.get("is_disabled"), "is_disabled")
    )
    page, pagination = paginate(found, parse_page_request(q.get("page"), q.get("records_per_page"), 1000))
    return {"users": [user_json(u, ctx.version) for u in page], "pagination": pagination}


def read_user(ctx: Ctx):
    return {"user": user_json(resolve_user(ctx), ctx.version)}


def update_user(ctx: Ctx):
    user = resolve_user(ctx)
    ctx.tenant.users.update(user, require_object(ctx.body, "user"))
    return {"user": user_json(user, ctx.version)}


def delete_user(ctx: Ctx):
    ctx.tenant.lifecycle.delete_user(resolve_user(ctx))
    return Reply(None, 204)


routes = [
    Route("/users", mx_route(list_users), methods=["GET"]),
    Route("/users", mx_route(create_user), methods=["POST"]),
    Route("/users/{user_identifier}", mx_route(read_user), methods=["GET"]),
    Route("/users/{user_identifier}", mx_route(update_user), methods=["PUT"]),
    Route("/users/{user_identifier}", mx_route(delete_user), methods=["DELETE"]),
]
