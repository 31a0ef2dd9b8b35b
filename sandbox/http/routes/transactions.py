"""Transactions: list (user, member, account, account per member, tag), read, update, manual create/delete.

Every list takes MX's category filters (`category_guid`, `top_level_category_guid`, and their `[]`
forms); a guid that is neither a default category nor one of the user's is a 400.
"""
from __future__ import annotations

from typing import Sequence

from starlette.routing import Route

from ...core.data.queries import refuse_includes, transaction_query
from ...serialize.transactions import transaction_json, transaction_rows
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import require_object
from ..resolve import account_param, data_store, member_guid_of, page, partner_ids, use_case_members, user_of


def _category_filter(ctx: Ctx, user, found: Sequence) -> Sequence:
    q = ctx.query
    guids = q.getlist("category_guid") + q.getlist("category_guid[]")
    tops = q.getlist("top_level_category_guid") + q.getlist("top_level_category_guid[]")
    if not guids and not tops:
        return found
    keep = ctx.tenant.pfm.categories.matcher(user.guid, [g for g in guids if g], [g for g in tops if g])
    return [t for t in found if keep(t.category_guid)]


def _page(ctx: Ctx, user, found: Sequence) -> dict:
    found = _category_filter(ctx, user, found)
    wanted = use_case_members(ctx, user)
    if wanted is not None:
        found = [t for t in found if t.member_guid in wanted]
    chunk, pagination = page(ctx, found)
    ids = partner_ids(ctx, user, (t.member_guid for t in chunk))
    return {"transactions": transaction_rows(chunk, ctx.version, ids), "pagination": pagination}


def _list(ctx: Ctx, by_member: bool, by_account: bool):
    user = user_of(ctx)
    query = transaction_query(ctx.query.get, ctx.tenant.clock.now())
    member_guid = member_guid_of(ctx, user) if by_member else None
    account_guid = None
    if by_account:
        identifier, allow = account_param(ctx)
        account_guid = data_store(ctx).account(user.guid, identifier, member_guid, allow_id=allow).guid
    return _page(ctx, user, data_store(ctx).transaction_window(user.guid, query, member_guid, account_guid))


def list_transactions_by_tag(ctx: Ctx):
    user = user_of(ctx)
    query = transaction_query(ctx.query.get, ctx.tenant.clock.now())
    found = ctx.tenant.pfm.tagged_transactions(user.guid, ctx.params["tag_guid"], data_store(ctx).transactions(user.guid, query))
    return _page(ctx, user, found)


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
    refuse_includes(ctx.query.get)
    user = user_of(ctx)
    return _one(ctx, data_store(ctx).transaction(user.guid, ctx.params["transaction_guid"]), user)


def transaction_by_account(ctx: Ctx, user):
    store = data_store(ctx)
    member_guid = member_guid_of(ctx, user)
    identifier, allow = account_param(ctx)
    account = store.account(user.guid, identifier, member_guid, allow_id=allow)
    txn_identifier = ctx.params.get("transaction_identifier") or ctx.params["transaction_guid"]
    return store.transaction(user.guid, txn_identifier, account.guid, member_guid)


def read_transaction_by_account(ctx: Ctx):
    refuse_includes(ctx.query.get)
    user = user_of(ctx)
    return _one(ctx, transaction_by_account(ctx, user), user)


def _update(ctx: Ctx, txn, user):
    fields = require_object(ctx.body, "transaction")
    return _one(ctx, ctx.tenant.pfm.update_transaction(txn, fields, require_description=ctx.is_v2025), user)


def update_transaction(ctx: Ctx):
    user = user_of(ctx)
    return _update(ctx, data_store(ctx).transaction(user.guid, ctx.params["transaction_guid"]), user)


def update_transaction_by_account(ctx: Ctx):
    user = user_of(ctx)
    return _update(ctx, transaction_by_account(ctx, user), user)


def create_manual_transaction(ctx: Ctx):
    user = user_of(ctx)
    fields = require_object(ctx.body, "transaction")
    txn = data_store(ctx).create_manual_transaction(user.guid, ctx.params["account_guid"], fields)
    return _one(ctx, txn, user)


def delete_manual_transaction(ctx: Ctx):
    user = user_of(ctx)
    data_store(ctx).delete_manual_transaction(user.guid, ctx.params["transaction_guid"])
    ctx.tenant.pfm.prune(user.guid)  # its taggings go with it
    return Reply(None, 204)


MEMBER = "/users/{user_identifier}/members/{member_identifier}"
routes = [
    Route("/users/{user_identifier}/transactions", mx_route(list_transactions), methods=["GET"]),
    Route("/users/{user_guid}/transactions/{transaction_guid}", mx_route(read_transaction), methods=["GET"]),
    Route("/users/{user_guid}/transactions/{transaction_guid}", mx_route(update_transaction), methods=["PUT"]),
    Route("/users/{user_guid}/transactions/{transaction_guid}", mx_route(delete_manual_transaction), methods=["DELETE"]),
    Route("/users/{user_identifier}/tags/{tag_guid}/transactions", mx_route(list_transactions_by_tag), methods=["GET"]),
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
    Route(
        f"{MEMBER}/accounts/{{account_identifier}}/transactions/{{transaction_identifier}}",
        mx_route(update_transaction_by_account),
        methods=["PUT"],
    ),
]
