"""What budgets, spending plans and the cash-flow profile compute from: calendar months and the
user's spending and income in them.

Every amount here is derived from the stored transactions on the virtual clock, never kept: a
later aggregation, a recategorisation or a moved clock changes the next answer. Amounts are cents.

- A month is a UTC calendar month, as day numbers (days since the epoch, inclusive).
- Spending in a category is its DEBITs minus its CREDITs (refunds); income is the reverse.
- Transfers are neither spending nor income; an income top-level category is income, any other
  top-level category is spending.
- A split transaction counts as its children (each in its own category), never twice.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Iterable

from ..data.model import Transaction
from .categories import DefaultCategories

EPOCH = date(1970, 1, 1)
TRANSFER = ("Transfer", "Transfer")  # (top-level name, name) in fixtures/categories.yml


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, seconds: float) -> "Month":
        moment = datetime.fromtimestamp(int(seconds), tz=timezone.utc)
        return cls(moment.year, moment.month)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def start(self) -> float:
        """The month's first instant, POSIX seconds."""
        return datetime(self.year, self.month, 1, tzinfo=timezone.utc).timestamp()

    @property
    def days(self) -> tuple[int, int]:
        return (self.first - EPOCH).days, (self.last - EPOCH).days

    def shift(self, months: int) -> "Month":
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def index(self) -> int:
        return self.year * 12 + self.month - 1


def elapsed_fraction(seconds: float) -> float:
    """How much of its calendar month `seconds` has used up, in (0, 1]."""
    month = Month.of(seconds)
    length = ((month.last - month.first).days + 1) * 86400
    return min(1.0, max(seconds - month.start, 86400) / length)  # at least a day: no wild early projections


def average_in_dollars(two_month_total: int) -> int:
    """Cents: the average of two months' spending rounded (half up) to whole dollars."""
    return max(0, (two_month_total + 100) // 200 * 100)


def counted(transactions: Iterable[Transaction]) -> list[Transaction]:
    """Each amount once: a split parent's amount is its children's, which carry their own categories."""
    return [t for t in transactions if not t.has_been_split]


def signed(txn: Transaction) -> int:
    """Cents as spending: a DEBIT adds, a CREDIT (a refund) takes away."""
    return txn.amount if txn.type == "DEBIT" else -txn.amount


class Ledger:
    """The user's transactions, classified by the categories they carry."""

    def __init__(self, defaults: DefaultCategories, transactions: Iterable[Transaction]) -> None:
        self.transfer_guid = defaults.named(*TRANSFER).guid
        self.income_guids = {c.guid for c in defaults.by_guid.values() if c.is_income and c.parent_guid is None}
        self.transactions = counted(transactions)
        self._windows: dict[tuple[int, int], list[Transaction]] = {}  # a request reads a few months at most

    def kind(self, txn: Transaction) -> str:
        """'spending', 'income' or 'transfer'."""
        top = txn.top_level_category_guid
        if top == self.transfer_guid:
            return "transfer"
        return "income" if top in self.income_guids else "spending"

    def within(self, days: tuple[int, int]) -> list[Transaction]:
        found = self._windows.get(days)
        if found is None:
            low, high = days
            found = self._windows[days] = [t for t in self.transactions if low <= t.day <= high]
        return found

    def in_category(self, category_guid: str, days: tuple[int, int]) -> list[Transaction]:
        """The month's transactions in a category, or (for a top-level one) in any of its subcategories."""
        return [t for t in self.within(days) if category_guid in (t.category_guid, t.top_level_category_guid)]

    def spent(self, category_guid: str, days: tuple[int, int]) -> int:
        return sum(signed(t) for t in self.in_category(category_guid, days))

    def totals(self, days: tuple[int, int]) -> tuple[int, int]:
        """(income, spending) in cents over the days."""
        income = spending = 0
        for txn in self.within(days):
            kind = self.kind(txn)
            if kind == "income":
                income -= signed(txn)
            elif kind == "spending":
                spending += signed(txn)
        return income, spending

    def monthly_average(self, now: float, months: int = 3) -> tuple[int, int]:
        """(income, spending) per month over the `months` full calendar months before now."""
        current = Month.of(now)
        income = spending = 0
        for back in range(1, months + 1):
            month_income, month_spending = self.totals(current.shift(-back).days)
            income += month_income
            spending += month_spending
        return income // months, spending // months

    def active_top_levels(self, now: float) -> dict[str, int]:
        """Top-level spending categories with a transaction in each of the two previous calendar
        months (MX's rule for auto-generated budgets) → their spending over those two months, in cents."""
        current = Month.of(now)
        found: dict[str, int] = {}
        months = [current.shift(-1).days, current.shift(-2).days]
        per_month = [{t.top_level_category_guid for t in self.within(days) if self.kind(t) == "spending"} for days in months]
        for guid in sorted(g for g in per_month[0] & per_month[1] if g):
            total = sum(self.spent(guid, days) for days in months)
            if total > 0:
                found[guid] = total
        return found
