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
_UNIX = re.compile(r"^[0-9]{1,12}\Z")
INCLUDES_MESSAGE = ("includes (transaction enhancements: repeating_transactions, merchants, classifications, "
                    "geolocations) is not supported by mx-sandbox.")
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
    created_seconds: tuple[int | None, int | None] | None = None  # from_timestamp / to_timestamp

    def extra_filter(self) -> Callable[[Transaction], bool] | None:
        """The per-record test beyond the date window, None when there is none."""
        if self.updated is None and self.created is None and self.created_seconds is None:
            return None
        updated, created, seconds = self.updated, self.created, self.created_seconds

        def keep(txn: Transaction) -> bool:
            if updated and not updated[0] <= day_of(txn.updated_at) <= updated[1]:
                return False
            if created and not _within(day_of(txn.created_at), created):
                return False
            return not seconds or _within(int(txn.created_at), seconds)

        return keep


def _within(value: int, bounds: tuple[int | None, int | None]) -> bool:
    return (bounds[0] is None or value >= bounds[0]) and (bounds[1] is None or value <= bounds[1])


def parse_unix(value: str | None, name: str) -> int | None:
    """A unix timestamp in whole seconds (`from_timestamp`, `to_timestamp`); absent → None."""
    if value is None or value == "":
        return None
    if not _UNIX.match(value):
        raise BadRequest(f"{name} must be a unix timestamp in seconds.")
    return int(value)


def transaction_query(get: Callable[[str], str | None], now: float) -> TransactionQuery:
    """Read the filters from query parameters (`get(name)`), validating every one before use."""
    today = day_of(now)
    from_day, to_day = parse_day(get("from_date")), parse_day(get("to_date"))
    updated_from, updated_to = parse_day(get("from_updated_at")), parse_day(get("to_updated_at"))
    created_from, created_to = parse_day(get("from_created_at")), parse_day(get("to_created_at"))
    if (updated_from is None) != (updated_to is None):
        raise BadRequest(UPDATED_PAIR_MESSAGE)
    seconds = parse_unix(get("from_timestamp"), "from_timestamp"), parse_unix(get("to_timestamp"), "to_timestamp")
    refuse_includes(get)
    return TransactionQuery(
        from_day=today - DEFAULT_DAYS_BACK if from_day is None else from_day,
        to_day=today + DEFAULT_DAYS_FORWARD if to_day is None else to_day,
        updated=(updated_from, updated_to) if updated_from is not None and updated_to is not None else None,
        created=(created_from, created_to) if created_from is not None or created_to is not None else None,
        created_seconds=seconds if seconds != (None, None) else None,
    )


def refuse_includes(get: Callable[[str], str | None]) -> None:
    """`includes` asks for enhancement fields the sandbox does not produce: a 400, not silence."""
    if get("includes"):
        raise BadRequest(INCLUDES_MESSAGE)
