"""/_sandbox/*: the control API a test uses to steer time and read what happened. Not MX's."""
from __future__ import annotations

import math

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ...core.clock import ClockError, check_move, format_instant, parse_instant
from ...core.errors import BadRequest
from ...core.events import TIMELINE_LIMIT
from ...core.lifecycle import MAX_DELETE_LAG_SECONDS
from ...core.limits import limits
from ...serialize.transactions import TRANSACTION_ROWS
from ..endpoint import Ctx, Reply, mx_route
from ..parsing import field_of
from ..router import RESOLVED_LIMIT


def clock_json(ctx: Ctx) -> dict:
    clock = ctx.tenant.clock
    return {"now": format_instant(clock.now()), "frozen": clock.frozen}


def read_clock(ctx: Ctx):
    return clock_json(ctx)


def change_clock(ctx: Ctx):
    """One or more of: `frozen` (bool), `now` (ISO 8601), `advance_seconds` (≥ 0).

    `now` may move the clock back only while the tenant is empty (before its first user), so a
    test can pin any start date; afterwards time only moves forward, as scheduled transitions need.
    Every move obeys the clock's one limit (core/clock.py): at most ten years, within 1970-2200.
    What the move made due runs right after, in slices (http/driver.py).
    """
    body = ctx.body or {}
    known = {"frozen", "now", "advance_seconds"}
    if not body or not set(body) & known:
        raise BadRequest("Send one of: advance_seconds, now, frozen.")
    unknown = set(body) - known
    if unknown:
        raise BadRequest(f"Unknown clock fields: {', '.join(sorted(unknown))}.")
    clock = ctx.tenant.clock
    frozen = field_of(body, "frozen", bool)
    now_text = field_of(body, "now", str)
    advance = field_of(body, "advance_seconds", (int, float))
    if isinstance(advance, bool) or (advance is not None and not math.isfinite(advance)):
        raise BadRequest("advance_seconds must be a number.")
    target = None
    if now_text is not None:
        try:
            target = parse_instant(now_text)
        except (ValueError, OverflowError):
            raise BadRequest("now must be an ISO 8601 date-time.") from None
    try:  # check every move before making any, so a refused call changes nothing
        start = clock.now()
        if target is not None:
            check_move(start, target, allow_backwards=ctx.tenant.is_empty())
        if advance is not None:
            check_move(start, (target if target is not None else start) + advance)
            if advance < 0:
                raise ClockError("advance_seconds must not be negative: the clock only moves forward.")
    except ClockError as error:
        raise BadRequest(str(error)) from None
    if frozen is not None:
        clock.freeze(frozen)
    if target is not None:
        clock.set(target, allow_backwards=ctx.tenant.is_empty())
    if advance:
        clock.advance(float(advance))
    return clock_json(ctx)


def settings_json(ctx: Ctx) -> dict:
    return {"delete_lag_seconds": ctx.tenant.lifecycle.delete_lag_seconds}


def read_settings(ctx: Ctx):
    return settings_json(ctx)


def change_settings(ctx: Ctx):
    """`{"delete_lag_seconds": 45}`: this tenant's opt-in MX behaviours (a reset restores the defaults)."""
    body = ctx.body or {}
    unknown = set(body) - {"delete_lag_seconds"}
    if not body or unknown:
        raise BadRequest("Send delete_lag_seconds" + (f"; unknown: {', '.join(sorted(unknown))}." if unknown else "."))
    lag = field_of(body, "delete_lag_seconds", (int, float))
    if isinstance(lag, bool) or lag is None or not 0 <= lag <= MAX_DELETE_LAG_SECONDS:
        raise BadRequest(f"delete_lag_seconds must be a number from 0 to {MAX_DELETE_LAG_SECONDS}.")
    ctx.tenant.lifecycle.delete_lag_seconds = float(lag)
    return settings_json(ctx)


def reset(ctx: Ctx):
    ctx.tenant.reset()
    return Reply(None, 204)


def list_events(ctx: Ctx):
    q = ctx.query
    since = None
    if q.get("since"):
        try:
            since = parse_instant(q["since"])
        except ValueError:
            raise BadRequest("since must be an ISO 8601 date-time.") from None
    after = _count(q, "after", 0)
    limit = _count(q, "limit", TIMELINE_LIMIT)
    timeline = ctx.tenant.timeline
    found = timeline.query(
        kind=q.get("kind"),
        type_=q.get("type"),
        member_guid=q.get("member_guid"),
        session_guid=q.get("session_guid"),
        since=since,
        after=after,
    )
    # `cursor` is the newest seq even when filters matched nothing: poll again with `after=cursor`.
    return {"events": [e.to_json() for e in found[-limit:]] if limit else [], "cursor": timeline.last_seq}


def _count(query, name: str, default: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise BadRequest(f"{name} must be a non-negative integer.")
    return int(text)


async def health(request: Request) -> JSONResponse:
    """Liveness plus gauges of everything bounded (totals across tenants; no tenant's data)."""
    tenants = request.app.state.tenants
    router = request.app.router
    gauges = {**tenants.gauges(), "encoded_transaction_rows": len(TRANSACTION_ROWS),
              "resolved_routes": getattr(router, "resolved", 0)}
    return JSONResponse({"status": "ok", "gauges": gauges,
                         "limits": {**limits(tenants), "encoded_transaction_rows": TRANSACTION_ROWS.limit,
                                    "resolved_routes": RESOLVED_LIMIT}})


routes = [
    Route("/_sandbox/health", health, methods=["GET"]),
    Route("/_sandbox/clock", mx_route(read_clock, versioned=False, record=False), methods=["GET"]),
    Route("/_sandbox/clock", mx_route(change_clock, versioned=False, record=False), methods=["POST"]),
    Route("/_sandbox/reset", mx_route(reset, versioned=False, record=False), methods=["POST"]),
    Route("/_sandbox/settings", mx_route(read_settings, versioned=False, record=False), methods=["GET"]),
    Route("/_sandbox/settings", mx_route(change_settings, versioned=False, record=False), methods=["PUT"]),
    Route("/_sandbox/events", mx_route(list_events, versioned=False, record=False), methods=["GET"]),
]


def force_member(ctx: Ctx):
    """`{"connection_status": "DEGRADED", "is_being_aggregated": false, "challenge": "text"}`."""
    from ...serialize.members import member_json

    body = ctx.body or {}
    status = field_of(body, "connection_status", str)
    if status is None:
        raise BadRequest("connection_status is required.")
    aggregating = field_of(body, "is_being_aggregated", bool, False)
    challenge = field_of(body, "challenge", str, "text")
    members = ctx.tenant.members
    member = members.force(members.get_any(ctx.params["member_guid"]), status, aggregating, challenge)
    return {"member": member_json(member, "v20250224")}


routes.append(Route("/_sandbox/members/{member_guid}", mx_route(force_member, versioned=False, record=False), methods=["PUT"]))
