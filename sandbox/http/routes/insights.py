"""Insights: lists by user, account and transaction, read, update, and each insight's records."""
from __future__ import annotations

from starlette.routing import Route

from ...core.pfm.insights import Insight
from ...serialize.accounts import account_json
from ...serialize.pfm import category_json, merchant_json
from ...serialize.pfm_activity import insight_json, scheduled_payment_json
from ...serialize.transactions import transaction_json
from ..endpoint import Ctx, mx_route
from ..parsing import require_object
from ..resolve import data_store, listing, partner_ids, user_of


def _insights(ctx: Ctx, user, found: list[Insight]):
    client_guid = ctx.tenant.webhooks.client_guid
    return listing(ctx, "insights", found, lambda i: insight_json(i, client_guid, user.id))


def list_insights(ctx: Ctx):
    user = user_of(ctx)
    return _insights(ctx, user, ctx.tenant.pfm.activity.insight_list(user.guid))


def list_insights_by_account(ctx: Ctx):
    user = user_of(ctx)
    account = data_store(ctx).account(user.guid, ctx.params["account_guid"])
    found = [i for i in ctx.tenant.pfm.activity.insight_list(user.guid) if account.guid in i.account_guids]
    return _insights(ctx, user, found)


def list_insights_by_transaction(ctx: Ctx):
    user = user_of(ctx)
    txn = data_store(ctx).transaction(user.guid, ctx.params["transaction_guid"])
    found = [i for i in ctx.tenant.pfm.activity.insight_list(user.guid) if txn.guid in i.transaction_guids]
    return _insights(ctx, user, found)


def _insight(ctx: Ctx):
    user = user_of(ctx)
    return user, ctx.tenant.pfm.activity.insight(user.guid, ctx.params["insight_guid"])


def read_insight(ctx: Ctx):
    user, insight = _insight(ctx)
    return {"insight": insight_json(insight, ctx.tenant.webhooks.client_guid, user.id)}


def update_insight(ctx: Ctx):
    """MX's spec gives this answer the insight's fields at the top level, not under `insight`."""
    user, insight = _insight(ctx)
    ctx.tenant.pfm.activity.update_insight(insight, require_object(ctx.body, "insight"))
    return insight_json(insight, ctx.tenant.webhooks.client_guid, user.id)


def insight_accounts(ctx: Ctx):
    user, insight = _insight(ctx)
    store = data_store(ctx)
    found = [a for a in store.accounts(user.guid) if a.guid in insight.account_guids]
    ids = partner_ids(ctx, user, (a.member_guid for a in found))
    return listing(ctx, "accounts", found, lambda a: account_json(a, ctx.version, ids))


def insight_categories(ctx: Ctx):
    user, insight = _insight(ctx)
    categories = ctx.tenant.pfm.categories
    found = [c for c in (categories.find(user.guid, g) for g in insight.category_guids) if c is not None]
    return listing(ctx, "categories", found, category_json)


def insight_merchants(ctx: Ctx):
    _, insight = _insight(ctx)
    merchants = ctx.tenant.pfm.merchants
    found = [m for m in merchants.list() if m.guid in insight.merchant_guids]
    return listing(ctx, "merchants", found, merchant_json)


def insight_scheduled_payments(ctx: Ctx):
    _, insight = _insight(ctx)
    return listing(ctx, "scheduled_payments", list(insight.scheduled_payments), scheduled_payment_json)


def insight_transactions(ctx: Ctx):
    user, insight = _insight(ctx)
    store = data_store(ctx)
    found = [store.transaction(user.guid, g) for g in insight.transaction_guids if store.has_transaction(g)]
    ids = partner_ids(ctx, user, {t.member_guid for t in found})
    return listing(ctx, "transactions", found, lambda t: transaction_json(t, ctx.version, ids))


ONE = "/users/{user_guid}/insights/{insight_guid}"
routes = [
    Route("/users/{user_guid}/insights", mx_route(list_insights), methods=["GET"]),
    Route("/users/{user_guid}/accounts/{account_guid}/insights", mx_route(list_insights_by_account), methods=["GET"]),
    Route("/users/{user_guid}/transactions/{transaction_guid}/insights", mx_route(list_insights_by_transaction),
          methods=["GET"]),
    Route(ONE, mx_route(read_insight), methods=["GET"]),
    Route(ONE, mx_route(update_insight), methods=["PUT"]),
    Route(f"{ONE}/accounts", mx_route(insight_accounts), methods=["GET"]),
    Route(f"{ONE}/categories", mx_route(insight_categories), methods=["GET"]),
    Route(f"{ONE}/merchants", mx_route(insight_merchants), methods=["GET"]),
    Route(f"{ONE}/scheduled_payments", mx_route(insight_scheduled_payments), methods=["GET"]),
    Route(f"{ONE}/transactions", mx_route(insight_transactions), methods=["GET"]),
]
