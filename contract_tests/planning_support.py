"""What the planning tests cross-check against: calendar months and the user's own transactions."""
from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from contract_tests.aggregated import Connected

FOOD = "CAT-bd56d35a-a9a7-6e10-66c1-5b9cc1b6c81a"  # Food & Dining, a top-level default category
INCOME_TOP = "Income"
TRANSFER_TOP = "Transfer"


def month(year: int, number: int) -> tuple[str, str]:
    """(first day, last day) of a calendar month, as MX's `from_date`/`to_date`."""
    return date(year, number, 1).isoformat(), date(year, number, calendar.monthrange(year, number)[1]).isoformat()


def spent(transactions: list[dict[str, Any]]) -> float:
    """Spending as budgets count it: DEBITs add, CREDITs (refunds) take away; dollars to the cent."""
    return round(sum(t["amount"] if t["type"] == "DEBIT" else -t["amount"] for t in transactions), 2)


def top_levels(bank: Connected) -> dict[str, str]:
    """Every category guid the user can see → its top-level category's guid."""
    found = bank.items(f"/users/{bank.user}/categories", "categories")
    return {c["guid"]: c["parent_guid"] or c["guid"] for c in found}


def in_category(transactions: list[dict[str, Any]], guid: str, tops: dict[str, str]) -> list[dict[str, Any]]:
    """The transactions in a category or, for a top-level one, in any of its subcategories."""
    return [t for t in transactions if guid in (t["category_guid"], tops.get(t["category_guid"]))]


def in_month(bank: Connected, year: int, number: int) -> list[dict[str, Any]]:
    first, last = month(year, number)
    return bank.transactions(from_date=first, to_date=last)
