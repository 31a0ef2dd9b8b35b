"""Verifiable credentials (identity, accounts, transactions) of a member or account, as a signed JWT.

MX answers these in `application/vnd.mx.api.v2beta+json` in both versions (its specs); errors keep
the negotiated version's media type like every other error.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import orjson
from starlette.responses import Response
from starlette.routing import Route

from ...core.data.generation import date_day
from ...core.errors import BadRequest, NotFound
from ...core.processor.credentials import MAX_CREDENTIAL_TRANSACTIONS, account_entry, customers, transaction_entry
from ..endpoint import Ctx, mx_route
from ..resolve import data_store, member_guid_of, user_of

VC_MEDIA_TYPE = "application/vnd.mx.api.v2beta+json"
MAX_RANGE_DAYS = 366  # MX's SDK: "The range is limited to 1 year"


def _credential(ctx: Ctx, kind: str, subject: dict[str, Any]) -> Response:
    user = user_of(ctx)
    token = ctx.tenant.credentials.sign(user.guid, f"{ctx.tenant.settings.public_url}{ctx.request.url.path}", kind,
                                        subject, ctx.tenant.clock.now())
    return Response(orjson.dumps({"verifiableCredential": token}), media_type=VC_MEDIA_TYPE)


def identity(ctx: Ctx):
    user = user_of(ctx)
    owners = data_store(ctx).account_owners(user.guid, member_guid_of(ctx, user))
    return _credential(ctx, "FinancialCustomerCredential", customers(owners))


def accounts(ctx: Ctx):
    user = user_of(ctx)
    member_guid = member_guid_of(ctx, user)
    store = data_store(ctx)
    institution = _institution_guid(ctx, user.guid, member_guid)
    entries = []
    for account in store.accounts(user.guid, member_guid):
        numbers = store.account_numbers(user.guid, account_guid=account.guid)
        entries.append(account_entry(account, numbers[0] if numbers else None, institution))
    return _credential(ctx, "FinancialAccountCredential", {"accounts": entries})


def transactions(ctx: Ctx):
    user = user_of(ctx)
    store = data_store(ctx)
    account = store.account(user.guid, ctx.params["account_guid"])
    first, last = _day(ctx, "startTime"), _day(ctx, "endTime")
    if first is not None and last is not None and first > last:
        raise BadRequest("startTime must not be after endTime.")
    if first is not None and last is not None and last - first > MAX_RANGE_DAYS:
        raise BadRequest("startTime and endTime may be at most one year apart.")
    found = [t for t in store.all_transactions(user.guid, account.member_guid)
             if t.account_guid == account.guid and (first is None or t.day >= first) and (last is None or t.day <= last)]
    found.sort(key=lambda t: (t.day, t.transacted_at, t.guid), reverse=True)
    entries = [transaction_entry(account, t) for t in found[:MAX_CREDENTIAL_TRANSACTIONS]]
    return _credential(ctx, "FinancialTransactionCredential", {"transactions": entries})


def _institution_guid(ctx: Ctx, user_guid: str, member_guid: str) -> str | None:
    try:
        return ctx.tenant.members.get(user_guid, member_guid, allow_partner_id=False).institution.guid
    except NotFound:  # the manual member has no institution
        return None


def _day(ctx: Ctx, name: str) -> int | None:
    value = ctx.query.get(name)
    if not value:
        return None
    try:
        return date_day(date.fromisoformat(value[:10]))
    except ValueError:
        raise BadRequest(f"{name} must be a date, YYYY-MM-DD.") from None


routes = [
    Route("/vc/users/{user_guid}/members/{member_guid}/customers", mx_route(identity), methods=["GET"]),
    Route("/vc/users/{user_guid}/members/{member_guid}/accounts", mx_route(accounts), methods=["GET"]),
    Route("/vc/users/{user_guid}/accounts/{account_guid}/transactions", mx_route(transactions), methods=["GET"]),
]
