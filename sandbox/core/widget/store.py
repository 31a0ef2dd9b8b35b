"""The widget part of a tenant: mint URLs, open them once, find and drive sessions.

Bounded: a link is dropped (with its token) an hour after it was used or expired, at most
`MAX_LINKS` are kept, and at most `MAX_SESSIONS` sessions (the oldest go first, with their secrets).
"""
from __future__ import annotations

from typing import Any

from ..cause import Causes
from ..clock import VirtualClock
from ..data.store import DataStore
from ..errors import BadRequest, NotFound
from ..events import DomainEvent, EventBus, MemberDeleted, MemberEvent, UserDeleted
from ..ids import GuidFactory
from ..institutions import Catalog, Institution
from ..lifecycle import Lifecycle
from ..members.model import Member
from ..members.store import MemberStore
from ..microdeposits.store import MicrodepositStore
from ..oauth import OAuthComponent
from ..tokens import TokenDirectory, new_token
from ..users import UserStore
from . import actions, watch
from .config import WidgetConfig
from .links import LINK_TTL_SECONDS, Link
from .messages import WidgetMessage
from .session import WidgetSession

URL_KIND = "widget_url"  # token kinds in the app-level TokenDirectory
SESSION_KIND = "widget_session"
LINK_RETENTION_SECONDS = 3600  # a spent link answers 410 this long, then 404
MAX_LINKS = 10_000
MAX_SESSIONS = 1_000


class WidgetComponent:
    def __init__(self, client_id: str, clock: VirtualClock, bus: EventBus, guids: GuidFactory,
                 tokens: TokenDirectory, catalog: Catalog, users: UserStore, members: MemberStore,
                 oauth: OAuthComponent, microdeposits: MicrodepositStore, data: DataStore,
                 lifecycle: Lifecycle, causes: Causes | None = None) -> None:
        self.client_id = client_id
        self.clock = clock
        self.bus = bus
        self.guids = guids
        self.tokens = tokens
        self.catalog = catalog
        self.users = users
        self.members = members
        self.oauth = oauth
        self.microdeposits = microdeposits
        self.data = data
        self.lifecycle = lifecycle
        self.causes = causes if causes is not None else Causes()
        self.links: dict[str, Link] = {}
        self.sessions: dict[str, WidgetSession] = {}
        self._by_secret: dict[str, str] = {}
        self._by_member: dict[str, list[WidgetSession]] = {}
        bus.subscribe(self._on_event, MemberDeleted, UserDeleted, MemberEvent)

    # -- URLs ------------------------------------------------------------------------------------
    def _references(self, user_guid: str, config: WidgetConfig) -> tuple[Member | None, Institution | None]:
        """Check the current_* fields point at real things this widget may show (404 / 400 otherwise)."""
        self._microdeposit(user_guid, config)
        member = None
        if config.current_member_guid:
            member = self.members.get(user_guid, config.current_member_guid, allow_partner_id=False)
        institution = None
        if config.current_institution_code:
            institution = self.catalog.get(config.current_institution_code)
        if config.current_institution_guid:
            by_guid = self.catalog.get_by_code_or_guid(config.current_institution_guid)
            if institution is not None and by_guid is not institution:
                raise BadRequest("current_institution_code and current_institution_guid name different institutions.")
            institution = by_guid
        if institution is not None and member is None:
            lacking = [p for p in config.products if not institution.supports(p)]
            if lacking:
                raise BadRequest(f"{institution.name} does not support: {', '.join(lacking)}.")
        return member, institution

    def _microdeposit(self, user_guid: str, config: WidgetConfig) -> str | None:
        """`current_microdeposit_guid` must be one of this user's microdeposits (404 otherwise)."""
        if not config.current_microdeposit_guid:
            return None
        guid = self.microdeposits.get(config.current_microdeposit_guid, user_guid).guid
        if not config.wants_verification:
            raise BadRequest("current_microdeposit_guid needs account_verification among the requested products.")
        return guid

    def mint(self, user_guid: str, config: WidgetConfig) -> Link:
        self._references(user_guid, config)
        self.oauth.parse_options(self.oauth_options(config))  # what an OAuth member will get: 400 now
        now = self.clock.now()
        self._prune_links(now)
        # The minting request's cause (X-CALLBACK-PAYLOAD, MX-Skip-Webhook) goes with the URL to the
        # members its session creates.
        link = Link(new_token(), user_guid, config, now, cause=self.causes.current)
        self.links[link.token] = link
        self.tokens.register(URL_KIND, link.token, self.client_id)
        return link

    def _prune_links(self, now: float) -> None:
        spent = [t for t, link in self.links.items()
                 if now - (link.used_at if link.used_at is not None else link.issued_at + LINK_TTL_SECONDS)
                 > LINK_RETENTION_SECONDS]
        overflow = max(0, len(self.links) - len(spent) + 1 - MAX_LINKS)
        if overflow:  # still too many: the oldest go (dicts keep insertion order)
            doomed = set(spent)
            spent += [t for t in self.links if t not in doomed][:overflow]
        for token in spent:
            del self.links[token]
            self.tokens.forget(URL_KIND, token)

    def open(self, token: str) -> WidgetSession:
        """The one use of a URL: claim it (410 if used or expired) and start its session.

        Claiming and marking happen with no await in between, so of many concurrent first GETs
        exactly one wins; the rest see the link used.
        """
        link = self.links.get(token)
        if link is None:
            raise NotFound()
        now = self.clock.now()
        link.claim(now)
        session = WidgetSession(self, self.guids.new("ANS"), new_token(), link.user_guid, link.config, now,
                                cause=link.cause)
        self.tokens.register(SESSION_KIND, session.secret, self.client_id)
        while len(self.sessions) >= MAX_SESSIONS:
            self._drop_session(next(iter(self.sessions.values())))
        link.session_guid = session.guid
        self.sessions[session.guid] = session
        self._by_secret[session.secret] = session.guid
        if link.config.is_connect:
            try:
                member, institution = self._references(link.user_guid, link.config)
                microdeposit = self._microdeposit(link.user_guid, link.config)
            except (NotFound, BadRequest):  # deleted since the URL was minted: start at search
                member, institution, microdeposit = None, None, None
            with self.causes.caused_by(session.cause or self.causes.current):
                session.start(member, institution, now, microdeposit)
        return session

    @staticmethod
    def oauth_options(config: WidgetConfig) -> dict[str, Any]:
        out: dict[str, Any] = {"referral_source": config.oauth_referral_source,
                               "ui_message_webview_url_scheme": config.scheme}
        for name in ("client_redirect_url", "enable_app2app"):
            if name in config.extra:
                out[name] = config.extra[name]
        return out

    # -- sessions --------------------------------------------------------------------------------
    def session(self, guid: str) -> WidgetSession:
        found = self.sessions.get(guid)
        if found is None:
            raise NotFound()
        return found

    def by_secret(self, secret: str) -> WidgetSession:
        guid = self._by_secret.get(secret)
        if guid is None:
            raise NotFound()
        return self.sessions[guid]

    def act(self, session: WidgetSession, body: dict[str, Any]) -> list[WidgetMessage]:
        if not session.config.is_connect:
            raise BadRequest(f"A {session.config.widget_type} session has no Connect actions.")
        with self.causes.caused_by(session.cause or self.causes.current):
            return actions.perform(session, body, self.clock.now())

    def index(self, session: WidgetSession) -> None:
        """Keep member → sessions current after `session.bind`."""
        for bucket in self._by_member.values():
            if session in bucket:
                bucket.remove(session)
        if session.member_guid:
            self._by_member.setdefault(session.member_guid, []).append(session)

    def _drop_session(self, session: WidgetSession) -> None:
        del self.sessions[session.guid]
        self._by_secret.pop(session.secret, None)
        self.tokens.forget(SESSION_KIND, session.secret)
        bucket = self._by_member.get(session.member_guid or "")
        if bucket and session in bucket:
            bucket.remove(session)

    @property
    def message_count(self) -> int:
        return sum(len(s.messages) for s in self.sessions.values())

    # -- following the tenant's events ---------------------------------------------------------------
    def _on_event(self, event: DomainEvent) -> None:
        if isinstance(event, MemberDeleted):
            self._by_member.pop(event.member_guid, None)
        elif isinstance(event, UserDeleted):
            for token in [t for t, link in self.links.items() if link.user_guid == event.user_guid]:
                del self.links[token]
                self.tokens.forget(URL_KIND, token)
        elif isinstance(event, MemberEvent):
            sessions = self._by_member.get(event.member_guid)
            if sessions:
                watch.react(sessions, event)
