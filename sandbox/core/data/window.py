"""A newest-first window over an oldest-first sorted list, without copying it.

A user's transactions are kept sorted by day; a date window is two bisections. Lists answer newest
first, so the window is read backwards: a page is a short reversed slice, not a copy of 100k rows.
"""
from __future__ import annotations

from typing import Iterator, Sequence, TypeVar, overload

T = TypeVar("T")


class NewestFirst(Sequence[T]):
    """`items[lo:hi]` reversed, as a read-only sequence. The caller must not change `items` while
    the view is used (views are built and consumed inside one request, under the tenant's gate)."""

    __slots__ = ("_items", "_lo", "_hi")

    def __init__(self, items: list[T], lo: int, hi: int) -> None:
        hi = min(hi, len(items))
        self._items, self._lo, self._hi = items, min(lo, hi), hi

    def __len__(self) -> int:
        return self._hi - self._lo

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            if stop <= start:
                return []
            # newest-first [start, stop) is oldest-first [hi - stop, hi - start), reversed
            chunk = self._items[self._hi - stop: self._hi - start]
            chunk.reverse()
            return chunk
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("window index out of range")
        return self._items[self._hi - 1 - index]

    def __iter__(self) -> Iterator[T]:
        items = self._items
        for i in range(self._hi - 1, self._lo - 1, -1):
            yield items[i]
