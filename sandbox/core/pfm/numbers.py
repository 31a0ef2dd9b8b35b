"""Numeric request fields for budgets, goals, plans and the cash-flow profile: a bad one is a 400.

Amounts arrive in dollars (MX's JSON numbers) and are kept in cents, like every other amount.
"""
from __future__ import annotations

import math
from typing import Any

from ..clock import parse_instant
from ..errors import BadRequest

MAX_DOLLARS = 1_000_000_000  # a budget, goal or plan amount; keeps cents within 64 bits


def cents(fields: dict[str, Any], name: str, required: bool = False) -> int | None:
    value = fields.get(name)
    if value is None:
        if required:
            raise BadRequest(f"{name} is required.")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadRequest(f"{name} must be a number.")
    if not 0 <= value <= MAX_DOLLARS:
        raise BadRequest(f"{name} must be between 0 and {MAX_DOLLARS}.")
    return round(value * 100)


def integer(fields: dict[str, Any], name: str, low: int, high: int) -> int | None:
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value != int(value):
        raise BadRequest(f"{name} must be an integer.")
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}.")
    return int(value)


def instant(fields: dict[str, Any], name: str) -> float | None:
    """An ISO 8601 date or date-time field (`targeted_to_complete_at`, `completed_at`)."""
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be an ISO 8601 date or date-time.")
    try:
        seconds = parse_instant(value)
    except (ValueError, OverflowError):
        raise BadRequest(f"{name} must be an ISO 8601 date or date-time.") from None
    if not 0 <= seconds <= 7258118400:
        raise BadRequest(f"{name} must be between 1970 and 2200.")
    return seconds


def dollars(amount: int) -> float:
    """Cents → MX's JSON number."""
    return amount / 100
