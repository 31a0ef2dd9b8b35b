"""The widget component of a tenant: mint URLs, open them once, find and drive sessions."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import BadRequest, NotFound
from ..events import Event
from ..institutions import Institution
from ..members.model import Member
from ..tenant import register_component
from . import actions, watch
from .config import WidgetConfig
from .links import Link

URL_KIND = "widget_url"  # token kinds in the app-level TokenDirectory
SESSION_KIND = "widget_session"
from .messages import WidgetMessage
from .session import WidgetSession

if TYPE_CHECKING:
    from ..tenant import Tenant


class WidgetComponent:
    def __init__(self, tenant: "Tenant") -> None:
        self.tenant = tenant
        self.links: dict[str, Link] = {}
        self.sessions: dict[str, WidgetSession] = {}
        self._by_secret: dict[str, str] = {}
        self._by_member: dict[str, list[WidgetSession]] = {}
        tenant.events.subscribe(self._on_event)

    # -- URLs ------------------------------------------------------------------------------------
    def _references(self, user_guid: str, config: WidgetConfig) -> tuple[Member | None, Institution | None]:
        """Check the current_* fields point at real things this widget may show (404 / 400 otherwise)."""
        self._microdeposit(user_guid, config)
        member = None
        if config.current_member_guid:
            member = self.tenant.component("members").get(user_guid, config.current_member_guid, allow_partner_id=False)
        institution = None
        if config.current_institution_code:
            institution = self.tenant.catalog.get(config.current_institution_code)
        if config.current_institution_guid:
            by_guid = self.tenant.catalog.get_by_code_or_guid(config.current_institution_guid)
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
        guid = self.tenant.component("microdeposits").get(config.current_microdeposit_guid, user_guid).guid
        if not config.wants_verification:
            raise BadRequest("current_microdeposit_guid needs account_verification among the requested products.")
        return guid

    def mint(self, user_guid: str, config: WidgetConfig) -> Link:
        self._references(user_guid, config)
        oauth = self.tenant.components.get("oauth")
        if oauth is not None:  # the options an OAuth member will get: 400 now rather than in the widget
            oauth.parse_options(self.oauth_options(config))
        link = Link(self.tenant.guids.token(URL_KIND), user_guid, config, self.tenant.clock.now())
        self.links[link.token] = link
        self.tenant.tokens.register(URL_KIND, link.token, self.tenant.client_id)
        return link

    def open(self, token: str) -> WidgetSession:
        """The one use of a URL: claim it (410 if used or expired) and start its session.

        Claiming and marking happen with no await in between, so of many concurrent first GETs
        exactly one wins; the rest see the link used.
        """
        link = self.links.get(token)
        if link is None:
            raise NotFound()
        now = self.tenant.clock.now()
        link.claim(now)
        session = WidgetSession(self.tenant, self.tenant.guids.new("ANS"), self.tenant.guids.token(SESSION_KIND),
                                link.user_guid, link.config, now)
        self.tenant.tokens.register(SESSION_KIND, session.secret, self.tenant.client_id)
        link.session_guid = session.guid
        self.sessions[session.guid] = session
        self._by_secret[session.secret] = session.guid
        if link.config.is_connect:
            try:
                member, institution = self._references(link.user_guid, link.config)
                microdeposit = self._microdeposit(link.user_guid, link.config)
            except (NotFound, BadRequest):  # deleted since the URL was minted: start at search
                member, institution, microdeposit = None, None, None
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
        return actions.perform(session, body, self.tenant.clock.now())

    def index(self, session: WidgetSession) -> None:
        """Keep member → sessions current after `session.bind`."""
        for bucket in self._by_member.values():
            if session in bucket:
                bucket.remove(session)
        if session.member_guid:
            self._by_member.setdefault(session.member_guid, []).append(session)

    # -- hooks -----------------------------------------------------------------------------------
    def _on_event(self, event: Event) -> None:
        if event.kind != "member":
            return
        sessions = self._by_member.get(event.data.get("member_guid") or "")
        if sessions:
            watch.react(sessions, event)

    def on_member_deleted(self, member_guid: str) -> None:
        self._by_member.pop(member_guid, None)

    def on_user_deleted(self, user_guid: str) -> None:
        self.links = {t: link for t, link in self.links.items() if link.user_guid != user_guid}


register_component("widget", WidgetComponent)
