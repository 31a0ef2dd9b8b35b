"""Investment holdings: by member, by user, by account, and one holding."""
from __future__ import annotations

from starlette.routing import Route

from ...serialize.member_data import holding_json
from ..endpoint import Ctx, mx_route
from ..resolve import data_store, listing, member_guid_of, user_of


def _reply(ctx: Ctx, holdings: list) -> dict:
    return listing(ctx, "investment_holdings", holdings, holding_json)


def list_by_member(ctx: Ctx):
    user = user_of(ctx)
    return _reply(ctx, data_store(ctx).holdings(user.guid, member_guid=member_guid_of(ctx, user)))


def list_by_user(ctx: Ctx):
    return _reply(ctx, data_store(ctx).holdings(user_of(ctx).guid))


def list_by_account(ctx: Ctx):
    user = user_of(ctx)
    return _reply(ctx, data_store(ctx).holdings(user.guid, account_guid=ctx.params["account_guid"]))


def read_holding(ctx: Ctx):
    holding = data_store(ctx).holding(user_of(ctx).guid, ctx.params["holding_guid"])
    return {"investment_holding": holding_json(holding)}


routes = [
    Route("/users/{user_guid}/members/{member_guid}/investment_holdings", mx_route(list_by_member), methods=["GET"]),
    Route("/users/{user_guid}/investment_holdings", mx_route(list_by_user), methods=["GET"]),
    Route("/users/{user_guid}/investment_holdings/{holding_guid}", mx_route(read_holding), methods=["GET"]),
    Route("/users/{user_guid}/accounts/{account_guid}/investment_holdings", mx_route(list_by_account), methods=["GET"]),
]
