"""Managed accounts and transactions: records the partner supplies, validated field by field.

The account fields are the manual account's (manual.py) under the managed API's names (`type`,
`subtype`), plus what only a data provider knows (routing number, payments, payoff). Transactions
carry their own dates, status and partner `id`. A bad field is a 400 that changes nothing.
"""
from __future__ import annotations

from typing import Any

from ..clock import parse_instant
from ..errors import BadRequest
from .generation import day_of
from .manual import _account_values, _flag, _number, _text, apply_account_update
from .model import Account, Transaction

# Money the Account record has no slot for: kept in `extra` as cents, like manual accounts' extras.
EXTRA_MONEY = ("available_credit", "last_payment", "minimum_balance", "payoff_balance")
EXTRA_TEXT = ("routing_number",)
EXTRA_INSTANTS = ("last_payment_at", "payment_due_at")
ACCOUNT_INSTANTS = ("started_on", "matures_on")
REQUIRED_ACCOUNT = ("balance", "id", "name", "type")
REQUIRED_TRANSACTION = ("amount", "description", "status", "posted_at", "transacted_at", "type")
TRANSACTION_TEXT = ("category", "currency_code", "memo", "metadata", "merchant_guid")
TRANSACTION_EXTRA_TEXT = ("check_number_string", "localized_description", "localized_memo", "merchant_location_guid")
STATUSES = ("POSTED", "PENDING")
KINDS = ("CREDIT", "DEBIT")
MAX_AMOUNT = 1e12


def _instant(fields: dict[str, Any], name: str) -> str | None:
    value = _text(fields, name)
    if value:
        try:
            parse_instant(value)
        except ValueError:
            raise BadRequest(f"{name} must be an ISO 8601 date or date and time.") from None
    return value


def account_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Every known field checked first; `type`/`subtype` are the managed API's names."""
    renamed = {k: v for k, v in fields.items() if k not in ("type", "subtype", "account_type", "account_subtype")}
    if "type" in fields:
        if not isinstance(fields["type"], str) or not fields["type"]:
            raise BadRequest("type must be an account type.")
        renamed["account_type"] = fields["type"]
    if "subtype" in fields:
        renamed["account_subtype"] = fields["subtype"]
    values = _account_values(renamed)
    for name in ("id", "account_number"):
        if name in fields:
            values[name] = _text(fields, name)
    if values.get("id") == "":
        raise BadRequest("id cannot be empty.")
    if "minimum_payment" in fields:
        amount = _number(fields, "minimum_payment")
        values["minimum_payment"] = None if amount is None else round(amount * 100)
    if "day_payment_is_due" in fields:
        day = fields["day_payment_is_due"]
        if day is not None and (isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31):
            raise BadRequest("day_payment_is_due must be a day of the month (1 to 31).")
        values["day_payment_is_due"] = day
    for name in ACCOUNT_INSTANTS:
        if name in fields:
            values[name] = _instant(fields, name)
    extra = dict(values.get("extra", {}))
    for name in EXTRA_MONEY:
        if name in fields:
            amount = _number(fields, name)
            extra[name] = None if amount is None else round(amount * 100)
    for name in EXTRA_TEXT:
        if name in fields:
            extra[name] = _text(fields, name)
    for name in EXTRA_INSTANTS:
        if name in fields:
            extra[name] = _instant(fields, name)
    if extra:
        values["extra"] = extra
    return values


def new_account(guid: str, user_guid: str, member: Any, fields: dict[str, Any], at: float) -> Account:
    missing = [name for name in REQUIRED_ACCOUNT if fields.get(name) in (None, "")]
    if missing:
        raise BadRequest(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} required.")
    values = account_values(fields)
    account = Account(
        guid=guid, user_guid=user_guid, member_guid=member.guid, type=values.pop("type"), name=values.pop("name"),
        created_at=at, updated_at=at, is_managed=True, institution_code=member.institution.code,
        institution_guid=member.institution.guid, anchor=at, pulled_until=at, balance_as_of=at,
        history_from_day=day_of(at),
    )
    apply_account_update(account, values, at)
    return account


def update_account(account: Account, fields: dict[str, Any], at: float) -> None:
    values = account_values(fields)
    if "name" in values and values["name"] is None:
        raise BadRequest("name cannot be null.")
    apply_account_update(account, values, at)


def _amount(fields: dict[str, Any]) -> int | None:
    """The spec's amount is a decimal string ("61.11"); a number is taken too. Direction is `type`."""
    raw = fields.get("amount")
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            value = float(raw)
        except ValueError:
            raise BadRequest("amount must be a decimal number, e.g. \"61.11\".") from None
    else:
        value = _number(fields, "amount") or 0.0
    if not abs(value) <= MAX_AMOUNT:  # also false for NaN
        raise BadRequest(f"amount must be a finite number below {MAX_AMOUNT:.0e}.")
    return round(abs(value) * 100)


def _choice(fields: dict[str, Any], name: str, allowed: tuple[str, ...]) -> str | None:
    value = fields.get(name)
    if value is not None and value not in allowed:
        raise BadRequest(f"{name} must be {' or '.join(allowed)}.")
    return value


def transaction_values(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "amount" in fields:
        values["amount"] = _amount(fields)
    for name, allowed in (("status", STATUSES), ("type", KINDS)):
        if name in fields:
            values[name] = _choice(fields, name, allowed)
    for name in ("posted_at", "transacted_at"):
        if name in fields:
            text = _instant(fields, name)
            values[name] = parse_instant(text) if text else None
    if "description" in fields:
        values["description"] = _text(fields, "description")
    for name in TRANSACTION_TEXT:
        if name in fields:
            values[name] = _text(fields, name)
    if "merchant_category_code" in fields:
        code = fields["merchant_category_code"]
        if code is not None and (isinstance(code, bool) or not isinstance(code, int) or not 0 <= code <= 9999):
            raise BadRequest("merchant_category_code must be a four-digit ISO 18245 code.")
        values["merchant_category_code"] = code
    if "is_international" in fields:
        values["is_international"] = _flag(fields, "is_international")
    extra: dict[str, Any] = {}
    for name in ("id", *TRANSACTION_EXTRA_TEXT):
        if name in fields:
            extra[name] = _text(fields, name)
    for name in ("latitude", "longitude"):
        if name in fields:
            extra[name] = _number(fields, name)
    if extra:
        values["extra"] = extra
    return values


def apply_transaction_update(txn: Transaction, values: dict[str, Any], at: float) -> None:
    for name, value in values.items():
        if value is None and name in REQUIRED_TRANSACTION:
            continue  # nullable in the update schema: null leaves the field as it was
        if name == "extra":
            txn.extra = {**(txn.extra or {}), **value}
        elif name == "posted_at":
            txn.posted_at = value
        elif name == "transacted_at":
            txn.transacted_at, txn.day = value, day_of(value)
        else:
            setattr(txn, name, value)
    if "description" in values and values["description"] is not None and txn.original_description is None:
        txn.original_description = values["description"]
    txn.flags = frozenset({"is_expense"} if txn.type == "DEBIT" else {"is_income"})
    txn.updated_at = at


def new_transaction(guid: str, account: Account, fields: dict[str, Any], at: float) -> Transaction:
    missing = [name for name in REQUIRED_TRANSACTION if fields.get(name) in (None, "")]
    if missing:
        raise BadRequest(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} required.")
    values = transaction_values(fields)
    transacted = values["transacted_at"]
    txn = Transaction(
        guid=guid, user_guid=account.user_guid, member_guid=account.member_guid, account_guid=account.guid,
        account_id=account.id, amount=0, type="DEBIT", day=day_of(transacted), transacted_at=transacted,
        posted_at=transacted, created_at=at, updated_at=at, description="",
        original_description=values.get("description"), currency_code=account.currency_code,
    )
    apply_transaction_update(txn, values, at)
    return txn

