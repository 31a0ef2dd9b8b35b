"""A typed client for the sandbox control API (`/_sandbox/...`), acting on one tenant.

Used by the pytest plugin's fixtures; works over any httpx client authenticated as the tenant
(a real socket, or the in-process respx route).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

import httpx


class ControlError(AssertionError):
    """The control API refused a call; the message carries MX's error text."""


def _ok(response: httpx.Response, *statuses: int) -> httpx.Response:
    if response.status_code not in (statuses or (200,)):
        raise ControlError(f"{response.request.method} {response.request.url.path} → {response.status_code}: {response.text}")
    return response


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Clock:
    """The tenant's virtual clock. Every method returns the virtual now after the change."""

    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def _post(self, **body: Any) -> datetime:
        return _instant(_ok(self._http.post("/_sandbox/clock", json=body)).json()["now"])

    def now(self) -> datetime:
        return _instant(_ok(self._http.get("/_sandbox/clock")).json()["now"])

    def advance(self, seconds: float) -> datetime:
        """Move forward; due member transitions run on the way."""
        return self._post(advance_seconds=seconds)

    def freeze(self, now: str | datetime | None = None) -> datetime:
        """Stop the clock (optionally at `now`), so waits in the code under test cost nothing."""
        body: dict[str, Any] = {"frozen": True}
        if now is not None:
            body["now"] = now.isoformat() if isinstance(now, datetime) else now
        return self._post(**body)

    def unfreeze(self) -> datetime:
        return self._post(frozen=False)


@dataclass
class WidgetDriver:
    """A headless Connect Widget session opened from a widget URL (`/_sandbox/widget_sessions`)."""

    http: httpx.Client
    guid: str

    @classmethod
    def open(cls, http: httpx.Client, url: str) -> "WidgetDriver":
        body = _ok(http.post("/_sandbox/widget_sessions", json={"url": url}), 200, 201).json()
        session = body.get("widget_session", body)
        return cls(http, session.get("session_guid") or session["guid"])

    def state(self) -> dict[str, Any]:
        body = _ok(self.http.get(f"/_sandbox/widget_sessions/{self.guid}")).json()
        return body.get("widget_session", body)

    def act(self, action: str, **fields: Any) -> dict[str, Any]:
        """Perform a widget step, e.g. `act("select_institution", code="mxbank")`; returns the new state."""
        r = self.http.post(f"/_sandbox/widget_sessions/{self.guid}/actions", json={"action": action, **fields})
        body = _ok(r, 200, 201, 202).json()
        return body.get("widget_session", body)


class SandboxControl:
    """Clock, reset, events and forced member states for the tenant `http` is authenticated as."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.clock = Clock(http)

    def reset(self) -> None:
        """Wipe this tenant: users, members, events, clock."""
        _ok(self.http.post("/_sandbox/reset"), 204)

    def events(self, **filters: str) -> list[dict[str, Any]]:
        """The tenant's timeline; filters `kind`, `type`, `member_guid`, `session_guid`, `since`."""
        return _ok(self.http.get("/_sandbox/events", params=filters)).json()["events"]

    def force_status(self, member_guid: str, status: str, **fields: Any) -> dict[str, Any]:
        """Put a member in `status` now (e.g. DEGRADED), as if something happened at the bank."""
        body = {"connection_status": status, **fields}
        return _ok(self.http.put(f"/_sandbox/members/{member_guid}", json=body)).json()["member"]

    def configure_webhooks(self, url: str, **config: Any) -> dict[str, Any]:
        """Send this tenant's webhooks to `url` (`types=[...]`, `basic_auth={...}` as MX's dashboard)."""
        return _ok(self.http.put("/_sandbox/webhooks", json={"url": url, **config})).json()["webhooks"]

    def webhook_deliveries(self, **filters: str) -> list[dict[str, Any]]:
        """Deliveries with every attempt; filters `type`, `member_guid`, `state`, `limit`."""
        return _ok(self.http.get("/_sandbox/webhooks/deliveries", params=filters)).json()["deliveries"]

    def fire_webhook(self, type: str, member_guid: str) -> dict[str, Any]:
        """Send one webhook of `type` for the member now (like Plaid's sandbox `fire_webhook`)."""
        body = {"type": type, "member_guid": member_guid}
        return _ok(self.http.post("/_sandbox/webhooks/fire", json=body), 202).json()["delivery"]

    def widget(self, url: str) -> WidgetDriver:
        """Drive the widget at `url` (from POST /users/{guid}/widget_urls) without a browser."""
        return WidgetDriver.open(self.http, url)

    # -- request journal and faults (sandbox/core/journal.py, sandbox/core/faults.py) ---------------
    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """The tenant's MX calls, oldest first; filters `method`, `path`, `status`, `since`, `cursor`, `limit`."""
        return _ok(self.http.get("/_sandbox/requests", params=filters)).json()["requests"]

    def count_requests(self, method: str | None = None, path: str | None = None, **fields: Any) -> int:
        """How many calls match (`path`: a route template, a literal path or a `^regex`; `body_contains`)."""
        body = {k: v for k, v in {"method": method, "path": path, **fields}.items() if v is not None}
        return _ok(self.http.post("/_sandbox/requests/count", json=body)).json()["count"]

    def assert_called(self, method: str, path: str, times: int | None = None, *,
                      body_contains: str | None = None, status: int | str | None = None) -> None:
        """Fail unless `method path` was called `times` times (at least once when None); the message
        lists the matching calls and the near misses (other methods, similar paths, other bodies)."""
        query = {k: v for k, v in {"method": method, "path": path, "body_contains": body_contains,
                                   "status": status}.items() if v is not None}
        found = _ok(self.http.post("/_sandbox/requests/count", json={**query, "near_misses": True})).json()
        count = found["count"]
        if (count >= 1) if times is None else (count == times):
            return
        matched = self.requests(**query, limit=20) if count else []
        raise CallMismatch(describe_mismatch(method, path, times, count, query, matched, found["near_misses"]))

    def add_fault(self, **rule: Any) -> dict[str, Any]:
        """Add a fault rule (`status=429, retry_after=1, times=2`, `kind="aggregation"`, ...)."""
        return _ok(self.http.post("/_sandbox/faults", json=rule), 201).json()["fault"]

    def faults(self) -> list[dict[str, Any]]:
        return _ok(self.http.get("/_sandbox/faults")).json()["faults"]

    def clear_faults(self) -> None:
        _ok(self.http.delete("/_sandbox/faults"), 204)


class CallMismatch(AssertionError):
    """`assert_called` found a different number of calls than expected."""


def _call_line(call: dict[str, Any]) -> str:
    status = "reset" if call.get("status") is None else call["status"]
    reason = f"  ({call['reason']})" if call.get("reason") else ""
    return f"  #{call['id']} {call['at']} {call['method']} {call['path']} → {status}{reason}"


def describe_mismatch(method: str, path: str, times: int | None, count: int, query: dict[str, Any],
                      matched: list[dict[str, Any]], near: list[dict[str, Any]]) -> str:
    """The failure message of `assert_called`."""
    extra = "".join(f", {k} {v!r}" for k, v in query.items() if k not in ("method", "path"))
    wanted = "at least once" if times is None else f"{times} time{'s' if times != 1 else ''}"
    lines = [f"expected {method} {path}{extra} to be called {wanted}, but it was called {count} time{'s' if count != 1 else ''}"]
    if matched:
        lines += ["matching calls:", *(_call_line(c) for c in matched)]
    lines += ["near misses:", *(_call_line(c) for c in near)] if near else ["near misses: none"]
    return "\n".join(lines)


def format_events(events: Iterable[dict[str, Any]], limit: int = 200) -> str:
    """One line per event, oldest first, for a failing test's report."""
    rows = list(events)
    lines = [f"... {len(rows) - limit} earlier events left out" ] if len(rows) > limit else []
    for event in rows[-limit:]:
        data = event.get("data") or {}
        if event.get("kind") == "api":  # the call itself; its query, body and timing are in the journal
            data = {"status": data.get("status"), **({"fault": data["fault"]} if data.get("fault") else {})}
        data = json.dumps(data, separators=(",", ":"), sort_keys=True)
        lines.append(f"{event.get('at')}  {event.get('kind', ''):<7} {event.get('type', '')}  {data}")
    return "\n".join(lines) if lines else "(no events)"


def events_report(controls: list[SandboxControl]) -> str | None:
    """The timelines of `controls`' tenants as text, or None when nothing could be read."""
    parts = []
    for control in controls:
        try:
            parts.append(format_events(control.events()))
        except Exception as exc:  # the report must never hide the test's own failure
            parts.append(f"(events unavailable: {exc})")
    return "\n\n".join(parts) if parts else None
