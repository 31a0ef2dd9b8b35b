"""A per-tenant virtual clock.

`real` clocks follow wall time from an offset that tests may shift; `frozen` clocks only move
when told to. Everything time-dependent in the fake reads a `VirtualClock`, never the host clock.
"""
from __future__ import annotations

import functools
import time
from datetime import datetime, timezone
from typing import Callable

WallSource = Callable[[], float]

# The one limit on moving a clock, whichever way it is moved (advance, set, a scenario step): one
# move covers at most ten years, and virtual time stays between 1970 and 2200 (what MX's date
# fields can express). Catch-up work after a long move is bounded separately (members/jobs.py).
MAX_JUMP_SECONDS = 10 * 365 * 86400
EARLIEST = 0.0  # 1970-01-01T00:00:00Z
LATEST = 7258118400.0  # 2200-01-01T00:00:00Z


class ClockError(ValueError):
    """A move the clock refuses; the message says which limit."""


def check_move(current: float, target: float, allow_backwards: bool = False) -> None:
    if not EARLIEST <= target <= LATEST:
        raise ClockError("The virtual clock stays between 1970-01-01 and 2200-01-01.")
    if target < current and not allow_backwards:
        raise ClockError("The clock only moves forward once the tenant holds data; reset it first.")
    if target - current > MAX_JUMP_SECONDS:
        raise ClockError("One move of the clock covers at most ten years (315360000 seconds).")


def parse_instant(text: str) -> float:
    """ISO 8601 → POSIX seconds. A missing zone means UTC."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def format_instant(seconds: float) -> str:
    """POSIX seconds → MX's `_at` format, e.g. `2025-02-13T18:08:00Z`."""
    return _format_second(int(seconds))


@functools.lru_cache(maxsize=65536)  # pages of transactions repeat the same few instants
def _format_second(second: int) -> str:
    return datetime.fromtimestamp(second, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_day(seconds: float) -> str:
    """POSIX seconds → MX's `_on` format, `YYYY-MM-DD`."""
    return datetime.fromtimestamp(int(seconds), tz=timezone.utc).strftime("%Y-%m-%d")


class VirtualClock:
    """Virtual now = anchor_virtual + (wall - anchor_wall) when running; anchor_virtual when frozen."""

    def __init__(self, start: float, frozen: bool, wall: WallSource = time.time) -> None:
        self._wall = wall
        self._anchor_virtual = start
        self._anchor_wall = wall()
        self._frozen = frozen

    @property
    def frozen(self) -> bool:
        return self._frozen

    def now(self) -> float:
        if self._frozen:
            return self._anchor_virtual
        return self._anchor_virtual + (self._wall() - self._anchor_wall)

    def _rebase(self, virtual_now: float) -> None:
        self._anchor_virtual = virtual_now
        self._anchor_wall = self._wall()

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ClockError("advance_seconds must not be negative: the clock only moves forward.")
        now = self.now()
        check_move(now, now + seconds)
        self._rebase(now + seconds)

    def set(self, instant: float, allow_backwards: bool = False) -> None:
        check_move(self.now(), instant, allow_backwards)
        self._rebase(instant)

    def freeze(self, frozen: bool) -> None:
        self._rebase(self.now())
        self._frozen = frozen
