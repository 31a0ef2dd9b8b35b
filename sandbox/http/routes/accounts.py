"""Accounts: list and read (by user, by member), update by member, manual create and delete."""
from __future__ import annotations

from starlette.routing import Route

from ...core.data.merge import merge_accounts
from ...serialize.accounts import account_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import query_bool, require_object
from ..resolve import account_param, data_store, member_guid_of, page, partner_ids, use_case_members, user_of

def _list(ctx: Ctx, member_guid: str | None):
    user = user_of(ctx)
    accounts = data_store(ctx).accounts(user.guid, member_guid)
    is_manual = query_bool(ctx.query.get("is_manual"), "is_manual")
    managed = query_bool(ctx.query.get("member_is_managed_by_user"), "member_is_managed_by_user")
    if is_manual is not None:
        accounts = [a for a in accounts if a.is_manual == is_manual]
    if managed is not None:
        accounts = [a for a in accounts if a.is_manual == managed]
    wanted = use_case_members(ctx, user)
    if wanted is not None:  # manual accounts have no member created for a use case
        accounts = [a for a in accounts if a.member_guid in wanted]
    chunk, pagination = page(ctx, accounts)
    ids = partner_ids(ctx, user, (a.member_guid for a in chunk))
    return {"accounts": [account_json(a, ctx.version, ids) for a in chunk], "pagination": pagination}


def list_user_accounts(ctx: Ctx):
    return _list(ctx, None)


def list_member_accounts(ctx: Ctx):
    return _list(ctx, member_guid_of(ctx, user_of(ctx)))


def _one(ctx: Ctx, account, user) -> dict:
    return {"account": account_json(account, ctx.version, partner_ids(ctx, user, [account.member_guid]))}


def read_account(ctx: Ctx):
    user = user_of(ctx)
    identifier, allow = account_param(ctx)
    return _one(ctx, data_store(ctx).account(user.guid, identifier, allow_id=allow), user)


def read_account_by_member(ctx: Ctx):
    user = user_of(ctx)
    identifier, allow = account_param(ctx)
    account = data_store(ctx).account(user.guid, identifier, member_guid_of(ctx, user), allow_id=allow)
    return _one(ctx, account, user)


def update_account_by_member(ctx: Ctx):
    user = user_of(ctx)
    identifier, allow = account_param(ctx)
    store = data_store(ctx)
    account = store.account(user.guid, identifier, member_guid_of(ctx, user), allow_id=allow)
    store.update_account(account, require_object(ctx.body, "account"))
    return _one(ctx, account, user)


def create_manual_account(ctx: Ctx):
    user = ctx.tenant.users.get(ctx.params["user_identifier"], allow_partner_id=False)
    account = data_store(ctx).create_manual_account(user.guid, require_object(ctx.body, "account"))
    return _one(ctx, account, user)


def delete_manual_account(ctx: Ctx):
    user = user_of(ctx)
    data_store(ctx).delete_manual_account(user.guid, ctx.params["account_guid"])
    ctx.tenant.pfm.prune(user.guid)  # taggings of its transactions go with it
    return Reply(None, 204)


def merge_user_accounts(ctx: Ctx):
    user = user_of(ctx)
    survivor = merge_accounts(data_store(ctx), user.guid, require_object(ctx.body, "account"))
    return _one(ctx, survivor, user)


routes = [
    Route("/users/{user_guid}/accounts/merge", mx_route(merge_user_accounts), methods=["POST"]),
    Route("/users/{user_identifier}/accounts", mx_route(list_user_accounts), methods=["GET"]),
    Route("/users/{user_identifier}/accounts", mx_route(create_manual_account), methods=["POST"]),
    Route("/users/{user_guid}/accounts/{account_guid}", mx_route(read_account), methods=["GET"]),
    Route("/users/{user_guid}/accounts/{account_guid}", mx_route(delete_manual_account), methods=["DELETE"]),
    Route("/users/{user_identifier}/members/{member_identifier}/accounts", mx_route(list_member_accounts), methods=["GET"]),
    Route(
        "/users/{user_identifier}/members/{member_identifier}/accounts/{account_identifier}",
        mx_route(read_account_by_member),
        methods=["GET"],
    ),
    Route(
        "/users/{user_identifier}/members/{member_identifier}/accounts/{account_identifier}",
        mx_route(update_account_by_member),
        methods=["PUT"],
    ),
]
