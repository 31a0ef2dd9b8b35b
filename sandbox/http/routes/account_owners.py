"""Account owners (identity verification), listed by member."""
from __future__ import annotations

from starlette.routing import Route

from ...serialize.member_data import account_owner_json
from ..endpoint import Ctx, mx_route
from ..resolve import data_store, listing, member_guid_of, user_of


def list_by_member(ctx: Ctx):
    user = user_of(ctx)
    owners = data_store(ctx).account_owners(user.guid, member_guid_of(ctx, user))
    return listing(ctx, "account_owners", owners, account_owner_json)


routes = [
    Route(
        "/users/{user_identifier}/members/{member_identifier}/account_owners", mx_route(list_by_member), methods=["GET"]
    ),
]
