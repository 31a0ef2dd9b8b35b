"""The snapshot document: one tenant's log header and entries, with the versions that wrote it.

A snapshot is replayed, so it only means the same thing to the sandbox version that wrote it:
another format or sandbox version is refused with a message saying which, rather than replayed
into something subtly different. Everything is checked before the tenant is touched.
"""
from __future__ import annotations

import functools
import math
from typing import Any

from ..errors import BadRequest
from .base import TenantLog

FORMAT = "mx-sandbox-snapshot"
FORMAT_VERSION = 1
KINDS = frozenset({"request", "settle", "webhook"})
_REQUEST_FIELDS = {"method": str, "path": str, "query": str, "headers": list, "secrets": list}


@functools.cache
def sandbox_version() -> str:
    """The installed mx-sandbox's version: what a snapshot is tied to. (importlib.metadata is
    loaded here, on first use, rather than at start-up.)"""
    from importlib import metadata

    try:
        return metadata.version("mx-sandbox")
    except metadata.PackageNotFoundError:
        return "unknown"


def snapshot_document(log: TenantLog | None, sandbox_version: str, empty_meta: dict[str, Any]) -> dict[str, Any]:
    log = log or TenantLog(empty_meta, [])
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "sandbox_version": sandbox_version,
            "tenant": log.meta, "entries": log.entries}


def parse_snapshot(doc: Any, sandbox_version: str) -> TenantLog:
    """The log a document holds; BadRequest naming the first thing wrong with it."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BadRequest(f"This is not an mx-sandbox snapshot (expected \"format\": \"{FORMAT}\").")
    if doc.get("format_version") != FORMAT_VERSION:
        raise BadRequest(f"This snapshot has format version {doc.get('format_version')!r}; this sandbox reads "
                         f"version {FORMAT_VERSION} only. Save it again with this sandbox.")
    if doc.get("sandbox_version") != sandbox_version:
        raise BadRequest(f"This snapshot was saved by mx-sandbox {doc.get('sandbox_version')!r}; this is "
                         f"mx-sandbox {sandbox_version}. Snapshots replay only on the version that saved them: "
                         "save it again with this version.")
    meta, entries = doc.get("tenant"), doc.get("entries")
    if not isinstance(meta, dict) or not isinstance(meta.get("settings"), dict) \
            or not isinstance(meta.get("namespace"), str) or not _number(meta.get("born_wall")):
        raise BadRequest("The snapshot's tenant must hold settings, namespace and born_wall.")
    if not isinstance(entries, list):
        raise BadRequest("The snapshot's entries must be a list.")
    for n, entry in enumerate(entries):
        problem = _entry_problem(entry)
        if problem:
            raise BadRequest(f"Snapshot entry {n}: {problem}.")
    return TenantLog(meta, entries)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        and 0 <= value <= 1e11


def _entry_problem(entry: Any) -> str | None:
    if not isinstance(entry, dict) or entry.get("kind") not in KINDS:
        return f"kind must be one of {', '.join(sorted(KINDS))}"
    if not _number(entry.get("wall")):
        return "wall must be a number of seconds"
    if entry["kind"] == "request":
        for name, kind in _REQUEST_FIELDS.items():
            if not isinstance(entry.get(name), kind):
                return f"{name} must be a {kind.__name__}"
        if not all(isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in entry["headers"]):
            return "headers must be [name, value] pairs"
        if not all(isinstance(s, str) for s in entry["secrets"]) or not isinstance(entry.get("body"), (str, type(None))):
            return "secrets must be strings and body a string or null"
    if entry["kind"] == "webhook" and not (isinstance(entry.get("delivery"), str) and isinstance(entry.get("number"), int)):
        return "a webhook answer needs delivery and number"
    return None
