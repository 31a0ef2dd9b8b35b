"""Due transitions on virtual time: a heap of callbacks, run in time order when the clock passes them.

Nothing sleeps per member. Two things run what is due: each request first settles its tenant (so a
poller sees transitions as they fall due), and, with the real clock, the server's time driver wakes
at the next due instant (so time moves with nobody polling). `waker` tells the driver when
something new was scheduled. `run_due` takes a budget, so a long catch-up runs in slices.
"""
from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass, field
from typing import Callable

Action = Callable[[float], None]


@dataclass(order=True)
class _Entry:
    due: float
    seq: int
    action: Action = field(compare=False)
    key: str = field(compare=False, default="")
    cancelled: bool = field(compare=False, default=False)


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[_Entry] = []
        self._seq = itertools.count()
        self._by_key: dict[str, list[_Entry]] = {}
        self.waker: Callable[[], None] | None = None  # set by the time driver

    def at(self, due: float, action: Action, key: str = "") -> None:
        """Run `action(due)` once virtual time reaches `due`. `key` groups entries for `cancel`."""
        entry = _Entry(due, next(self._seq), action, key)
        earliest = not self._heap or due < self._heap[0].due
        heapq.heappush(self._heap, entry)
        if key:
            self._by_key.setdefault(key, []).append(entry)
        if earliest and self.waker is not None:
            self.waker()

    def cancel(self, key: str) -> None:
        for entry in self._by_key.pop(key, []):
            entry.cancelled = True

    def run_due(self, now: float, budget_seconds: float | None = None) -> bool:
        """Run entries due at or before `now`, in order (actions may schedule more).

        With a budget, stop after that much host time; returns True once nothing due is left.
        """
        deadline = None if budget_seconds is None else time.perf_counter() + budget_seconds
        while self._heap and self._heap[0].due <= now:
            entry = heapq.heappop(self._heap)
            if entry.key:
                bucket = self._by_key.get(entry.key)
                if bucket is not None and entry in bucket:
                    bucket.remove(entry)
                    if not bucket:
                        del self._by_key[entry.key]
            if entry.cancelled:
                continue
            entry.action(entry.due)
            if deadline is not None and time.perf_counter() > deadline:
                return not self.has_due(now)
        return True

    def has_due(self, now: float) -> bool:
        """O(1) after dropping cancelled heads: is anything due by `now`?"""
        due = self.next_due()
        return due is not None and due <= now

    def next_due(self) -> float | None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].due if self._heap else None

    def __len__(self) -> int:
        return len(self._heap)

    def clear(self) -> None:
        self._heap.clear()
        self._by_key.clear()
