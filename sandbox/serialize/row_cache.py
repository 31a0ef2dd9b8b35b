"""Encoded JSON rows, reused across list pages: a page of 1,000 transactions is mostly the same
rows as the last time it was asked for, and building and encoding each row dominated its cost.

An entry is valid while every field the row is made of (plus the caller's extra, such as the
partner user id) is unchanged, so an edited transaction simply misses: nothing has to remember to
invalidate. Entries are
evicted oldest first past `limit`; the bound is listed on `/_sandbox/health`.
"""
from __future__ import annotations

import dataclasses
import operator
from typing import Any, Callable, Hashable, Iterable, TypeVar

import orjson

Row = TypeVar("Row")
ROW_CACHE_LIMIT = 20_000  # rows, shared by every tenant (~25 MB at ~1.2 KB a transaction)


class RowCache:
    def __init__(self, row_type: type, limit: int = ROW_CACHE_LIMIT) -> None:
        self.limit = limit
        self._fields = operator.attrgetter(*(f.name for f in dataclasses.fields(row_type)))
        self._rows: dict[tuple[int, Hashable], tuple[tuple[Any, ...], orjson.Fragment]] = {}
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._rows)

    def fragments(self, rows: Iterable[Row], extra: Hashable, build: Callable[[Row], Any]) -> list[orjson.Fragment]:
        """Each row as pre-encoded JSON, which `orjson.dumps` splices into the page unchanged."""
        out = []
        cache, fields = self._rows, self._fields
        for row in rows:
            # Looked up by identity (a cheap hash), then checked field by field: an edited row, or
            # another row that reuses a freed row's id, simply misses.
            key = (id(row), extra)
            snapshot = fields(row)
            entry = cache.get(key)
            if entry is None or entry[0] != snapshot:
                entry = (snapshot, orjson.Fragment(orjson.dumps(build(row))))
                if len(cache) >= self.limit:
                    del cache[next(iter(cache))]
                cache[key] = entry
                self.misses += 1
            else:
                self.hits += 1
            out.append(entry[1])
        return out
