"""OAuth at the sandbox's fake bank: single-use `state` grants, decisions and where the user lands.

A grant is one `oauth_window_uri`. It works once, for `STATE_TTL_SECONDS` of virtual time, and only
while it is the member's newest. The consent page (http/routes/oauth.py), the control API and the
widget all end in `decide`, so the member changes the same way whoever clicks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from .clock import VirtualClock
from .errors import BadRequest, MXError, NotFound
from .events import EventBus, OAuthDecided, OAuthStateRejected, OAuthUriIssued
from .members.model import Member
from .members.store import MemberStore
from .tokens import TokenDirectory, new_token

STATE_TTL_SECONDS = 600  # ten virtual minutes, like widget URLs
# A spent grant (used, superseded or expired) is kept this long so its link answers 410 rather than
# 404, then dropped with its token: grants stay bounded by what was issued in the last hour.
GRANT_RETENTION_SECONDS = 3600
STATE_KIND = "oauth_state"
DECISIONS = ("authorize", "deny", "cancel")
ERROR_REASONS = {"deny": "DENIED", "cancel": "CANCELLED"}
# Every error_reason MX's widget knows; only DENIED and CANCELLED are produced by the sandbox.
KNOWN_ERROR_REASONS = ("UNKNOWN_ERROR", "CANCELLED", "DENIED", "IMPEDED", "PROVIDER_ERROR", "SERVER_ERROR", "SESSION_ERROR")
REFERRAL_SOURCES = ("BROWSER", "APP")
DEFAULT_SCHEME = "mx"
COMPLETE_PATH = "/oauth/redirect_from"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*$")
_UNSAFE_SCHEMES = {"javascript", "data", "vbscript", "file", "blob"}


class StateGone(MXError):
    """A used, expired or superseded OAuth state: the consent page answers 410."""

    status = 410


@dataclass(frozen=True)
class OAuthOptions:
    """Where the user goes after the bank. `client_redirect_url` and the scheme apply to APP only."""

    referral_source: str = "BROWSER"
    client_redirect_url: str | None = None
    ui_message_webview_url_scheme: str | None = None
    enable_app2app: bool = True  # accepted and stored; MX says it only affects Chase
    skip_aggregation: bool = False

    @property
    def is_app(self) -> bool:
        return self.referral_source == "APP"

    @classmethod
    def parse(cls, raw: dict[str, Any], fallback: "OAuthOptions | None" = None) -> "OAuthOptions":
        """Typed, validated options; a missing key falls back to `fallback` (the member's create-time
        options), except `enable_app2app` and `skip_aggregation`, which MX does not persist."""
        base = fallback or cls()
        source = raw.get("referral_source", base.referral_source)
        if not isinstance(source, str) or source.upper() not in REFERRAL_SOURCES:
            raise BadRequest("referral_source must be BROWSER or APP.")
        url = raw.get("client_redirect_url", base.client_redirect_url)
        scheme = raw.get("ui_message_webview_url_scheme", base.ui_message_webview_url_scheme)
        app2app = raw.get("enable_app2app", True)
        skip = raw.get("skip_aggregation", False)
        if url is not None:
            _check_redirect_url(url)
        if scheme is not None and (not isinstance(scheme, str) or not _SCHEME.match(scheme)
                                   or scheme.lower() in _UNSAFE_SCHEMES):
            raise BadRequest("ui_message_webview_url_scheme must be a URL scheme such as myapp.")
        if not isinstance(app2app, bool) or not isinstance(skip, bool):
            raise BadRequest("enable_app2app and skip_aggregation must be true or false.")
        return cls(source.upper(), url or None, scheme or None, app2app, skip)


def _check_redirect_url(url: Any) -> None:
    if not isinstance(url, str) or not url or any(c.isspace() for c in url):
        raise BadRequest("client_redirect_url must be an absolute URL.")
    scheme = urlsplit(url).scheme
    if not scheme or not _SCHEME.match(scheme) or scheme.lower() in _UNSAFE_SCHEMES or ":" not in url:
        raise BadRequest("client_redirect_url must be an absolute URL with a safe scheme.")


@dataclass
class Grant:
    state: str
    member_guid: str
    user_guid: str
    institution_code: str
    options: OAuthOptions
    issued_at: float
    used_at: float | None = None
    superseded: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a decision did, and the URL the user's browser goes to next."""

    member_guid: str
    decision: str
    status: str  # success | error
    error_reason: str | None
    redirect_url: str

    def to_json(self) -> dict[str, Any]:
        return {"member_guid": self.member_guid, "decision": self.decision, "status": self.status,
                "error_reason": self.error_reason, "redirect_url": self.redirect_url}


def completion_query(member_guid: str, status: str, error_reason: str | None) -> str:
    params = {"status": status, "member_guid": member_guid}
    if error_reason:
        params["error_reason"] = error_reason
    return urlencode(params)


def append_query(url: str, query: str) -> str:
    base, _, fragment = url.partition("#")
    joined = f"{base}{'&' if '?' in base else '?'}{query}"
    return f"{joined}#{fragment}" if fragment else joined


class OAuthComponent:
    def __init__(self, client_id: str, public_url: str, clock: VirtualClock, bus: EventBus,
                 tokens: TokenDirectory, members: MemberStore) -> None:
        self.client_id = client_id
        self.public_url = public_url
        self.clock = clock
        self.bus = bus
        self.tokens = tokens
        self.members = members
        self.grants: dict[str, Grant] = {}

    # -- issuing ---------------------------------------------------------------------------------
    def parse_options(self, raw: dict[str, Any]) -> OAuthOptions:
        return OAuthOptions.parse(raw)

    def issue_uri(self, member: Member, options: dict[str, Any] | OAuthOptions) -> str:
        """Mint a grant for `member` (superseding its older ones) and return the window URI."""
        if not member.is_oauth:
            raise BadRequest("Member cannot use OAuth.")
        parsed = options if isinstance(options, OAuthOptions) else OAuthOptions.parse(options)
        for grant in self._grants_of(member.guid):
            grant.superseded = True
        now = self.clock.now()
        self._prune(now)
        state = new_token()
        self.grants[state] = Grant(state, member.guid, member.user_guid, member.institution.code, parsed, now)
        self.tokens.register(STATE_KIND, state, self.client_id)
        base = self.public_url
        query = urlencode({
            "client_id": "mx-sandbox",
            "redirect_uri": f"{base}{COMPLETE_PATH}",
            "response_type": "code",
            "scope": "openid",
            "state": state,
        })
        member.oauth_window_uri = f"{base}/oauth/{member.institution.code}/authorize?{query}"
        self.bus.publish(OAuthUriIssued(now, member.guid, member.user_guid, referral_source=parsed.referral_source,
                                        skip_aggregation=parsed.skip_aggregation))
        return member.oauth_window_uri

    def reissue(self, member: Member, raw: dict[str, Any]) -> str:
        """`GET .../oauth_window_uri`: a fresh URI; unspecified options keep the member's."""
        if not member.is_oauth:
            raise BadRequest("Member cannot use OAuth.")
        fallback = OAuthOptions.parse({k: v for k, v in member.oauth_options.items()
                                       if k not in ("enable_app2app", "skip_aggregation")})
        return self.issue_uri(member, OAuthOptions.parse(raw, fallback))

    # -- the consent page ------------------------------------------------------------------------
    def live_grant(self, state: str, institution_code: str | None = None) -> tuple[Grant, Member]:
        """The grant behind `state` if it can still be used, and its member; else NotFound/StateGone."""
        grant = self.grants.get(state)
        if grant is None or (institution_code is not None and grant.institution_code != institution_code):
            raise NotFound("This OAuth link is not valid. Request a new oauth_window_uri.")
        try:
            member = self.members.get_any(grant.member_guid)
        except NotFound:
            raise StateGone("The connection this OAuth link was for no longer exists.") from None
        reason = self._gone_reason(grant)
        if reason:
            self.bus.publish(OAuthStateRejected(self.clock.now(), member.guid, member.user_guid, reason=reason))
            raise StateGone(_GONE_MESSAGES[reason])
        return grant, member

    def _gone_reason(self, grant: Grant) -> str | None:
        if grant.used_at is not None:
            return "used"
        if grant.superseded:
            return "superseded"
        if self.clock.now() - grant.issued_at > STATE_TTL_SECONDS:
            return "expired"
        return None

    def complete(self, state: str, institution_code: str, decision: str) -> Outcome:
        """The consent page's form: use the grant once and apply the user's decision."""
        if decision not in DECISIONS:
            raise BadRequest("decision must be authorize, deny or cancel.")
        grant, member = self.live_grant(state, institution_code)
        return self._apply(member, grant.options, decision, self.clock.now())

    # -- deciding --------------------------------------------------------------------------------
    def decide(self, member: Member, decision: str, now: float | None = None) -> Outcome:
        """Control API and widget: decide for a member waiting for OAuth, as its consent page would."""
        if decision not in DECISIONS:
            raise BadRequest("decision must be authorize, deny or cancel.")
        if not member.is_oauth:
            raise BadRequest("Member cannot use OAuth.")
        live = [g for g in self._grants_of(member.guid) if self._gone_reason(g) is None]
        if member.connection_status != "PENDING" and not live:
            raise BadRequest("This member is not waiting for OAuth; request a new oauth_window_uri first.")
        options = live[-1].options if live else OAuthOptions.parse(member.oauth_options)
        return self._apply(member, options, decision, self.clock.now() if now is None else now)

    def _apply(self, member: Member, options: OAuthOptions, decision: str, now: float) -> Outcome:
        for grant in self._grants_of(member.guid):
            grant.used_at = grant.used_at if grant.used_at is not None else now
        jobs = self.members.jobs
        reason = ERROR_REASONS.get(decision)
        member.error_reason = reason
        if decision == "authorize":
            if options.skip_aggregation:
                jobs.cancel(member)
                member.is_authenticated = True
                jobs.set_status(member, "CONNECTED", now)
            else:
                first, follow = jobs.initial_jobs(member)
                jobs.start(member, first, now, status="CONNECTED", queue=follow, authenticated=True)
        elif decision == "deny":
            jobs.finish(member, "DENIED", now)
        # cancel: nothing happened at the bank; the member keeps its status (PENDING for a new one)
        status = "success" if reason is None else "error"
        self.bus.publish(OAuthDecided(now, member.guid, member.user_guid, decision=decision, status=status,
                                      error_reason=reason))
        return Outcome(member.guid, decision, status, reason, self._redirect_url(member.guid, options, status, reason))

    def _redirect_url(self, member_guid: str, options: OAuthOptions, status: str, reason: str | None) -> str:
        query = completion_query(member_guid, status, reason)
        if options.is_app:
            target = options.client_redirect_url or f"{options.ui_message_webview_url_scheme or DEFAULT_SCHEME}://oauth_complete"
            return append_query(target, query)
        return f"{self.public_url}{COMPLETE_PATH}?{query}"

    # -- housekeeping ----------------------------------------------------------------------------
    def _grants_of(self, member_guid: str) -> list[Grant]:
        return [g for g in self.grants.values() if g.member_guid == member_guid]

    def _prune(self, now: float) -> None:
        """Drop grants spent more than GRANT_RETENTION_SECONDS ago, and their tokens."""
        for grant in [g for g in self.grants.values()
                      if self._gone_reason(g) and now - g.issued_at > GRANT_RETENTION_SECONDS]:
            self._forget(grant)

    def _forget(self, grant: Grant) -> None:
        del self.grants[grant.state]
        self.tokens.forget(STATE_KIND, grant.state)

    def drop_member(self, member_guid: str) -> None:
        for grant in self._grants_of(member_guid):
            self._forget(grant)


_GONE_MESSAGES = {
    "used": "This OAuth link has already been used. Each oauth_window_uri works once; request a new one.",
    "expired": "This OAuth link has expired (they last ten minutes). Request a new oauth_window_uri.",
    "superseded": "A newer OAuth link was issued for this connection; use that one.",
}
