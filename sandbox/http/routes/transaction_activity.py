"""Split and unsplit a transaction (by user, and by member account in v20250224), repeating
transactions, and enhance (categorise posted descriptions without storing them)."""
from __future__ import annotations

from starlette.routing import Route

from ...core.errors import BadRequest
from ...serialize.pfm_activity import enhanced_json, repeating_json
from ...serialize.transactions import transaction_json
from ..endpoint import Ctx, Reply, mx_route
from ..resolve import data_store, partner_ids, user_of
from .transactions import transaction_by_account


def _parent(ctx: Ctx, by_account: bool):
    user = user_of(ctx)
    if by_account:
        return user, transaction_by_account(ctx, user)
    return user, data_store(ctx).transaction(user.guid, ctx.params["transaction_guid"])


def _split(ctx: Ctx, by_account: bool):
    user, parent = _parent(ctx, by_account)
    if ctx.body is None or ctx.body.get("transactions") is None:
        raise BadRequest("The 'transactions' object is required.")
    children = ctx.tenant.pfm.activity.split(parent, ctx.body["transactions"])
    ids = partner_ids(ctx, user, [parent.member_guid])
    return {"transactions": [transaction_json(t, ctx.version, ids) for t in children]}


def _unsplit(ctx: Ctx, by_account: bool):
    user, parent = _parent(ctx, by_account)
    ctx.tenant.pfm.activity.unsplit(parent)
    ctx.tenant.pfm.prune(user.guid)  # taggings and insights of the children go with them
    return Reply(None, 204)


def split_transaction(ctx: Ctx):
    return _split(ctx, by_account=False)


def split_transaction_by_account(ctx: Ctx):
    return _split(ctx, by_account=True)


def unsplit_transaction(ctx: Ctx):
    return _unsplit(ctx, by_account=False)


def unsplit_transaction_by_account(ctx: Ctx):
    return _unsplit(ctx, by_account=True)


def list_repeating(ctx: Ctx):
    found = ctx.tenant.pfm.activity.repeating(user_of(ctx).guid)
    return {"repeating_transactions": [repeating_json(s) for s in found]}


def read_repeating(ctx: Ctx):
    found = ctx.tenant.pfm.activity.repeating_one(user_of(ctx).guid, ctx.params["repeating_transaction_guid"])
    return {"repeating_transactions": [repeating_json(found)]}


def enhance_transactions(ctx: Ctx):
    if ctx.body is None:
        raise BadRequest("A request body is required.")
    enhanced = ctx.tenant.pfm.activity.enhancer.enhance(ctx.body.get("transactions"))
    return {"transactions": [enhanced_json(item, ctx.version) for item in enhanced]}


SPLIT = "/users/{user_guid}/transactions/{transaction_guid}/split"
BY_ACCOUNT = ("/users/{user_identifier}/members/{member_identifier}/accounts/{account_identifier}"
              "/transactions/{transaction_identifier}/split")
routes = [
    Route(SPLIT, mx_route(split_transaction), methods=["POST"]),
    Route(SPLIT, mx_route(unsplit_transaction), methods=["DELETE"]),
    Route(BY_ACCOUNT, mx_route(split_transaction_by_account), methods=["POST"]),
    Route(BY_ACCOUNT, mx_route(unsplit_transaction_by_account), methods=["DELETE"]),
    Route("/users/{user_guid}/repeating_transactions", mx_route(list_repeating), methods=["GET"]),
    Route("/users/{user_guid}/repeating_transactions/{repeating_transaction_guid}", mx_route(read_repeating),
          methods=["GET"]),
    Route("/transactions/enhance", mx_route(enhance_transactions), methods=["POST"]),
]
