"""/_sandbox/requests: the tenant's request journal (core/journal.py), listed and counted. Not MX's."""
from __future__ import annotations

from typing import Any

from starlette.routing import Route

from ...core.clock import parse_instant
from ...core.errors import BadRequest
from ...core.journal import DEFAULT_PAGE, JOURNAL_LIMIT, PAGE_LIMIT, PathMatcher, Query, status_filter
from ..endpoint import Ctx, mx_route
from ..parsing import field_of

COUNT_FIELDS = {"method", "path", "status", "body_contains", "near_misses"}


def _int(text: str | None, name: str, low: int, high: int, default: int) -> int:
    if text is None or text == "":
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}.")
    return int(text)


def _query(fields: dict[str, Any]) -> Query:
    method = fields.get("method")
    since = None
    if fields.get("since"):
        try:
            since = parse_instant(fields["since"])
        except (ValueError, OverflowError):
            raise BadRequest("since must be an ISO 8601 date-time.") from None
    return Query(
        method=method.upper() if method else None,
        path=PathMatcher.parse(fields["path"]) if fields.get("path") is not None else None,
        status=status_filter(fields["status"]) if fields.get("status") not in (None, "") else None,
        body_contains=fields.get("body_contains"),
        since=since,
        after_id=fields.get("cursor", 0),
    )


def list_requests(ctx: Ctx):
    """Oldest first. Filters: method, path (template, literal or ^regex), status (429 or 5xx), since
    (virtual time), cursor (the `next_cursor` of the previous page), limit (≤ PAGE_LIMIT)."""
    q = ctx.query
    fields: dict[str, Any] = {k: q[k] for k in ("method", "path", "status", "since", "body_contains") if k in q}
    fields["cursor"] = _int(q.get("cursor"), "cursor", 0, 2**62, 0)
    limit = _int(q.get("limit"), "limit", 1, PAGE_LIMIT, DEFAULT_PAGE)
    journal = ctx.tenant.journal
    found, more = journal.find(_query(fields), limit)
    return {"requests": found, "next_cursor": found[-1]["id"] if found else fields["cursor"] or None,
            "has_more": more, "dropped": journal.dropped, "kept_limit": JOURNAL_LIMIT}


def count_requests(ctx: Ctx):
    """`{"method", "path", "status", "body_contains", "near_misses": true}` → `{"count", "near_misses"}`."""
    body = ctx.body or {}
    unknown = set(body) - COUNT_FIELDS
    if unknown:
        raise BadRequest(f"Unknown fields: {', '.join(sorted(unknown))}.")
    fields = {name: field_of(body, name, str) for name in ("method", "path", "body_contains")}
    status = field_of(body, "status", (int, str))
    query = _query({**fields, "status": status})
    journal = ctx.tenant.journal
    out: dict[str, Any] = {"count": journal.count(query)}
    if field_of(body, "near_misses", bool, False):
        out["near_misses"] = journal.near_misses(query)
    return out


routes = [
    Route("/_sandbox/requests", mx_route(list_requests, versioned=False, record=False), methods=["GET"]),
    Route("/_sandbox/requests/count", mx_route(count_requests, versioned=False, record=False), methods=["POST"]),
]
