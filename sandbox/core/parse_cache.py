"""Parsed YAML kept between runs, keyed by the file's exact text: start-up parses ~55 fixture and
scenario files, and building Python objects from YAML costs ~100 ms each time, reading them back
from `marshal` a few.

- The key is a SHA-256 of the text, the installed PyYAML, the Python version (marshal's format is
  Python's) and this format's number, so an edited file, another PyYAML, another Python or a new
  format is simply a miss; nothing is ever invalidated by hand.
- Entries are `marshal` data (it cannot run code on load). Dates and datetimes, which marshal does
  not carry, become tagged tuples; safe-loaded YAML has no tuples of its own, and a document that
  somehow does is not cached.
- Where: `$MX_SANDBOX_CACHE_DIR`, else `$XDG_CACHE_HOME/mx-sandbox/yaml`, else
  `~/.cache/mx-sandbox/yaml`. `MX_SANDBOX_CACHE_DIR=` (empty) turns it off. Any I/O problem is a
  miss: the cache can make start-up faster, never fail it.
- Bounded: at most `MAX_ENTRIES` files; past that the least recently written quarter is removed.
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import importlib.util
import marshal
import os
import sys
from pathlib import Path
from typing import Any, Callable

FORMAT = 1
MAX_ENTRIES = 512
_MISS = object()
_TUPLE_TAGS = ("date", "datetime")


def cache_dir() -> Path | None:
    given = os.environ.get("MX_SANDBOX_CACHE_DIR")
    if given is not None:
        return Path(given) if given else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mx-sandbox" / "yaml"


def cached_parse(text: str, parse: Callable[[str], Any]) -> Any:
    """`parse(text)`, or what it returned for the same text before (a fresh copy each time)."""
    folder = cache_dir()
    if folder is None:
        return parse(text)
    key = hashlib.sha256(f"{FORMAT}\0{_parser()}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()
    entry = folder / f"{key}.marshal"
    found = _read(entry)
    if found is not _MISS:
        return found
    data = parse(text)
    _write(folder, entry, data)
    return data


@functools.cache
def _parser() -> str:
    """Which PyYAML is installed, without importing it (~15 ms): its package file, and its size and
    time, which any reinstall changes."""
    spec = importlib.util.find_spec("yaml")
    if spec is None or not spec.origin:
        return f"{sys.version_info[:2]}:no-pyyaml"
    found = os.stat(spec.origin)
    return f"{sys.version_info[:2]}:{spec.origin}:{found.st_size}:{found.st_mtime_ns}"


def _read(entry: Path) -> Any:
    try:
        special, data = marshal.loads(entry.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return _MISS
    return _decode(data) if special else data


def _write(folder: Path, entry: Path, data: Any) -> None:
    try:
        special = [False]
        encoded = _encode(data, special)
        blob = marshal.dumps((special[0], encoded))
    except (_Uncacheable, ValueError):
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{entry.name}.{os.getpid()}.tmp"
        temporary.write_bytes(blob)
        os.replace(temporary, entry)  # readers see the whole entry or none (servers start in parallel)
        _prune(folder)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.marshal"))
    if len(entries) <= MAX_ENTRIES:
        return
    by_age = sorted(entries, key=lambda p: p.stat().st_mtime)
    for stale in by_age[: len(entries) - MAX_ENTRIES * 3 // 4]:
        stale.unlink(missing_ok=True)


class _Uncacheable(Exception):
    pass


def _encode(value: Any, special: list[bool]) -> Any:
    if isinstance(value, dict):
        return {_encode(k, special): _encode(v, special) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v, special) for v in value]
    if isinstance(value, (set, frozenset)):
        return type(value)(_encode(v, special) for v in value)
    if isinstance(value, datetime.datetime):
        special[0] = True
        return ("datetime", value.isoformat())
    if isinstance(value, datetime.date):
        special[0] = True
        return ("date", value.isoformat())
    if isinstance(value, tuple):
        raise _Uncacheable  # would read back as a date
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        return {_decode(k): _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return type(value)(_decode(v) for v in value)
    if isinstance(value, tuple) and len(value) == 2 and value[0] in _TUPLE_TAGS:
        kind, text = value
        return datetime.datetime.fromisoformat(text) if kind == "datetime" else datetime.date.fromisoformat(text)
    return value
