"""Account JSON. v20111101 carries a few more fields (`institution_guid`, `holdings_value`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..core.clock import format_instant
from ..core.data.generation import date_day, day_date, day_of
from ..core.data.model import Account
from ..core.versions import V2025


def money(cents: int | None) -> float | None:
    return None if cents is None else round(cents / 100, 2)


def instant(seconds: float | None) -> str | None:
    return None if seconds is None else format_instant(seconds)


@dataclass(frozen=True)
class PartnerIds:
    """The partner-defined `id`s responses echo as `user_id` / `member_id`."""

    user_id: str | None = None
    member_ids: dict[str, str | None] = field(default_factory=dict)

    def member(self, member_guid: str) -> str | None:
        return self.member_ids.get(member_guid)


def _payment_due(account: Account) -> str | None:
    """The next due date after the last refresh, from the day of the month the payment is due."""
    if account.day_payment_is_due is None or not account.is_debt:
        return None
    today = day_date(day_of(account.updated_at))
    due = today.replace(day=min(account.day_payment_is_due, 28))
    if due <= today:
        due = (due.replace(day=1) + timedelta(days=32)).replace(day=due.day)
    return format_instant(date_day(due) * 86400)


def _available(account: Account) -> tuple[int | None, int | None]:
    """(available_balance, available_credit) in cents."""
    if account.is_manual or account.is_managed:
        credit = account.credit_limit - account.balance if account.credit_limit is not None else None
        return account.available_balance, account.extra.get("available_credit", credit)
    if account.type == "CREDIT_CARD" and account.credit_limit is not None:
        room = account.credit_limit - account.balance
        return room, room
    if account.is_debt:
        return None, None
    return account.balance, None


def account_json(account: Account, version: str, ids: PartnerIds) -> dict[str, Any]:
    available_balance, available_credit = _available(account)
    is_investment = account.type == "INVESTMENT"
    extra = account.extra
    out: dict[str, Any] = {
        "account_number": account.account_number[-4:] if account.account_number else None,
        "account_ownership": account.account_ownership,
        "annuity_policy_to_date": None,
        "annuity_provider": None,
        "annuity_term_year": None,
        "apr": account.apr,
        "apy": account.apy,
        "available_balance": money(available_balance),
        "available_credit": money(available_credit),
        "balance": money(account.balance),
        "cash_balance": money(account.cash_balance),
        "cash_surrender_value": money(extra.get("cash_surrender_value")),
        "created_at": format_instant(account.created_at),
        "credit_limit": money(account.credit_limit),
        "currency_code": account.currency_code,
        "day_payment_is_due": account.day_payment_is_due,
        "death_benefit": extra.get("death_benefit"),
        "federal_insurance_status": account.federal_insurance_status,
        "guid": account.guid,
        "id": account.id,
        "imported_at": instant(account.imported_at),
        "institution_code": account.institution_code,
        "insured_name": None,
        "interest_rate": account.interest_rate,
        "is_closed": account.is_closed,
        "is_hidden": account.is_hidden,
        "is_manual": account.is_manual,
        "last_payment": money(extra.get("last_payment")),
        "last_payment_at": extra.get("last_payment_at"),
        "loan_amount": money(extra.get("loan_amount", account.original_balance if account.is_debt else None)),
        "margin_balance": None,
        "matures_on": account.matures_on,
        "member_guid": account.member_guid,
        "member_id": ids.member(account.member_guid),
        "member_is_managed_by_user": account.is_manual,
        "metadata": account.metadata,
        "minimum_balance": money(extra.get("minimum_balance")),
        "minimum_payment": money(account.minimum_payment),
        "name": account.name,
        "nickname": account.nickname,
        "original_balance": money(account.original_balance),
        "pay_out_amount": None,
        "payment_due_at": extra.get("payment_due_at") or _payment_due(account),
        "payoff_balance": money(extra.get("payoff_balance", account.balance if account.is_debt else None)),
        "premium_amount": None,
        "property_type": account.property_type,
        "routing_number": extra.get("routing_number"),
        "started_on": account.started_on,
        "statement_balance": None,
        "subtype": account.subtype,
        "today_ugl_amount": None,
        "today_ugl_percentage": None,
        "total_account_value": money(account.balance) if is_investment else None,
        "total_account_value_ugl": None,
        "type": account.type,
        "updated_at": format_instant(account.updated_at),
        "user_guid": account.user_guid,
        "user_id": ids.user_id,
    }
    if version != V2025:
        out["institution_guid"] = account.institution_guid
        invested = account.balance - (account.cash_balance or 0) if is_investment else None
        out["holdings_value"] = money(invested)
        out = dict(sorted(out.items()))
    return out
