"""The tenant's domain events: one typed stream that the core publishes and every part subscribes to.

Parts never call each other to say "this happened": the members core publishes
`ConnectionStatusChanged`, and the timeline, the widget watcher (and later webhooks and the console)
each subscribe. The timeline is just the first subscriber: it keeps the last `TIMELINE_LIMIT`
events as `{at, kind, type, data}` for `/_sandbox/events`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Callable, ClassVar

from .clock import format_instant

TIMELINE_LIMIT = 20_000


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened at virtual instant `at`. `kind`/`type` name it on the timeline."""

    at: float
    kind: ClassVar[str] = ""
    type: ClassVar[str] = ""

    @property
    def name(self) -> str:
        return self.type

    def data(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "at"}


# -- members ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberEvent(DomainEvent):
    member_guid: str
    user_guid: str
    kind: ClassVar[str] = "member"


@dataclass(frozen=True)
class MemberCreated(MemberEvent):
    institution_code: str = ""
    is_oauth: bool = False
    type: ClassVar[str] = "created"


@dataclass(frozen=True)
class MemberUpdated(MemberEvent):
    changed: tuple[str, ...] = ()
    type: ClassVar[str] = "updated"


@dataclass(frozen=True)
class MemberDeleted(MemberEvent):
    type: ClassVar[str] = "deleted"


@dataclass(frozen=True)
class ConnectionStatusChanged(MemberEvent):
    old: str | None = None
    new: str | None = None
    is_being_aggregated: bool = False
    job_guid: str | None = None
    forced: bool = False
    type: ClassVar[str] = "connection_status"


@dataclass(frozen=True)
class JobStarted(MemberEvent):
    job_guid: str = ""
    job_type: str = ""
    is_background: bool = False
    type: ClassVar[str] = "job_started"


@dataclass(frozen=True)
class JobCompleted(MemberEvent):
    """A successful job, with what its data step stored (MX's AGGREGATION webhook counts)."""

    job_guid: str = ""
    job_type: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    is_background: bool = False
    type: ClassVar[str] = "job_completed"


@dataclass(frozen=True)
class AggregationFinished(MemberEvent):
    job_guid: str = ""
    type: ClassVar[str] = "aggregation_finished"


@dataclass(frozen=True)
class OAuthUriIssued(MemberEvent):
    referral_source: str = ""
    skip_aggregation: bool = False
    type: ClassVar[str] = "oauth_uri_issued"


@dataclass(frozen=True)
class OAuthStateRejected(MemberEvent):
    reason: str = ""
    type: ClassVar[str] = "oauth_state_rejected"


@dataclass(frozen=True)
class OAuthDecided(MemberEvent):
    decision: str = ""
    status: str = ""
    error_reason: str | None = None
    type: ClassVar[str] = "oauth_decided"


# -- users -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UserDeleted(DomainEvent):
    user_guid: str
    kind: ClassVar[str] = "user"
    type: ClassVar[str] = "deleted"


# -- microdeposits ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MicrodepositEvent(DomainEvent):
    microdeposit_guid: str
    user_guid: str
    kind: ClassVar[str] = "microdeposit"


@dataclass(frozen=True)
class MicrodepositCreated(MicrodepositEvent):
    status: str = ""
    type: ClassVar[str] = "created"


@dataclass(frozen=True)
class MicrodepositStatusChanged(MicrodepositEvent):
    old: str = ""
    new: str = ""
    type: ClassVar[str] = "status"


@dataclass(frozen=True)
class MicrodepositVerifyAttempt(MicrodepositEvent):
    matched: bool = False
    attempts: int = 0
    type: ClassVar[str] = "verify_attempt"


@dataclass(frozen=True)
class MicrodepositDeleted(MicrodepositEvent):
    reason: str = ""
    type: ClassVar[str] = "deleted"


# -- widget and API ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class WidgetEventEmitted(DomainEvent):
    """One widget event (`mx/connect/...`), as the session delivered it."""

    event_type: str
    payload: dict[str, Any]
    kind: ClassVar[str] = "widget"

    @property
    def name(self) -> str:
        return self.event_type

    def data(self) -> dict[str, Any]:
        return dict(self.payload)


@dataclass(frozen=True)
class ApiCalled(DomainEvent):
    """One authenticated MX call and its status (refused ones included), as the request journal
    keeps it: `body` is redacted (core/journal.py), `status` is None for a reset connection."""

    method: str
    path: str
    status: int | None
    route: str = ""  # the route template, e.g. /users/{user_guid}/members
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    body_json: str = ""  # `body` as compact JSON, for body_contains
    duration_ms: float = 0.0
    fault: str | None = None  # the id of the fault rule that answered instead of MX
    kind: ClassVar[str] = "api"

    def __init__(self, at: float, method: str, path: str, status: int | None, route: str = "",
                 query: dict[str, Any] | None = None, body: Any = None, body_json: str = "",
                 duration_ms: float = 0.0, fault: str | None = None) -> None:
        # Every request makes one: fill the fields in one step rather than through the generated
        # frozen __init__'s object.__setattr__ per field (it stays frozen: nothing sets them after).
        self.__dict__.update(at=at, method=method, path=path, status=status, route=route,
                             query={} if query is None else query, body=body, body_json=body_json,
                             duration_ms=duration_ms, fault=fault)

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"

    def data(self) -> dict[str, Any]:
        return {"status": self.status, "route": self.route, "query": self.query, "body": self.body,
                "duration_ms": self.duration_ms, **({"fault": self.fault} if self.fault else {})}


@dataclass(frozen=True)
class FaultInjected(DomainEvent):
    """A fault rule fired: an HTTP fault answered a call, or a domain fault changed what happened."""

    rule_id: str
    fault_kind: str  # http | aggregation | institution_maintenance
    detail: dict[str, Any] = field(default_factory=dict)
    kind: ClassVar[str] = "fault"

    @property
    def name(self) -> str:
        return self.fault_kind

    def data(self) -> dict[str, Any]:
        return {"rule_id": self.rule_id, **self.detail}


@dataclass(frozen=True)
class WebhookAttempted(DomainEvent):
    """One delivery attempt to a receiver; `at` is the virtual instant it was due."""

    webhook_type: str
    delivery_guid: str
    member_guid: str | None
    url: str
    attempt: int
    status: int | None = None  # the receiver's HTTP status, None when it never answered
    error: str | None = None  # timeout, refused, ... when it never answered
    latency_ms: float = 0.0
    outcome: str = ""  # delivered | retrying | requeued | failed
    kind: ClassVar[str] = "webhook"

    @property
    def name(self) -> str:
        return self.webhook_type


Subscriber = Callable[[DomainEvent], None]


class EventBus:
    """Synchronous fan-out in subscription order, so every subscriber sees events in one order.

    A subscriber may name the event types it handles: every request publishes an `ApiCalled`, and
    only the timeline and the journal want it, so each concrete type's subscribers are worked out
    once (bounded by the number of event classes) instead of every subscriber looking at every event.
    """

    def __init__(self) -> None:
        self._subscribers: list[tuple[Subscriber, tuple[type, ...]]] = []
        self._by_type: dict[type, list[Subscriber]] = {}

    def subscribe(self, subscriber: Subscriber, *types: type) -> None:
        """`types`: deliver only instances of these (subclasses included); none: every event."""
        self._subscribers.append((subscriber, types))
        self._by_type.clear()

    def publish(self, event: DomainEvent) -> DomainEvent:
        kind = type(event)
        targets = self._by_type.get(kind)
        if targets is None:
            targets = self._by_type[kind] = [s for s, types in self._subscribers if not types or issubclass(kind, types)]
        for subscriber in targets:
            subscriber(event)
        return event


@dataclass
class Event:
    """A timeline entry: what `/_sandbox/events` lists."""

    at: float
    kind: str  # api | fault | member | microdeposit | user | widget | webhook
    type: str
    data: dict[str, Any] = field(default_factory=dict)
    seq: int = 0  # position in the tenant's timeline since it began: the `after` cursor

    @classmethod
    def of(cls, event: DomainEvent, seq: int = 0) -> "Event":
        return cls(event.at, event.kind, event.name, event.data(), seq)

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "at": format_instant(self.at), "kind": self.kind, "type": self.type, "data": self.data}


class Timeline:
    """The last `limit` domain events, in order, for reading back what happened.

    Appending keeps the event object itself (O(1), nothing built per request); entries are rendered
    only when read.
    """

    def __init__(self, bus: EventBus, limit: int = TIMELINE_LIMIT) -> None:
        self._events: list[DomainEvent] = []
        self._limit = limit
        self._trimmed = 0  # events dropped from the front: _events[i] has seq _trimmed + i + 1
        bus.subscribe(self._append)

    def _append(self, event: DomainEvent) -> None:
        self._events.append(event)
        if len(self._events) > self._limit + self._limit // 10:  # trim in batches: amortised O(1)
            drop = len(self._events) - self._limit
            del self._events[:drop]
            self._trimmed += drop

    @property
    def last_seq(self) -> int:
        """The seq of the newest event (0 when none): a poller's next `after`."""
        return self._trimmed + len(self._events)

    def __len__(self) -> int:
        return min(len(self._events), self._limit)

    def query(
        self,
        kind: str | None = None,
        type_: str | None = None,
        member_guid: str | None = None,
        since: float | None = None,
        session_guid: str | None = None,
        after: int = 0,
    ) -> list[Event]:
        """Matching events, oldest first; `after` skips those with seq ≤ after (a poller's cursor)."""
        out = []
        first = max(len(self._events) - self._limit, after - self._trimmed, 0)
        for index in range(first, len(self._events)):
            e = self._events[index]
            if kind and e.kind != kind:
                continue
            if type_ and e.name != type_:
                continue
            if since is not None and e.at < since:
                continue
            entry = Event.of(e, self._trimmed + index + 1)
            if member_guid and entry.data.get("member_guid") != member_guid:
                continue
            if session_guid and entry.data.get("session_guid") != session_guid:
                continue
            out.append(entry)
        return out
