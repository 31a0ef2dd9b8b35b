"""Spending plans: plans, their monthly iterations, the current iteration's items and the plan's accounts.

MX's specs give these bodies unwrapped (no `spending_plan` key), and so does the sandbox. They also
declare `page` and `records_per_page` on reads of one record; there is nothing to page, so those
are refused (400) rather than silently ignored.
"""
from __future__ import annotations

from starlette.routing import Route

from ...core.errors import BadRequest, NotFound
from ...serialize.planning import item_json, iteration_json, plan_account_json, plan_json
from ..endpoint import Ctx, Reply, mx_route
from ..resolve import page, user_of, view_listing


def _one_record(ctx: Ctx) -> None:
    for name in ("page", "records_per_page"):
        if name in ctx.query:
            raise BadRequest(f"{name} applies to lists; this reads one record.")


def _plan(ctx: Ctx):
    return ctx.tenant.pfm.planning.plans.get(user_of(ctx).guid, ctx.params["spending_plan_guid"])


def _plan_body(ctx: Ctx, plan) -> dict:
    return plan_json(plan, ctx.tenant.pfm.planning.plans.current_number(plan))


def list_plans(ctx: Ctx):
    chunk, pagination = page(ctx, ctx.tenant.pfm.planning.plans.list(user_of(ctx).guid))
    return {"spending_plans": [_plan_body(ctx, p) for p in chunk], "pagination": pagination}


def create_plan(ctx: Ctx):
    return _plan_body(ctx, ctx.tenant.pfm.planning.plans.create(user_of(ctx).guid))


def read_plan(ctx: Ctx):
    _one_record(ctx)
    return _plan_body(ctx, _plan(ctx))


def delete_plan(ctx: Ctx):
    ctx.tenant.pfm.planning.plans.delete(_plan(ctx))
    return Reply(None, 204)


# -- iterations ----------------------------------------------------------------------------------
def list_iterations(ctx: Ctx):
    chunk, pagination = page(ctx, ctx.tenant.pfm.planning.plans.iterations(_plan(ctx)))
    return {"iterations": [iteration_json(i) for i in chunk], "pagination": pagination}


def read_current_iteration(ctx: Ctx):
    _one_record(ctx)
    plans = ctx.tenant.pfm.planning.plans
    plan = _plan(ctx)
    return iteration_json(plans.iteration(plan, plans.current_number(plan)))


def read_iteration(ctx: Ctx):
    _one_record(ctx)
    plan = _plan(ctx)
    raw = ctx.params["iteration_number"]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        raise NotFound()
    return iteration_json(ctx.tenant.pfm.planning.plans.iteration(plan, int(raw)))


# -- items of the current iteration --------------------------------------------------------------
def _item_body(ctx: Ctx, plan, item) -> dict:
    return item_json(ctx.tenant.pfm.planning.item_views(plan, [item])[0], ctx.version)


def list_items(ctx: Ctx):
    planning = ctx.tenant.pfm.planning
    plan = _plan(ctx)
    return view_listing(ctx, "iteration_items", list(planning.plans.current_items(plan).values()),
                        lambda chunk: planning.item_views(plan, chunk), lambda view: item_json(view, ctx.version))


def _fields(ctx: Ctx) -> dict:
    if not ctx.body:
        raise BadRequest("A request body is required.")
    return ctx.body


def create_item(ctx: Ctx):
    plan = _plan(ctx)
    return _item_body(ctx, plan, ctx.tenant.pfm.planning.plans.create_item(plan, _fields(ctx)))


def _item(ctx: Ctx):
    plan = _plan(ctx)
    return plan, ctx.tenant.pfm.planning.plans.item(plan, ctx.params["iteration_item_guid"])


def read_item(ctx: Ctx):
    _one_record(ctx)
    return _item_body(ctx, *_item(ctx))


def update_item(ctx: Ctx):
    plan, item = _item(ctx)
    return _item_body(ctx, plan, ctx.tenant.pfm.planning.plans.update_item(plan, item, _fields(ctx)))


def delete_item(ctx: Ctx):
    plan, item = _item(ctx)
    ctx.tenant.pfm.planning.plans.delete_item(plan, item)
    return Reply(None, 204)


# -- plan accounts --------------------------------------------------------------------------------
def list_plan_accounts(ctx: Ctx):
    chunk, pagination = page(ctx, ctx.tenant.pfm.planning.plan_accounts(_plan(ctx)))
    client = ctx.tenant.webhooks.client_guid
    return {"spending_plan_accounts": [plan_account_json(a, client) for a in chunk], "pagination": pagination}


def _plan_account(ctx: Ctx):
    return ctx.tenant.pfm.planning.plan_account(_plan(ctx), ctx.params["spending_plan_account_guid"])


def read_plan_account(ctx: Ctx):
    _one_record(ctx)
    return plan_account_json(_plan_account(ctx), ctx.tenant.webhooks.client_guid)


def delete_plan_account(ctx: Ctx):
    ctx.tenant.pfm.planning.plans.remove_account(_plan_account(ctx))
    return Reply(None, 204)


PLANS = "/users/{user_guid}/spending_plans"
PLAN = PLANS + "/{spending_plan_guid}"
ITEMS = PLAN + "/iterations/current/iteration_items"
ACCOUNTS = PLAN + "/spending_plan_accounts"
routes = [
    Route(PLANS, mx_route(list_plans), methods=["GET"]),
    Route(PLANS, mx_route(create_plan), methods=["POST"]),
    Route(PLAN, mx_route(read_plan), methods=["GET"]),
    Route(PLAN, mx_route(delete_plan), methods=["DELETE"]),
    Route(PLAN + "/iterations", mx_route(list_iterations), methods=["GET"]),
    Route(PLAN + "/iterations/current", mx_route(read_current_iteration), methods=["GET"]),
    Route(PLAN + "/iterations/{iteration_number}", mx_route(read_iteration), methods=["GET"]),
    Route(ITEMS, mx_route(list_items), methods=["GET"]),
    Route(ITEMS, mx_route(create_item), methods=["POST"]),
    Route(ITEMS + "/{iteration_item_guid}", mx_route(read_item), methods=["GET"]),
    Route(ITEMS + "/{iteration_item_guid}", mx_route(update_item), methods=["PUT"]),
    Route(ITEMS + "/{iteration_item_guid}", mx_route(delete_item), methods=["DELETE"]),
    Route(ACCOUNTS, mx_route(list_plan_accounts), methods=["GET"]),
    Route(ACCOUNTS + "/{spending_plan_account_guid}", mx_route(read_plan_account), methods=["GET"]),
    Route(ACCOUNTS + "/{spending_plan_account_guid}", mx_route(delete_plan_account), methods=["DELETE"]),
]
