"""What a user can do in the widget. Both front ends send these same actions.

Input is checked before anything is emitted, so a bad action is a 4xx that leaves the session and
the timeline untouched. Members are created, updated and resumed through the same MemberStore and
JobRunner and Lifecycle calls the API uses.
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import BadRequest, Conflict, MXError
from ..members.store import parse_credentials
from . import microdeposits as md_step
from . import steps
from .session import WidgetSession

MAX_QUERY = 200


def _text(body: dict[str, Any], name: str, limit: int = 1000, required: bool = True) -> str:
    value = body.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise BadRequest(f"{name} must be a string of at most {limit} characters.")
    return value


def _pairs(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    raw = body.get(name)
    if not isinstance(raw, list) or not raw or not all(
        isinstance(i, dict) and isinstance(i.get("guid"), str) and isinstance(i.get("value"), str) for i in raw
    ):
        raise BadRequest(f"{name} must be a non-empty array of {{guid, value}} strings.")
    return raw


def search(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    if s.config.disable_institution_search:
        raise Conflict("Institution search is disabled for this widget.")
    s.query = _text(body, "query", MAX_QUERY).strip()
    s.emit("institutionSearch", at, query=s.query)


def select_institution(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    code = _text(body, "code", 200)
    institution = s.widget.catalog.get(code)
    fallback = md_step.lacks_only_verification(s, institution)
    if not s.offers(institution) and not fallback:
        raise BadRequest(f"{institution.name} does not support every product this widget requested.")
    s.institution, s.updating = institution, False
    s.bind(None)
    s.emit("selectedInstitution", at, code=institution.code, guid=institution.guid, name=institution.name,
           url=institution.url)
    if fallback:  # no instant verification here: verify with microdeposits instead
        md_step.enter(s, at)
        return
    if institution.supports_oauth:
        if s.create_oauth_member(at):
            s.go(steps.OAUTH, at)
        return
    s.go(steps.ENTER_CREDS, at)
    s.emit("enterCredentials", at, institution=s.institution_ref())


def submit_credentials(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    assert s.institution is not None
    raw = _pairs(body, "credentials")
    values = parse_credentials(raw, s.institution)
    missing = [f.label for f in s.institution.credentials if not values.get(f.guid)]
    if missing:
        raise BadRequest(f"Missing credentials: {', '.join(missing)}.")
    member = s.member if s.updating else None
    try:
        if member is not None:
            s.widget.members.update(member, {"credentials": raw})
        else:
            member = s.widget.lifecycle.create_member(
                s.user_guid,
                {"institution_code": s.institution.code, "credentials": raw,
                 "background_aggregation_is_disabled": s.config.disable_background_agg},
                list(s.config.products) or None,
            )
    except MXError as error:
        s.emit("createMemberError", at, institution_guid=s.institution.guid, institution_code=s.institution.code)
        s.error = error.message
        return
    s.bind(member)
    s.go(steps.CONNECTING, at)
    s.emit_status(member, at)


def answer_mfa(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    member = s.member
    if member is None or member.connection_status != "CHALLENGED":
        raise Conflict("The member has no challenge to answer.")
    answers = {a["guid"]: a["value"] for a in _pairs(body, "challenges")}
    known = {c.guid for c in member.challenges}
    if set(answers) - known:
        raise BadRequest("Answer this member's challenges: an unknown challenge guid was sent.")
    if known - set(answers) or not all(answers.values()):
        raise BadRequest("Answer every challenge.")
    s.emit("submitMFA", at, member_guid=member.guid)
    s.go(steps.CONNECTING, at)
    s.widget.members.jobs.resume(member, list(answers.items()), at)


OAUTH_DECISIONS = ("authorize", "deny", "cancel")


def oauth(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    """Without `decision`: the Sign-in click (oauthRequested). With one: what the user does at the
    bank, applied by the OAuth component exactly as its consent page would; the session then
    follows the member (watch.py), so a decision made on the real consent page works the same."""
    member = s.member
    if member is None or not member.oauth_window_uri:
        raise Conflict("This OAuth session has no member waiting for OAuth.")
    decision = body.get("decision")
    if decision is not None and decision not in OAUTH_DECISIONS:
        raise BadRequest("decision must be authorize, deny or cancel.")
    if not s.oauth_requested:
        s.oauth_requested = True
        s.emit("oauthRequested", at, url=member.oauth_window_uri, member_guid=member.guid)
    if decision is not None:
        s.widget.oauth.decide(member, decision, at)


def to_search(s: WidgetSession, at: float) -> None:
    s.institution, s.updating, s.query, s.microdeposit_guid = None, False, "", None
    s.bind(None)
    s.go(steps.SEARCH, at)


def primary_action(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    """Connected: tell the host (it usually closes the widget). Login error: update credentials.
    Other end screens: start over at search (when search is allowed)."""
    if s.step == steps.CONNECTED:
        s.emit("connected/primaryAction", at)
    elif s.step == steps.LOGIN_ERROR and s.member is not None and s.institution is not None:
        s.updating = True
        s.go(steps.ENTER_CREDS, at)
        s.emit("updateCredentials", at, member_guid=s.member_guid, institution=s.institution_ref())
    elif not s.config.disable_institution_search:
        to_search(s, at)


def back_to_search(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    """Always announced; with search disabled the host is expected to close the widget."""
    s.emit("backToSearch", at)
    if not s.config.disable_institution_search:
        to_search(s, at)


def delete_member(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    member = s.member
    if member is None:
        raise Conflict("There is no member to delete.")
    s.widget.lifecycle.delete_member(member)
    s.emit("memberDeleted", at, member_guid=member.guid)
    s.bind(None)
    s.go(steps.DELETED, at)


def ping(s: WidgetSession, body: dict[str, Any], at: float) -> None:
    s.emit("ping", at)


ACTIONS: dict[str, Callable[[WidgetSession, dict[str, Any], float], None]] = {
    "search": search,
    "select_institution": select_institution,
    "submit_credentials": submit_credentials,
    "answer_mfa": answer_mfa,
    "oauth": oauth,
    "primary_action": primary_action,
    "back_to_search": back_to_search,
    "delete_member": delete_member,
    "microdeposits": md_step.microdeposits,
    "verify_microdeposits": md_step.verify_microdeposits,
    "ping": ping,
}


def perform(s: WidgetSession, body: dict[str, Any], at: float) -> list:
    """Run one action; returns the messages it emitted (member reactions included)."""
    name = body.get("action")
    handler = ACTIONS.get(name) if isinstance(name, str) else None
    if handler is None:
        raise BadRequest(f"action must be one of: {', '.join(ACTIONS)}.")
    allowed = steps.ACTION_STEPS[name]
    if allowed and s.step not in allowed:
        raise Conflict(f"{name} is not available on the {s.step} step.")
    s.widget.users.get(s.user_guid, allow_partner_id=False)  # 404 once the user is deleted
    before = s.last_seq
    handler(s, body, at)
    return s.messages_since(before)
