"""Transaction list filters as MX applies them: dates are `YYYY-MM-DD` only."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from ..errors import BadRequest
from .generation import date_day, day_of
from .model import Transaction

DATE_FORMAT_MESSAGE = "Please confirm YYYY-MM-DD format"
UPDATED_PAIR_MESSAGE = "Both 'from_updated_at' and 'to_updated_at' are required"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# MX's documented defaults when from_date / to_date are left out.
DEFAULT_DAYS_BACK = 120
DEFAULT_DAYS_FORWARD = 5


def parse_day(value: str | None) -> int | None:
    """`YYYY-MM-DD` → day number; absent → None; anything else (a unix time, 2025-02-30) → 400."""
    if value is None or value == "":
        return None
    if not _DATE.match(value):
        raise BadRequest(DATE_FORMAT_MESSAGE)
    try:
        return date_day(date.fromisoformat(value))
    except ValueError:
        raise BadRequest(DATE_FORMAT_MESSAGE) from None


@dataclass(frozen=True)
class TransactionQuery:
    from_day: int
    to_day: int
    updated: tuple[int, int] | None = None
    created: tuple[int | None, int | None] | None = None

    def extra_filter(self) -> Callable[[Transaction], bool] | None:
        """The per-record test beyond the date window, None when there is none."""
        if self.updated is None and self.created is None:
            return None
        updated, created = self.updated, self.created

        def keep(txn: Transaction) -> bool:
            if updated and not updated[0] <= day_of(txn.updated_at) <= updated[1]:
                return False
            if created:
                day = day_of(txn.created_at)
                if (created[0] is not None and day < created[0]) or (created[1] is not None and day > created[1]):
                    return False
            return True

        return keep


def transaction_query(get: Callable[[str], str | None], now: float) -> TransactionQuery:
    """Read the filters from query parameters (`get(name)`), validating every one before use."""
    today = day_of(now)
    from_day, to_day = parse_day(get("from_date")), parse_day(get("to_date"))
    updated_from, updated_to = parse_day(get("from_updated_at")), parse_day(get("to_updated_at"))
    created_from, created_to = parse_day(get("from_created_at")), parse_day(get("to_created_at"))
    if (updated_from is None) != (updated_to is None):
        raise BadRequest(UPDATED_PAIR_MESSAGE)
    return TransactionQuery(
        from_day=today - DEFAULT_DAYS_BACK if from_day is None else from_day,
        to_day=today + DEFAULT_DAYS_FORWARD if to_day is None else to_day,
        updated=(updated_from, updated_to) if updated_from is not None and updated_to is not None else None,
        created=(created_from, created_to) if created_from is not None or created_to is not None else None,
    )
