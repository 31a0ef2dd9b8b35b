"""Account numbers (instant account verification): by member and by account."""
from __future__ import annotations

from starlette.routing import Route

from ...serialize.member_data import account_number_json
from ..endpoint import Ctx, mx_route
from ..resolve import account_param, data_store, listing, member_guid_of, user_of


def _reply(ctx: Ctx, numbers: list) -> dict:
    return listing(ctx, "account_numbers", numbers, account_number_json)


def list_by_member(ctx: Ctx):
    user = user_of(ctx)
    return _reply(ctx, data_store(ctx).account_numbers(user.guid, member_guid=member_guid_of(ctx, user)))


def list_by_account(ctx: Ctx):
    user = user_of(ctx)
    identifier, allow = account_param(ctx)
    store = data_store(ctx)
    account = store.account(user.guid, identifier, allow_id=allow)
    return _reply(ctx, store.account_numbers(user.guid, account_guid=account.guid))


routes = [
    Route("/users/{user_guid}/members/{member_guid}/account_numbers", mx_route(list_by_member), methods=["GET"]),
    Route(
        "/users/{user_identifier}/accounts/{account_identifier}/account_numbers", mx_route(list_by_account), methods=["GET"]
    ),
]
