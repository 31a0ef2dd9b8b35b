"""The YAML parse cache (core/parse_cache.py): same data as a fresh parse, never stale, never fatal."""
from __future__ import annotations

import datetime

import yaml

from sandbox.core import parse_cache
from sandbox.core.parse_cache import cached_parse

TEXT = """
name: demo
start: 2024-02-29
at: 2024-03-01T10:00:00Z
naive: 2024-03-01 10:00:00
dates: {2024-01-01: new year}
amounts: [1, 2.5, -3, .inf]
flags: {yes_: true, none: ~}
binary: !!binary aGk=
"""


def counting_parse():
    calls = []

    def parse(text):
        calls.append(text)
        return yaml.safe_load(text)

    return parse, calls


def test_a_hit_gives_what_a_fresh_parse_gives_dates_included(tmp_path, monkeypatch):
    monkeypatch.setenv("MX_SANDBOX_CACHE_DIR", str(tmp_path))
    parse, calls = counting_parse()
    first = cached_parse(TEXT, parse)
    second = cached_parse(TEXT, parse)
    assert len(calls) == 1  # the second came from the cache
    assert first == second == yaml.safe_load(TEXT)
    assert second["start"] == datetime.date(2024, 2, 29)
    assert second["at"] == datetime.datetime(2024, 3, 1, 10, tzinfo=datetime.timezone.utc)
    assert list(second["dates"]) == [datetime.date(2024, 1, 1)]
    assert second is not first and second["amounts"] is not first["amounts"]  # each load is a fresh copy


def test_an_edited_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("MX_SANDBOX_CACHE_DIR", str(tmp_path))
    parse, calls = counting_parse()
    assert cached_parse("a: 1\n", parse) == {"a": 1}
    assert cached_parse("a: 2\n", parse) == {"a": 2}
    assert len(calls) == 2


def test_a_broken_entry_is_a_miss_and_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("MX_SANDBOX_CACHE_DIR", str(tmp_path))
    parse, calls = counting_parse()
    cached_parse("a: 1\n", parse)
    (entry,) = tmp_path.glob("*.marshal")
    entry.write_bytes(b"not marshal data")
    assert cached_parse("a: 1\n", parse) == {"a": 1}
    assert cached_parse("a: 1\n", parse) == {"a": 1}
    assert len(calls) == 2


def test_off_when_empty_and_harmless_when_unwritable(tmp_path, monkeypatch):
    parse, calls = counting_parse()
    monkeypatch.setenv("MX_SANDBOX_CACHE_DIR", "")
    assert cached_parse("a: 1\n", parse) == {"a": 1} and cached_parse("a: 1\n", parse) == {"a": 1}
    assert len(calls) == 2
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("MX_SANDBOX_CACHE_DIR", str(blocker / "below-a-file"))
    assert cached_parse("b: 1\n", parse) == {"b": 1}


def test_a_document_with_tuples_is_not_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("MX_SANDBOX_CACHE_DIR", str(tmp_path))
    parse, calls = counting_parse()
    pairs = "!!pairs [a: 1, b: 2]\n"  # the one safe-loaded shape with tuples
    assert cached_parse(pairs, parse) == [("a", 1), ("b", 2)]
    assert list(tmp_path.glob("*.marshal")) == []


def test_the_folder_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("MX_SANDBOX_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(parse_cache, "MAX_ENTRIES", 8)
    parse, _ = counting_parse()
    for n in range(20):
        cached_parse(f"n: {n}\n", parse)
    assert len(list(tmp_path.glob("*.marshal"))) <= 8
