"""Widget JSON: the widget_url response and the session view both front ends render from."""
from __future__ import annotations

from typing import Any

from ..core.clock import format_instant
from ..core.institutions import Institution
from ..core.widget.links import Link
from ..core.widget import microdeposits as microdeposit_step
from ..core.widget.messages import WidgetMessage
from ..core.widget.session import WidgetSession
from .institutions import credential_json
from .members import challenge_json


def widget_url_json(link: Link, url: str, user_id: str | None) -> dict[str, Any]:
    return {"widget_url": {"type": link.config.widget_type, "url": url, "user_id": user_id}}


def _institution(inst: Institution, with_credentials: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"code": inst.code, "guid": inst.guid, "name": inst.name, "url": inst.url,
                           "supports_oauth": inst.supports_oauth, "iso_country_code": inst.iso_country_code}
    if with_credentials:
        out["credentials"] = [credential_json(c) for c in sorted(inst.credentials, key=lambda c: c.display_order)]
    return out


def messages_json(messages: list[WidgetMessage], scheme: str | None) -> list[dict[str, Any]]:
    """Each event as its postMessage object, plus its sequence number and (WebView) navigation URL."""
    out = []
    for m in messages:
        item = {"seq": m.seq, **m.post_message()}
        if scheme:
            item["webview_url"] = m.webview_url(scheme)
        out.append(item)
    return out


def _microdeposit(s: WidgetSession) -> dict[str, Any] | None:
    """What the microdeposit step shows; the account number is masked as MX's screens do."""
    md = microdeposit_step.current(s) if s.microdeposit_guid else None
    if md is None:
        return None
    number = md.account_number or ""
    return {"guid": md.guid, "status": md.status, "error_message": md.error_message,
            "account_type": md.account_type, "routing_number": md.routing_number,
            "account_number_last4": number[-4:] or None, "email": md.email}


def session_json(s: WidgetSession, history: bool = False) -> dict[str, Any]:
    c = s.config
    member = s.member
    out: dict[str, Any] = {
        "guid": s.guid,
        "user_guid": s.user_guid,
        "widget_type": c.widget_type,
        "step": s.step,
        "opened_at": format_instant(s.opened_at),
        "error": s.error,
        "query": s.query,
        "updating_credentials": s.updating,
        "oauth_requested": s.oauth_requested,
        "config": {
            "products": list(c.products), "mode": c.mode, "is_mobile_webview": c.is_mobile_webview,
            "ui_message_webview_url_scheme": c.scheme, "oauth_referral_source": c.oauth_referral_source,
            "color_scheme": c.color_scheme, "iso_country_code": list(c.iso_country_code),
            "disable_institution_search": c.disable_institution_search, "language": c.language,
        },
        "institution": _institution(s.institution, True) if s.institution else None,
        "member": None,
        "challenges": [],
    }
    if member is not None:
        out["member"] = {
            "guid": member.guid, "connection_status": member.connection_status,
            "connection_status_id": member.status_id, "connection_status_message": member.connection_status_message,
            "is_being_aggregated": member.is_being_aggregated, "is_oauth": member.is_oauth,
            "oauth_window_uri": member.oauth_window_uri,
        }
        if member.connection_status == "CHALLENGED":
            out["challenges"] = [challenge_json(ch) for ch in member.challenges]
    out["microdeposit"] = _microdeposit(s)
    if s.step == "search":
        out["institutions"] = [_institution(i) for i in s.search_results()]
    if history:
        out["history"] = [{"step": step, "at": format_instant(at)} for step, at in s.history]
        out["events"] = messages_json(s.messages, c.scheme if c.is_mobile_webview else None)
    return out
