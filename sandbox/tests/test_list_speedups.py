"""The two list speed-ups keep list answers exact: the newest-first window reads like a reversed
copy, and the encoded-row cache never serves a row that has changed since it was encoded."""
from __future__ import annotations

import dataclasses

import orjson
from hypothesis import given
from hypothesis import strategies as st

from sandbox.core.data.window import NewestFirst
from sandbox.serialize.row_cache import RowCache


@given(st.lists(st.integers(), max_size=40), st.integers(0, 45), st.integers(0, 45),
       st.integers(-50, 50) | st.none(), st.integers(-50, 50) | st.none(), st.sampled_from([None, 1, 2, -1]))
def test_window_reads_like_a_reversed_copy(items, lo, hi, start, stop, step):
    view, copy = NewestFirst(items, lo, hi), list(reversed(items[lo:hi]))
    assert len(view) == len(copy) and list(view) == copy
    assert view[start:stop:step] == copy[start:stop:step]
    for i in range(-len(copy), len(copy)):
        assert view[i] == copy[i]


@dataclasses.dataclass(slots=True)
class Row:
    guid: str
    amount: int
    memo: str | None = None


def encode(rows, cache, extra="v1"):
    page = cache.fragments(rows, extra, lambda r: {"guid": r.guid, "amount": r.amount, "memo": r.memo, "x": extra})
    return orjson.loads(orjson.dumps(page))


def test_edited_rows_and_other_extras_are_encoded_afresh():
    cache, row = RowCache(Row), Row("T-1", 5)
    assert encode([row], cache) == [{"guid": "T-1", "amount": 5, "memo": None, "x": "v1"}]
    row.memo = "lunch"
    assert encode([row], cache)[0]["memo"] == "lunch"
    assert encode([row], cache, extra="v2")[0]["x"] == "v2"
    assert encode([row], cache) == [{"guid": "T-1", "amount": 5, "memo": "lunch", "x": "v1"}]
    assert cache.hits == 1


def test_the_cache_is_bounded():
    cache = RowCache(Row, limit=3)
    rows = [Row(f"T-{i}", i) for i in range(10)]
    assert [r["amount"] for r in encode(rows, cache)] == list(range(10))
    assert len(cache) == 3
