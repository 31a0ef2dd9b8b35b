"""Transactions: list (user, member, account, account per member), read, manual create/delete."""
from __future__ import annotations

from starlette.routing import Route

from ...core.data.queries import transaction_query
from ...serialize.transactions import transaction_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import require_object
from ..resolve import account_param, data_store, member_guid_of, page, partner_ids, user_of


def _list(ctx: Ctx, by_member: bool, by_account: bool):
    user = user_of(ctx)
    query = transaction_query(ctx.query.get, ctx.tenant.clock.now())
    member_guid = member_guid_of(ctx, user) if by_member else None
    account_guid = None
    if by_account:
        identifier, allow = account_param(ctx)
        account_guid = data_store(ctx).account(user.guid, identifier, member_guid, allow_id=allow).guid
    found = data_store(ctx).transactions(user.guid, query, member_guid, account_guid)
    chunk, pagination = page(ctx, found)
    ids = partner_ids(ctx, user, (t.member_guid for t in chunk))
    return {"transactions": [transaction_json(t, ctx.version, ids) for t in chunk], "pagination": pagination}


def list_transactions(ctx: Ctx):
    return _list(ctx, by_member=False, by_account=False)


def list_transactions_by_member(ctx: Ctx):
    return _list(ctx, by_member=True, by_account=False)


def list_transactions_by_account(ctx: Ctx):
    return _list(ctx, by_member=False, by_account=True)


def list_transactions_by_account_per_member(ctx: Ctx):
    return _list(ctx, by_member=True, by_account=True)


def _one(ctx: Ctx, txn, user) -> dict:
    return {"transaction": transaction_json(txn, ctx.version, partner_ids(ctx, user, [txn.member_guid]))}


def read_transaction(ctx: Ctx):
    user = user_of(ctx)
    return _one(ctx, data_store(ctx).transaction(user.guid, ctx.params["transaction_guid"]), user)


def read_transaction_by_account(ctx: Ctx):
    user = user_of(ctx)
    store = data_store(ctx)
    member_guid = member_guid_of(ctx, user)
    identifier, allow = account_param(ctx)
    account = store.account(user.guid, identifier, member_guid, allow_id=allow)
    txn_identifier = ctx.params["transaction_identifier"]
    return _one(ctx, store.transaction(user.guid, txn_identifier, account.guid, member_guid), user)


def create_manual_transaction(ctx: Ctx):
    user = user_of(ctx)
    fields = require_object(ctx.body, "transaction")
    txn = data_store(ctx).create_manual_transaction(user.guid, ctx.params["account_guid"], fields)
    return _one(ctx, txn, user)


def delete_manual_transaction(ctx: Ctx):
    user = user_of(ctx)
    data_store(ctx).delete_manual_transaction(user.guid, ctx.params["transaction_guid"])
    return Reply(None, 204)


MEMBER = "/users/{user_identifier}/members/{member_identifier}"
routes = [
    Route("/users/{user_identifier}/transactions", mx_route(list_transactions), methods=["GET"]),
    Route("/users/{user_guid}/transactions/{transaction_guid}", mx_route(read_transaction), methods=["GET"]),
    Route("/users/{user_guid}/transactions/{transaction_guid}", mx_route(delete_manual_transaction), methods=["DELETE"]),
    Route(f"{MEMBER}/transactions", mx_route(list_transactions_by_member), methods=["GET"]),
    Route("/users/{user_guid}/accounts/{account_guid}/transactions", mx_route(list_transactions_by_account), methods=["GET"]),
    Route("/users/{user_guid}/accounts/{account_guid}/transactions", mx_route(create_manual_transaction), methods=["POST"]),
    Route(
        "/users/{user_guid}/members/{member_guid}/accounts/{account_guid}/transactions",
        mx_route(list_transactions_by_account_per_member),
        methods=["GET"],
    ),
    Route(
        f"{MEMBER}/accounts/{{account_identifier}}/transactions/{{transaction_identifier}}",
        mx_route(read_transaction_by_account),
        methods=["GET"],
    ),
]
