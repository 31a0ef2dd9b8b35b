"""Manual accounts and transactions: records the partner types in, validated field by field.

MX files manual accounts under the user's "Manual Institution" member; aggregated accounts
accept updates to `is_business`, `is_hidden` and `metadata` only.
"""
from __future__ import annotations

import math
from typing import Any

from ..clock import parse_instant
from ..errors import BadRequest
from .generation import DAY, day_of
from .model import Account, Transaction
from .profiles import ACCOUNT_TYPES
from .queries import parse_day

PROPERTY_TYPES = frozenset({
    "APPLIANCES", "ART", "COMPUTER", "ELECTRONICS", "FURNITURE", "JEWELRY", "MISCELLANEOUS",
    "REAL_ESTATE", "SPORTS_EQUIPMENT", "VEHICLE",
})
MONEY_FIELDS = ("balance", "available_balance", "credit_limit", "original_balance")
EXTRA_MONEY_FIELDS = ("cash_surrender_value", "loan_amount")
RATE_FIELDS = ("apr", "apy", "interest_rate")
TEXT_FIELDS = ("name", "nickname", "metadata", "currency_code")
FLAG_FIELDS = ("is_business", "is_closed", "is_hidden")
MAX_AMOUNT = 1e12
AGGREGATED_UPDATABLE = frozenset({"is_business", "is_hidden", "metadata", "skip_webhook"})


def _number(fields: dict[str, Any], name: str) -> float | None:
    """A finite number of sane size: JSON's `Infinity`, `NaN` or 1e308 are a 400, not a crash."""
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadRequest(f"{name} must be a number.")
    if not math.isfinite(value) or abs(value) > MAX_AMOUNT:
        raise BadRequest(f"{name} must be a finite number below {MAX_AMOUNT:.0e}.")
    return float(value)


def _text(fields: dict[str, Any], name: str) -> str | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"{name} must be a string.")
    return value


def _flag(fields: dict[str, Any], name: str) -> bool | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, bool):
        raise BadRequest(f"{name} must be a boolean (true or false).")
    return value


def _account_values(fields: dict[str, Any]) -> dict[str, Any]:
    """Validate every known field first, so a bad one changes nothing."""
    values: dict[str, Any] = {}
    kind = _text(fields, "account_type")
    if kind is not None:
        if kind.upper() not in ACCOUNT_TYPES:
            raise BadRequest(f"'{kind}' is not a valid account_type.")
        values["type"] = kind.upper()
    if "account_subtype" in fields:
        values["subtype"] = _text(fields, "account_subtype")
    if "property_type" in fields:
        prop = _text(fields, "property_type")
        if prop is not None and prop.upper() not in PROPERTY_TYPES:
            raise BadRequest(f"'{prop}' is not a valid property_type.")
        values["property_type"] = prop.upper() if prop else None
    for name in TEXT_FIELDS:
        if name in fields:
            values[name] = _text(fields, name)
    for name in FLAG_FIELDS:
        if fields.get(name) is not None:
            values[name] = _flag(fields, name)
    for name in RATE_FIELDS:
        if name in fields:
            values[name] = _number(fields, name)
    for name in MONEY_FIELDS:
        if name in fields:
            amount = _number(fields, name)
            values[name] = None if amount is None else round(amount * 100)
    extra: dict[str, Any] = {}
    for name in EXTRA_MONEY_FIELDS:
        if name in fields:
            amount = _number(fields, name)
            extra[name] = None if amount is None else round(amount * 100)
    if "death_benefit" in fields:
        benefit = fields["death_benefit"]
        if benefit is not None and (isinstance(benefit, bool) or not isinstance(benefit, int)):
            raise BadRequest("death_benefit must be an integer.")
        extra["death_benefit"] = benefit
    if extra:
        values["extra"] = extra
    if values.get("name") == "":
        raise BadRequest("name cannot be empty.")
    return values


def new_manual_account(guid: str, user_guid: str, member_guid: str, fields: dict[str, Any], at: float) -> Account:
    if not fields.get("name"):
        raise BadRequest("name is required.")
    if not fields.get("account_type"):
        raise BadRequest("account_type is required.")
    values = _account_values(fields)
    account = Account(
        guid=guid, user_guid=user_guid, member_guid=member_guid, type=values.pop("type"),
        name=values.pop("name"), created_at=at, updated_at=at, is_manual=True,
        anchor=at, pulled_until=at, balance_as_of=at, history_from_day=day_of(at),
    )
    apply_account_update(account, values, at)
    return account


def update_values(account: Account, fields: dict[str, Any]) -> dict[str, Any]:
    if not account.is_manual:
        refused = sorted(set(fields) - AGGREGATED_UPDATABLE)
        if refused:
            raise BadRequest(
                "Only is_business, is_hidden and metadata can be updated on an aggregated account "
                f"(not {', '.join(refused)})."
            )
    return _account_values(fields)


def apply_account_update(account: Account, values: dict[str, Any], at: float) -> None:
    for name, value in values.items():
        if name == "extra":
            account.extra.update(value)
        elif name == "balance":
            account.balance = value or 0
        else:
            setattr(account, name, value)
    account.updated_at = at


def new_manual_transaction(guid: str, account: Account, fields: dict[str, Any], at: float) -> Transaction:
    for name in ("amount", "date", "description", "type"):
        if fields.get(name) in (None, ""):
            raise BadRequest(f"{name} is required.")
    amount = _number(fields, "amount")
    if amount is None or amount < 0:
        raise BadRequest("amount must be a positive number; type gives the direction.")
    kind = _text(fields, "type")
    if kind not in ("CREDIT", "DEBIT"):
        raise BadRequest("type must be CREDIT or DEBIT.")
    raw_date = _text(fields, "date") or ""
    try:
        day = parse_day(raw_date)
    except BadRequest:
        try:
            day = day_of(parse_instant(raw_date))
        except ValueError:
            raise BadRequest("date must be YYYY-MM-DD or an ISO 8601 date and time.") from None
    assert day is not None
    description = _text(fields, "description") or ""
    for name in ("memo", "metadata", "category_guid", "currency_code"):
        _text(fields, name)
    for name in ("is_international", "is_hidden", "has_been_viewed", "skip_webhook"):
        _flag(fields, name)
    return Transaction(
        guid=guid, user_guid=account.user_guid, member_guid=account.member_guid, account_guid=account.guid,
        account_id=account.id, amount=round(amount * 100), type=kind, day=day,
        transacted_at=day * DAY + 12 * 3600, posted_at=day * DAY + 12 * 3600, created_at=at, updated_at=at,
        description=description, original_description=description, memo=fields.get("memo"),
        metadata=fields.get("metadata"), category_guid=fields.get("category_guid"),
        currency_code=fields.get("currency_code") or account.currency_code, is_manual=True,
        is_international=bool(fields.get("is_international")),
        flags=frozenset({"is_expense"} if kind == "DEBIT" else set()),
    )
