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


def format_events(events: Iterable[dict[str, Any]], limit: int = 200) -> str:
    """One line per event, oldest first, for a failing test's report."""
    rows = list(events)
    lines = [f"... {len(rows) - limit} earlier events left out" ] if len(rows) > limit else []
    for event in rows[-limit:]:
        data = json.dumps(event.get("data") or {}, separators=(",", ":"), sort_keys=True)
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
