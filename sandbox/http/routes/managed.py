"""Managed data: /managed_institutions and /users/{u}/managed_members/... (both versions, guids only)."""
from __future__ import annotations

from starlette.routing import Route

from ...core.data.model import Account
from ...core.data.queries import transaction_query
from ...core.managed import ManagedData
from ...core.members.model import Member
from ...serialize.accounts import PartnerIds, account_json
from ...serialize.institutions import institution_json
from ...serialize.members import member_json
from ...serialize.transactions import transaction_json
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import require_object
from ..resolve import listing, user_of


def managed(ctx: Ctx) -> ManagedData:
    return ctx.tenant.managed


def _member(ctx: Ctx) -> Member:
    return managed(ctx).member(user_of(ctx).guid, ctx.params["member_guid"])


def _account(ctx: Ctx) -> tuple[Member, Account]:
    member = _member(ctx)
    return member, managed(ctx).account(member, ctx.params["account_guid"])


def _ids(ctx: Ctx, member: Member) -> PartnerIds:
    return PartnerIds(ctx.tenant.users.get(member.user_guid).id, {member.guid: member.id})


def _member_body(ctx: Ctx, member: Member) -> dict:
    return {"member": member_json(member, ctx.version, _ids(ctx, member).user_id)}


def _account_body(ctx: Ctx, member: Member, account: Account) -> dict:
    return {"account": account_json(account, ctx.version, _ids(ctx, member))}


def list_managed_institutions(ctx: Ctx):
    return listing(ctx, "institutions", managed(ctx).institutions(), lambda i: institution_json(i, ctx.version))


def list_managed_members(ctx: Ctx):
    user = user_of(ctx)
    return listing(ctx, "members", managed(ctx).members_of(user.guid), lambda m: member_json(m, ctx.version, user.id))


def create_managed_member(ctx: Ctx):
    user = user_of(ctx)
    member = managed(ctx).create_member(user.guid, require_object(ctx.body, "member"))
    return Reply(_member_body(ctx, member), 202)


def read_managed_member(ctx: Ctx):
    return _member_body(ctx, _member(ctx))


def update_managed_member(ctx: Ctx):
    member = _member(ctx)
    managed(ctx).update_member(member, require_object(ctx.body, "member"))
    return _member_body(ctx, member)


def delete_managed_member(ctx: Ctx):
    ctx.tenant.lifecycle.delete_member(_member(ctx))
    return Reply(None, 204)


def list_managed_accounts(ctx: Ctx):
    member = _member(ctx)
    ids = _ids(ctx, member)
    return listing(ctx, "accounts", managed(ctx).accounts(member), lambda a: account_json(a, ctx.version, ids))


def create_managed_account(ctx: Ctx):
    member = _member(ctx)
    account = managed(ctx).create_account(member, require_object(ctx.body, "account"))
    return _account_body(ctx, member, account)


def read_managed_account(ctx: Ctx):
    return _account_body(ctx, *_account(ctx))


def update_managed_account(ctx: Ctx):
    member, account = _account(ctx)
    managed(ctx).update_account(account, require_object(ctx.body, "account"))
    return _account_body(ctx, member, account)


def delete_managed_account(ctx: Ctx):
    member, account = _account(ctx)
    ctx.tenant.data.drop_account(account)
    ctx.tenant.pfm.prune(member.user_guid)  # taggings of its transactions go with it
    return Reply(None, 204)


def list_managed_transactions(ctx: Ctx):
    member, account = _account(ctx)
    query = transaction_query(ctx.query.get, ctx.tenant.clock.now())
    found = ctx.tenant.data.transactions(member.user_guid, query, member.guid, account.guid)
    ids = _ids(ctx, member)
    return listing(ctx, "transactions", found, lambda t: transaction_json(t, ctx.version, ids))


def _transaction_body(ctx: Ctx, member: Member, txn) -> dict:
    return {"transaction": transaction_json(txn, ctx.version, _ids(ctx, member))}


def create_managed_transaction(ctx: Ctx):
    member, account = _account(ctx)
    txn = managed(ctx).create_transaction(account, require_object(ctx.body, "transaction"))
    return _transaction_body(ctx, member, txn)


def read_managed_transaction(ctx: Ctx):
    member, account = _account(ctx)
    return _transaction_body(ctx, member, managed(ctx).transaction(account, ctx.params["transaction_guid"]))


def update_managed_transaction(ctx: Ctx):
    member, account = _account(ctx)
    txn = managed(ctx).transaction(account, ctx.params["transaction_guid"])
    managed(ctx).update_transaction(txn, require_object(ctx.body, "transaction"))
    return _transaction_body(ctx, member, txn)


def delete_managed_transaction(ctx: Ctx):
    member, account = _account(ctx)
    ctx.tenant.data.drop_transaction(managed(ctx).transaction(account, ctx.params["transaction_guid"]))
    ctx.tenant.pfm.prune(member.user_guid)
    return Reply(None, 204)


MEMBERS = "/users/{user_guid}/managed_members"
MEMBER = f"{MEMBERS}/{{member_guid}}"
ACCOUNT = f"{MEMBER}/accounts/{{account_guid}}"
TRANSACTION = f"{ACCOUNT}/transactions/{{transaction_guid}}"
routes = [
    Route("/managed_institutions", mx_route(list_managed_institutions), methods=["GET"]),
    Route(MEMBERS, mx_route(list_managed_members), methods=["GET"]),
    Route(MEMBERS, mx_route(create_managed_member), methods=["POST"]),
    Route(MEMBER, mx_route(read_managed_member), methods=["GET"]),
    Route(MEMBER, mx_route(update_managed_member), methods=["PUT"]),
    Route(MEMBER, mx_route(delete_managed_member), methods=["DELETE"]),
    Route(f"{MEMBER}/accounts", mx_route(list_managed_accounts), methods=["GET"]),
    Route(f"{MEMBER}/accounts", mx_route(create_managed_account), methods=["POST"]),
    Route(ACCOUNT, mx_route(read_managed_account), methods=["GET"]),
    Route(ACCOUNT, mx_route(update_managed_account), methods=["PUT"]),
    Route(ACCOUNT, mx_route(delete_managed_account), methods=["DELETE"]),
    Route(f"{ACCOUNT}/transactions", mx_route(list_managed_transactions), methods=["GET"]),
    Route(f"{ACCOUNT}/transactions", mx_route(create_managed_transaction), methods=["POST"]),
    Route(TRANSACTION, mx_route(read_managed_transaction), methods=["GET"]),
    Route(TRANSACTION, mx_route(update_managed_transaction), methods=["PUT"]),
    Route(TRANSACTION, mx_route(delete_managed_transaction), methods=["DELETE"]),
]
