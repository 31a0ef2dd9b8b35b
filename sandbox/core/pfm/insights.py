"""Insights: short notes MX derives from a user's own data, each pointing at the records behind it.

`derive` reads the stored transactions, accounts and repeating series and proposes insights with
guids made from what they are about, so the same data always gives the same insights. The store
keeps what the user changed (`has_been_displayed`, `is_dismissed`) across derivations, keeps an
insight while every transaction it names exists, and drops it when one is gone (a deleted member,
an unsplit child). Thresholds and wording are data: fixtures/insights.yml (see insight_rules.py).
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable, Iterable

from ..data.generation import DAY, date_day, day_date, day_of
from ..data.model import DEPOSIT_TYPES, Account, Transaction
from ..errors import BadRequest, NotFound
from ..ids import stable_uuid
from .fields import flag
from .insight_rules import insight_rules
from .repeating import RepeatingTransaction

MAX_INSIGHTS = 200  # per user: the newest are kept


@dataclass(frozen=True)
class ScheduledPayment:
    guid: str
    user_guid: str
    description: str
    amount: int
    merchant_guid: str | None
    occurs_on: str
    recurrence_day: int
    recurrence_type: str
    transaction_type: str
    created_at: float


@dataclass
class Insight:
    guid: str
    user_guid: str
    template: str
    description: str
    micro_description: str
    created_at: float
    transaction_guids: tuple[str, ...] = ()
    account_guids: tuple[str, ...] = ()
    category_guids: tuple[str, ...] = ()
    merchant_guids: tuple[str, ...] = ()
    scheduled_payments: tuple[ScheduledPayment, ...] = ()
    has_been_displayed: bool = False
    is_dismissed: bool = False
    updated_at: float = 0.0
    texts: tuple[str, str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.texts = insight_rules().texts[self.template]
        self.updated_at = self.updated_at or self.created_at


def dollars(cents: int) -> str:
    """Cents as people read them in a message: `$1,234.50`."""
    return f"${cents / 100:,.2f}"


def _about(txn: Transaction) -> dict:
    return {"transaction_guids": (txn.guid,), "account_guids": (txn.account_guid,),
            "category_guids": tuple(g for g in (txn.category_guid,) if g),
            "merchant_guids": tuple(g for g in (txn.merchant_guid,) if g), "created_at": txn.posted_at}


def _large_purchases(user_guid: str, txns: list[Transaction], today: int, regular: set[str]) -> list[Insight]:
    """Purchases, not bills: repeating and bill-pay transactions are left out."""
    rules = insight_rules()
    recent = [t for t in txns if t.type == "DEBIT" and "is_expense" in t.flags and t.day > today - rules.large_window_days
              and not t.has_been_split and t.guid not in regular and not t.flags & {"is_bill_pay", "is_subscription"}]
    if not recent:
        return []
    floor = max(rules.large_min_cents, rules.large_factor * statistics.median(t.amount for t in recent))
    large = sorted((t for t in recent if t.amount >= floor), key=lambda t: (-t.amount, t.guid))[:rules.large_max]
    return [Insight(f"BET-{stable_uuid(user_guid, 'LargePurchase', t.guid)}", user_guid, "LargePurchase",
                    f"You spent {dollars(t.amount)} at {t.description} on {day_date(t.day).isoformat()}.",
                    f"{dollars(t.amount)} at {t.description}", **_about(t)) for t in large]


def _scheduled(series: RepeatingTransaction) -> ScheduledPayment:
    return ScheduledPayment(
        f"SCP-{stable_uuid(series.guid, series.predicted_day)}", series.user_guid, series.description, series.amount,
        series.merchant_guid, series.predicted_occurs_on, day_date(series.predicted_day).day, series.recurrence_type,
        series.transaction_type, series.last_day * DAY)


def _from_series(user_guid: str, series: list[RepeatingTransaction], by_guid: dict[str, Transaction]) -> list[Insight]:
    out = []
    for s in series:
        last = by_guid.get(s.transaction_guids[-1])
        if last is None:
            continue
        if s.repeating_transaction_type == "INCOME" and "is_direct_deposit" in last.flags:
            out.append(Insight(f"BET-{stable_uuid(user_guid, 'PaycheckDeposit', last.guid)}", user_guid, "PaycheckDeposit",
                               f"{last.description} deposited {dollars(last.amount)}.", f"{dollars(last.amount)} deposited",
                               **_about(last)))
        elif s.repeating_transaction_type in ("SUBSCRIPTION", "BILL"):
            template = "UpcomingSubscription" if s.repeating_transaction_type == "SUBSCRIPTION" else "UpcomingBill"
            out.append(Insight(
                f"BET-{stable_uuid(user_guid, template, s.guid, s.predicted_day)}", user_guid, template,
                f"{s.description} will charge about {dollars(s.amount)} on {s.predicted_occurs_on}.",
                f"{s.description} due {s.predicted_occurs_on}", scheduled_payments=(_scheduled(s),),
                **_about(last)))
    return out


def _low_balances(user_guid: str, accounts: list[Account], series: list[RepeatingTransaction], today: int) -> list[Insight]:
    out, days = [], insight_rules().low_balance_days
    for account in accounts:
        due = [s for s in series if s.account_guid == account.guid and s.transaction_type == "DEBIT"
               and today <= s.predicted_day <= today + days]
        owed = sum(s.amount for s in due)
        if account.type in DEPOSIT_TYPES and not account.is_closed and owed and account.balance < owed:
            out.append(Insight(
                f"BET-{stable_uuid(user_guid, 'LowBalance', account.guid)}", user_guid, "LowBalance",
                f"{account.name} holds {dollars(account.balance)}, less than the {dollars(owed)} due in the next "
                f"{days} days.", f"{dollars(account.balance)} left", created_at=today * DAY,
                account_guids=(account.guid,), scheduled_payments=tuple(_scheduled(s) for s in due)))
    return out


def _monthly_total(user_guid: str, txns: list[Transaction], today: int) -> list[Insight]:
    """The previous calendar month's top spending category."""
    end = day_date(today).replace(day=1) - timedelta(days=1)
    first, last = date_day(end.replace(day=1)), date_day(end)
    spent: dict[str, list[Transaction]] = {}
    for t in txns:
        if first <= t.day <= last and "is_expense" in t.flags and t.top_level_category_guid and not t.has_been_split:
            spent.setdefault(t.top_level_category_guid, []).append(t)
    if not spent:
        return []
    top, chosen = max(spent.items(), key=lambda kv: (sum(t.amount for t in kv[1]), kv[0]))
    total = sum(t.amount for t in chosen)
    name = chosen[0].top_level_category
    chosen.sort(key=lambda t: (t.day, t.guid))
    return [Insight(
        f"BET-{stable_uuid(user_guid, 'MonthlyCategoryTotal', top, first)}", user_guid, "MonthlyCategoryTotal",
        f"You spent {dollars(total)} on {name} in {end.strftime('%B %Y')}, more than on anything else.",
        f"{dollars(total)} on {name}", created_at=(last + 1) * DAY, transaction_guids=tuple(t.guid for t in chosen),
        account_guids=tuple(sorted({t.account_guid for t in chosen})), category_guids=(top,),
        merchant_guids=tuple(sorted({t.merchant_guid for t in chosen if t.merchant_guid})))]


def derive(user_guid: str, txns: list[Transaction], accounts: list[Account], series: list[RepeatingTransaction],
           now: float) -> list[Insight]:
    today = day_of(now)
    by_guid = {t.guid: t for t in txns}
    regular = {guid for s in series for guid in s.transaction_guids}
    found = (_large_purchases(user_guid, txns, today, regular) + _from_series(user_guid, series, by_guid)
             + _low_balances(user_guid, accounts, series, today) + _monthly_total(user_guid, txns, today))
    return [i for i in found if i.created_at <= now]


class InsightStore:
    def __init__(self) -> None:
        self._insights: dict[str, dict[str, Insight]] = {}  # user guid → guid → insight

    def merge(self, user_guid: str, proposed: Iterable[Insight] | None, alive: Callable[[Insight], bool]) -> None:
        """Add what is new, keep what the user changed, drop insights whose records are gone, and
        (given a fresh derivation) the current-state ones (`current_only`) it no longer proposes."""
        mine = self._insights.setdefault(user_guid, {})
        if proposed is not None:
            fresh = {i.guid: i for i in proposed}
            for guid in [g for g, i in mine.items() if i.template in insight_rules().current_only and g not in fresh]:
                del mine[guid]
            for insight in fresh.values():
                mine.setdefault(insight.guid, insight)
        for guid in [g for g, i in mine.items() if not alive(i)]:
            del mine[guid]
        if len(mine) > MAX_INSIGHTS:
            for insight in sorted(mine.values(), key=lambda i: (i.created_at, i.guid))[:len(mine) - MAX_INSIGHTS]:
                del mine[insight.guid]

    def list(self, user_guid: str) -> list[Insight]:
        """Newest first."""
        return sorted(self._insights.get(user_guid, {}).values(), key=lambda i: (-i.created_at, i.guid))

    def get(self, user_guid: str, guid: str) -> Insight:
        found = self._insights.get(user_guid, {}).get(guid)
        if found is None:
            raise NotFound()
        return found

    def update(self, insight: Insight, fields: dict, now: float) -> Insight:
        values = {name: flag(fields, name) for name in ("has_been_displayed", "is_dismissed")}
        if all(v is None for v in values.values()):
            raise BadRequest("Give has_been_displayed or is_dismissed.")
        for name, value in values.items():
            if value is not None:
                setattr(insight, name, value)
        insight.updated_at = now
        return insight

    def drop_user(self, user_guid: str) -> None:
        self._insights.pop(user_guid, None)
