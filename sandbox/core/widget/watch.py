"""Sessions follow their member: each member transition on the timeline moves the widget on.

Reacting to the transition itself (not to a poll) makes the event sequence the same whether a
browser polls every second, a headless client never polls, or a test jumps the clock: one
`memberStatusUpdate` per status change, `memberConnected` exactly when aggregation finished.
"""
from __future__ import annotations

from typing import Any

from ..data.store import DataStore
from ..events import DomainEvent
from ..members.model import STATUS_IDS, Member
from . import steps
from .session import WidgetSession

VERIFIABLE_TYPES = frozenset({"CHECKING", "SAVINGS"})
NO_VERIFIABLE_ACCOUNTS = 1000  # invalidData code: verification found no checking or savings account


def has_verifiable_accounts(data: DataStore, member: Member) -> bool:
    """Whether the aggregated data holds a checking or savings account."""
    return any(a.type in VERIFIABLE_TYPES for a in data.accounts(member.user_guid, member.guid))


def on_status(s: WidgetSession, data: dict[str, Any], at: float) -> None:
    new = data.get("new")
    aggregating = bool(data.get("is_being_aggregated"))
    member_guid = data["member_guid"]
    if s.step == steps.OAUTH and data.get("old") == "PENDING":
        if new in steps.ERROR_STATUSES:
            s.emit("oauthError", at, member_guid=member_guid)
            s.go(steps.OAUTH_ERROR, at, _message(s))
            return
        s.go(steps.CONNECTING, at)
    if s.step == steps.MFA and new in steps.ERROR_STATUSES and not aggregating:
        s.go(steps.error_step(new), at, _message(s))
        return
    if s.step != steps.CONNECTING or new not in STATUS_IDS:
        return
    s.emit("memberStatusUpdate", at, member_guid=member_guid, connection_status=STATUS_IDS[new])
    if new == "CHALLENGED":
        s.go(steps.MFA, at)
    elif new in steps.ERROR_STATUSES and not aggregating:
        s.go(steps.error_step(new), at, _message(s))
    elif new == "CONNECTED" and not aggregating:  # e.g. forced through the control API
        on_aggregated(s, at)


def on_aggregated(s: WidgetSession, at: float) -> None:
    """All requested products are in: memberConnected (or invalidData for an unverifiable member)."""
    member = s.member
    if s.step != steps.CONNECTING or member is None or member.connection_status != "CONNECTED":
        return
    if s.config.wants_verification and not has_verifiable_accounts(s.widget.data, member):
        s.emit("invalidData", at, member_guid=member.guid, code=NO_VERIFIABLE_ACCOUNTS)
        s.go(steps.VERIFY_ERROR, at, "No checking or savings account was found to verify.")
        return
    s.emit("memberConnected", at, member_guid=member.guid)
    s.go(steps.CONNECTED, at)


def _message(s: WidgetSession) -> str | None:
    member = s.member
    return member.connection_status_message if member else None


def on_oauth_decided(s: WidgetSession, data: dict[str, Any], at: float) -> None:
    """Cancel changes no status (the member stays PENDING), so the decision itself ends the step."""
    if s.step == steps.OAUTH and data.get("decision") == "cancel":
        s.emit("oauthError", at, member_guid=data["member_guid"])
        s.go(steps.OAUTH_ERROR, at, "Sign-in at the institution was cancelled.")


def react(sessions: list[WidgetSession], event: DomainEvent) -> None:
    """Route one member event to the sessions showing that member."""
    for s in list(sessions):
        if event.type == "connection_status":
            on_status(s, event.data(), event.at)
        elif event.type == "aggregation_finished":
            on_aggregated(s, event.at)
        elif event.type == "oauth_decided":
            on_oauth_decided(s, event.data(), event.at)
