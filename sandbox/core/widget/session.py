"""One widget session: its step, institution, member and the events it emitted, in order.

Actions (actions.py) and member transitions (watch.py) change a session only through `go` and
`emit`, so every step change is announced with `stepChange` and every event lands both in the
session and, in the same order, on the tenant's event stream.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..cause import Cause
from ..errors import MXError, NotFound
from ..events import WidgetEventEmitted
from ..institutions import Institution
from ..members.model import Member
from . import steps
from .config import WidgetConfig
from .messages import WidgetMessage

if TYPE_CHECKING:
    from .store import WidgetComponent

MAX_MESSAGES = 1000  # a session keeps its last 1,000 events (a ping flood cannot grow it)


@dataclass
class WidgetSession:
    widget: "WidgetComponent"
    guid: str
    secret: str  # authorises the served page's JSON calls (the browser has no Basic auth)
    user_guid: str
    config: WidgetConfig
    opened_at: float
    cause: Cause | None = None  # the widget URL's request: what its members' webhooks echo
    step: str = ""
    institution: Institution | None = None
    member_guid: str | None = None
    updating: bool = False  # credentials go to the existing member instead of a new one
    query: str = ""
    error: str | None = None  # the message the current step shows
    oauth_requested: bool = False
    microdeposit_guid: str | None = None  # the microdeposit the microdeposits step shows
    history: list[tuple[str, float]] = field(default_factory=list)
    messages: list[WidgetMessage] = field(default_factory=list)

    # -- reading -----------------------------------------------------------------------------
    @property
    def member(self) -> Member | None:
        if self.member_guid is None:
            return None
        try:
            return self.widget.members.get_any(self.member_guid)
        except NotFound:
            return None

    def messages_since(self, seq: int) -> list[WidgetMessage]:
        return [m for m in self.messages if m.seq > seq]

    @property
    def last_seq(self) -> int:
        return self.messages[-1].seq if self.messages else 0

    def search_results(self, limit: int = 50) -> list[Institution]:
        """The catalog as this widget may show it: requested products all supported, country filter."""
        catalog = self.widget.catalog
        found = catalog.search(
            name=self.query or None, countries=list(self.config.iso_country_code), products=list(self.config.products)
        )
        if not self.query:  # before a search, the partner's favorites lead (MX Bank first), as on MX
            rank = {inst.code: i for i, inst in enumerate(catalog.favorites())}
            found.sort(key=lambda inst: rank.get(inst.code, len(rank)))
        return found[:limit]

    def offers(self, institution: Institution) -> bool:
        countries = self.config.iso_country_code
        return all(institution.supports(p) for p in self.config.products) and (
            not countries or institution.iso_country_code in countries
        )

    # -- changing ----------------------------------------------------------------------------
    def emit(self, event: str, at: float, /, **metadata: Any) -> WidgetMessage:
        """Record one event: metadata always carries user_guid and session_guid (mx/load carries none)."""
        body = {} if event == "load" else {"user_guid": self.user_guid, "session_guid": self.guid, **metadata}
        message = WidgetMessage(self.last_seq + 1, event, body)
        self.messages.append(message)
        if len(self.messages) > MAX_MESSAGES:
            del self.messages[: len(self.messages) - MAX_MESSAGES]
        data: dict[str, Any] = {"session_guid": self.guid, "user_guid": self.user_guid, "seq": message.seq,
                                "message": message.post_message()}
        if "member_guid" in metadata:
            data["member_guid"] = metadata["member_guid"]
        if self.config.is_mobile_webview:
            data["webview_url"] = message.webview_url(self.config.scheme)
        self.widget.bus.publish(WidgetEventEmitted(at, message.type, data))
        return message

    def go(self, step: str, at: float, error: str | None = None) -> None:
        """Move to `step`, announcing it with stepChange (analytics-only in MX, but always sent)."""
        previous, self.step, self.error = self.step, step, error
        self.history.append((step, at))
        if previous != step:
            self.emit("stepChange", at, previous=previous, current=step)

    def bind(self, member: Member | None) -> None:
        self.member_guid = member.guid if member else None
        self.widget.index(self)

    def institution_ref(self) -> dict[str, str]:
        assert self.institution is not None
        return {"code": self.institution.code, "guid": self.institution.guid}

    def emit_status(self, member: Member, at: float) -> None:
        if member.status_id is not None:
            self.emit("memberStatusUpdate", at, member_guid=member.guid, connection_status=member.status_id)

    # -- opening -----------------------------------------------------------------------------
    def start(self, member: Member | None, institution: Institution | None, at: float,
              microdeposit_guid: str | None = None) -> None:
        """mx/load, stepChange, loaded; then the credential, update or microdeposit event the first
        step implies."""
        self.emit("load", at)
        if microdeposit_guid is not None:
            self.microdeposit_guid = microdeposit_guid
            self.go(steps.MICRODEPOSITS, at)
        elif member is not None:
            self.institution = member.institution
            self.bind(member)
            first = steps.step_for_member(member.connection_status, member.is_being_aggregated, member.is_oauth)
            if self.config.update_credentials and not member.is_oauth:
                first = steps.ENTER_CREDS
            self.updating = first == steps.ENTER_CREDS
            error = member.connection_status_message if first in (steps.LOGIN_ERROR, steps.ACTIONABLE_ERROR) else None
            self.go(first, at, error)
        elif institution is not None:
            self.institution = institution
            self.go(steps.OAUTH if institution.supports_oauth else steps.ENTER_CREDS, at)
        else:
            self.go(steps.SEARCH, at)
        self.emit("loaded", at, initial_step=self.step)
        if self.step == steps.ENTER_CREDS and self.updating:
            self.emit("updateCredentials", at, member_guid=self.member_guid, institution=self.institution_ref())
        elif self.step == steps.ENTER_CREDS:
            self.emit("enterCredentials", at, institution=self.institution_ref())
        elif self.step == steps.OAUTH and member is None:
            self.create_oauth_member(at)
        elif self.step == steps.MICRODEPOSITS:
            self.emit("microdeposits/loaded", at, microdeposit_guid=microdeposit_guid)

    def create_oauth_member(self, at: float) -> bool:
        """OAuth institutions get a PENDING member as soon as they are chosen (its URL is what
        `oauthRequested` announces). A refusal is a createMemberError and an error screen."""
        assert self.institution is not None
        try:
            member = self.widget.lifecycle.create_member(
                self.user_guid, {"institution_code": self.institution.code, "is_oauth": True,
                                 "background_aggregation_is_disabled": self.config.disable_background_agg},
                list(self.config.products) or None,
                oauth_options=self.widget.oauth_options(self.config))
        except MXError as error:
            self.emit("createMemberError", at, institution_guid=self.institution.guid,
                      institution_code=self.institution.code)
            self.go(steps.ACTIONABLE_ERROR, at, error.message)
            return False
        self.bind(member)
        return True

