"""Due transitions on virtual time: a heap of callbacks, run in time order when the clock passes them.

Nothing sleeps per member. Each request first `settle()`s its tenant, so a client polling with the
real clock sees transitions as they fall due, and a test advancing a frozen clock sees them at once.
"""
from __future__ import annotations

import heapq
import itertools
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

    def at(self, due: float, action: Action, key: str = "") -> None:
        """Run `action(due)` once virtual time reaches `due`. `key` groups entries for `cancel`."""
        entry = _Entry(due, next(self._seq), action, key)
        heapq.heappush(self._heap, entry)
        if key:
            self._by_key.setdefault(key, []).append(entry)

    def cancel(self, key: str) -> None:
        for entry in self._by_key.pop(key, []):
            entry.cancelled = True

    def run_due(self, now: float) -> int:
        """Run every entry due at or before `now`, in order; actions may schedule more."""
        ran = 0
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
            ran += 1
        return ran

    def next_due(self) -> float | None:
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].due if self._heap else None

    def clear(self) -> None:
        self._heap.clear()
        self._by_key.clear()
