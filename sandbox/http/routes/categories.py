"""Categories: MX's defaults (global and per user) and a user's custom categories."""
from __future__ import annotations

from starlette.routing import Route

from ...core.errors import BadRequest, NotFound
from ...core.pfm.categories import Category
from ...serialize.pfm import category_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import require_object
from ..resolve import listing, user_of


def _one(category: Category) -> dict:
    return {"category": category_json(category)}


def list_default_categories(ctx: Ctx):
    return listing(ctx, "categories", ctx.tenant.pfm.categories.defaults.ordered(), category_json)


def read_default_category(ctx: Ctx):
    found = ctx.tenant.pfm.categories.defaults.by_guid.get(ctx.params["category_guid"])
    if found is None:
        raise NotFound()
    return _one(found)


def list_default_categories_by_user(ctx: Ctx):
    user_of(ctx)
    return list_default_categories(ctx)


def list_categories(ctx: Ctx):
    user = user_of(ctx)
    return listing(ctx, "categories", ctx.tenant.pfm.categories.listing(user.guid), category_json)


def create_category(ctx: Ctx):
    user = user_of(ctx)
    return _one(ctx.tenant.pfm.categories.create(user.guid, require_object(ctx.body, "category")))


def read_category(ctx: Ctx):
    user = user_of(ctx)
    return _one(ctx.tenant.pfm.categories.get(user.guid, ctx.params["category_guid"]))


def _custom(ctx: Ctx) -> Category:
    user = user_of(ctx)
    store = ctx.tenant.pfm.categories
    found = store.get(user.guid, ctx.params["category_guid"])
    if found.is_default:
        raise BadRequest("Default categories cannot be changed or deleted.")
    return found


def update_category(ctx: Ctx):
    category = _custom(ctx)
    fields = require_object(ctx.body, "category")
    return _one(ctx.tenant.pfm.categories.update(category, fields))


def delete_category(ctx: Ctx):
    ctx.tenant.pfm.delete_category(_custom(ctx))
    return Reply(None, 204)


ONE = "/users/{user_guid}/categories/{category_guid}"
routes = [
    Route("/categories/default", mx_route(list_default_categories), methods=["GET"]),
    Route("/categories/{category_guid}", mx_route(read_default_category), methods=["GET"]),
    Route("/users/{user_guid}/categories/default", mx_route(list_default_categories_by_user), methods=["GET"]),
    Route("/users/{user_guid}/categories", mx_route(list_categories), methods=["GET"]),
    Route("/users/{user_guid}/categories", mx_route(create_category), methods=["POST"]),
    Route(ONE, mx_route(read_category), methods=["GET"]),
    Route(ONE, mx_route(update_category), methods=["PUT"]),
    Route(ONE, mx_route(delete_category), methods=["DELETE"]),
]
