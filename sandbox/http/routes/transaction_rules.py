"""Transaction rules: CRUD; creating or changing one recategorises the matching transactions."""
from __future__ import annotations

from starlette.routing import Route

from ...serialize.pfm import rule_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import require_object
from ..resolve import listing, user_of


def list_rules(ctx: Ctx):
    return listing(ctx, "transaction_rules", ctx.tenant.pfm.rules.list(user_of(ctx).guid), rule_json)


def create_rule(ctx: Ctx):
    user = user_of(ctx)
    rule = ctx.tenant.pfm.create_rule(user.guid, require_object(ctx.body, "transaction_rule"))
    return {"transaction_rule": rule_json(rule)}


def read_rule(ctx: Ctx):
    return {"transaction_rule": rule_json(ctx.tenant.pfm.rules.get(user_of(ctx).guid, ctx.params["transaction_rule_guid"]))}


def update_rule(ctx: Ctx):
    pfm = ctx.tenant.pfm
    rule = pfm.rules.get(user_of(ctx).guid, ctx.params["transaction_rule_guid"])
    return {"transaction_rule": rule_json(pfm.update_rule(rule, require_object(ctx.body, "transaction_rule")))}


def delete_rule(ctx: Ctx):
    rules = ctx.tenant.pfm.rules
    rules.delete(rules.get(user_of(ctx).guid, ctx.params["transaction_rule_guid"]))
    return Reply(None, 204)


ONE = "/users/{user_guid}/transaction_rules/{transaction_rule_guid}"
routes = [
    Route("/users/{user_guid}/transaction_rules", mx_route(list_rules), methods=["GET"]),
    Route("/users/{user_guid}/transaction_rules", mx_route(create_rule), methods=["POST"]),
    Route(ONE, mx_route(read_rule), methods=["GET"]),
    Route(ONE, mx_route(update_rule), methods=["PUT"]),
    Route(ONE, mx_route(delete_rule), methods=["DELETE"]),
]
