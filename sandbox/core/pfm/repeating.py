"""Repeating transactions, detected from what is stored, as MX detects them from history.

Transactions of one account with the same original description and direction form a series when
there are at least `MIN_OCCURRENCES` and every gap between consecutive dates fits one cadence
(weekly, every other week, monthly). The profiles' `every_days` and `day_of_month` rules produce
such series; their `per_day` (random) purchases do not. Split children are left out: their parent
is the occurrence. Nothing is stored: the list is derived again when the transactions change.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from ..data.generation import date_day, day_date
from ..data.model import Transaction
from ..ids import stable_uuid

MIN_OCCURRENCES = 3
# recurrence type → inclusive range of days between occurrences
CADENCES = (("EVERY_WEEK", 7, 7), ("EVERY_OTHER_WEEK", 14, 14), ("EVERY_MONTH", 28, 31))


@dataclass(frozen=True)
class RepeatingTransaction:
    guid: str
    user_guid: str
    member_guid: str
    account_guid: str
    description: str
    merchant_guid: str | None
    amount: int  # cents, the latest occurrence's
    transaction_type: str  # CREDIT | DEBIT
    repeating_transaction_type: str  # BILL | SUBSCRIPTION | INCOME | UNKNOWN
    recurrence_type: str
    last_day: int
    predicted_day: int
    transaction_guids: tuple[str, ...]  # oldest first

    @property
    def last_posted_date(self) -> str:
        return day_date(self.last_day).isoformat()

    @property
    def predicted_occurs_on(self) -> str:
        return day_date(self.predicted_day).isoformat()


def _cadence(days: list[int]) -> str | None:
    gaps = [b - a for a, b in zip(days, days[1:])]
    for name, low, high in CADENCES:
        if all(low <= gap <= high for gap in gaps):
            return name
    return None


def _next_day(last_day: int, recurrence: str, day_of_month: int) -> int:
    if recurrence != "EVERY_MONTH":
        return last_day + (7 if recurrence == "EVERY_WEEK" else 14)
    last = day_date(last_day)
    first_next = (last.replace(day=1) + timedelta(days=32)).replace(day=1)
    length = calendar.monthrange(first_next.year, first_next.month)[1]
    return date_day(date(first_next.year, first_next.month, min(day_of_month, length)))


def _kind(txn: Transaction) -> str:
    if txn.type == "CREDIT":
        return "INCOME"
    if "is_subscription" in txn.flags:
        return "SUBSCRIPTION"
    if "is_bill_pay" in txn.flags:
        return "BILL"
    return "UNKNOWN"


def detect(user_guid: str, transactions: Iterable[Transaction]) -> list[RepeatingTransaction]:
    """The user's series, ordered by account then description: the same data gives the same list."""
    groups: dict[tuple[str, str, str], list[Transaction]] = {}
    for txn in transactions:
        if txn.parent_guid is None:
            key = (txn.account_guid, txn.original_description or txn.description, txn.type)
            groups.setdefault(key, []).append(txn)
    found = []
    for key in sorted(groups):
        series = sorted(groups[key], key=lambda t: (t.day, t.guid))
        days = sorted({t.day for t in series})
        if len(series) < MIN_OCCURRENCES or len(days) != len(series):
            continue
        recurrence = _cadence(days)
        if recurrence is None:
            continue
        last = series[-1]
        day_of_month = max(day_date(d).day for d in days)
        found.append(RepeatingTransaction(
            guid=f"RPT-{stable_uuid(user_guid, *key)}", user_guid=user_guid, member_guid=last.member_guid,
            account_guid=last.account_guid, description=last.description, merchant_guid=last.merchant_guid,
            amount=last.amount, transaction_type=last.type, repeating_transaction_type=_kind(last),
            recurrence_type=recurrence, last_day=last.day, predicted_day=_next_day(last.day, recurrence, day_of_month),
            transaction_guids=tuple(t.guid for t in series),
        ))
    return found
