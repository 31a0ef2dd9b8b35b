"""Investment holdings: by member, by user, by account, and one holding; deactivating a user from them.

Deactivation (MX's non-billable "deactivate user from investment holdings") stops the user's jobs
refreshing holdings; as MX documents, any of the four holdings reads reactivates the user.
"""
from __future__ import annotations

from starlette.routing import Route

from ...serialize.member_data import holding_json
from ..endpoint import Ctx, mx_route
from ..resolve import data_store, listing, member_guid_of, user_of


DEACTIVATED_MESSAGE = "Successfully deactivated user from billing"


def _reply(ctx: Ctx, holdings: list) -> dict:
    return listing(ctx, "investment_holdings", holdings, holding_json)


def _reactivating(ctx: Ctx):
    """The path's user, reactivated for holdings (a read is how MX reactivates)."""
    user = user_of(ctx)
    data_store(ctx).set_holdings_active(user.guid, True)
    return user


def list_by_member(ctx: Ctx):
    user = _reactivating(ctx)
    return _reply(ctx, data_store(ctx).holdings(user.guid, member_guid=member_guid_of(ctx, user)))


def list_by_user(ctx: Ctx):
    return _reply(ctx, data_store(ctx).holdings(_reactivating(ctx).guid))


def list_by_account(ctx: Ctx):
    user = _reactivating(ctx)
    return _reply(ctx, data_store(ctx).holdings(user.guid, account_guid=ctx.params["account_guid"]))


def read_holding(ctx: Ctx):
    holding = data_store(ctx).holding(_reactivating(ctx).guid, ctx.params["holding_guid"])
    return {"investment_holding": holding_json(holding)}


def deactivate_user(ctx: Ctx):
    data_store(ctx).set_holdings_active(user_of(ctx).guid, False)
    return {"message": DEACTIVATED_MESSAGE, "status": 200}


routes = [
    Route("/users/{user_guid}/members/{member_guid}/investment_holdings", mx_route(list_by_member), methods=["GET"]),
    Route("/users/{user_guid}/investment_holdings", mx_route(list_by_user), methods=["GET"]),
    Route("/users/{user_guid}/investment_holdings/{holding_guid}", mx_route(read_holding), methods=["GET"]),
    Route("/users/{user_guid}/accounts/{account_guid}/investment_holdings", mx_route(list_by_account), methods=["GET"]),
    Route("/users/{user_guid}/investment_holdings_deactivate", mx_route(deactivate_user), methods=["GET"]),
]
