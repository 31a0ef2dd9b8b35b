"""Budgets: CRUD and auto-generation; spending figures come from the user's transactions this month."""
from __future__ import annotations

from starlette.routing import Route

from ...serialize.planning import budget_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import require_object
from ..resolve import user_of, view_listing


def _one(ctx: Ctx, budget) -> dict:
    return {"budget": budget_json(ctx.tenant.pfm.planning.budget_views(budget.user_guid, [budget])[0])}


def _budget(ctx: Ctx):
    return ctx.tenant.pfm.planning.budgets.get(user_of(ctx).guid, ctx.params["budget_guid"])


def list_budgets(ctx: Ctx):
    user = user_of(ctx)
    planning = ctx.tenant.pfm.planning
    return view_listing(ctx, "budgets", planning.budgets.list(user.guid),
                        lambda chunk: planning.budget_views(user.guid, chunk), budget_json)


def generate_budgets(ctx: Ctx):
    user = user_of(ctx)
    planning = ctx.tenant.pfm.planning
    return {"budgets": [budget_json(v) for v in planning.budget_views(user.guid, planning.generate_budgets(user.guid))]}


def create_budget(ctx: Ctx):
    user = user_of(ctx)
    return _one(ctx, ctx.tenant.pfm.planning.create_budget(user.guid, require_object(ctx.body, "budget")))


def read_budget(ctx: Ctx):
    return _one(ctx, _budget(ctx))


def update_budget(ctx: Ctx):
    budget = _budget(ctx)
    return _one(ctx, ctx.tenant.pfm.planning.budgets.update(budget, require_object(ctx.body, "budget")))


def delete_budget(ctx: Ctx):
    ctx.tenant.pfm.planning.budgets.delete(_budget(ctx))
    return Reply(None, 204)


ONE = "/users/{user_guid}/budgets/{budget_guid}"
routes = [
    Route("/users/{user_guid}/budgets/generate", mx_route(generate_budgets), methods=["POST"]),
    Route("/users/{user_guid}/budgets", mx_route(list_budgets), methods=["GET"]),
    Route("/users/{user_guid}/budgets", mx_route(create_budget), methods=["POST"]),
    Route(ONE, mx_route(read_budget), methods=["GET"]),
    Route(ONE, mx_route(update_budget), methods=["PUT"]),
    Route(ONE, mx_route(delete_budget), methods=["DELETE"]),
]
