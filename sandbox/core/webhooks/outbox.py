"""The outbox: deliveries in order per member, attempts handed to a sender, retries on virtual time.

A delivery waits in its member's lane (a user's lane for user-level types); only a lane's head is
ever in flight, so a member's webhooks reach the receiver in the order they happened. The outbox
never does I/O: it hands `Send` snapshots to whoever drains `take()` (the server's background
sender, http/webhook_sender.py) and learns each result through `record`, under the tenant's gate.

Retries: a 2xx acknowledges. Any other answer, a timeout or a refused connection is retried after
`RETRY_SCHEDULE[n]` seconds of *virtual* time, counted from when the failed attempt was due, so
advancing the clock by a day drains every retry in a test. After the initial attempt and 12 retries
(about 23 h) the delivery fails and the lane moves on. A 429 re-queues the delivery (after its
`Retry-After` seconds, else `REQUEUE_SECONDS`) without using up a retry, at most `MAX_REQUEUES` times.

Bounded: at most `MAX_PENDING` deliveries wait per tenant (more are dropped and counted) and the
last `MAX_KEPT` finished ones are kept for `GET /_sandbox/webhooks/deliveries`.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from ..clock import VirtualClock, format_instant
from ..events import EventBus, WebhookAttempted
from ..ids import GuidFactory
from ..scheduler import Scheduler
from .config import Target

RETRY_SCHEDULE = (30, 60, 120, 300, 600, 1200, 2400, 3600, 7200, 10800, 21600, 36000)  # 23.3 h in all
REQUEUE_SECONDS = 60.0
MAX_REQUEUES = 50
MAX_PENDING = 10_000
MAX_KEPT = 1_000
FINISHED = frozenset({"delivered", "failed", "skipped", "cancelled"})


@dataclass
class Attempt:
    number: int
    at: float  # the virtual instant it was due
    status: int | None
    error: str | None
    latency_ms: float
    outcome: str  # delivered | retrying | requeued | failed

    def to_json(self) -> dict[str, Any]:
        return {"attempt": self.number, "at": format_instant(self.at), "status": self.status,
                "error": self.error, "latency_ms": round(self.latency_ms, 1), "outcome": self.outcome}


@dataclass
class Delivery:
    guid: str
    type: str
    member_guid: str | None
    user_guid: str
    target: Target
    body: dict[str, Any]
    created_at: float
    state: str = "queued"  # queued | sending | waiting | delivered | failed | skipped | cancelled
    attempts: list[Attempt] = field(default_factory=list)
    failures: int = 0
    requeues: int = 0
    due: float | None = None  # when the attempt in flight (or the next one) was due

    @property
    def lane(self) -> str:
        return self.member_guid or f"user:{self.user_guid}"

    def to_json(self) -> dict[str, Any]:
        return {
            "guid": self.guid, "type": self.type, "member_guid": self.member_guid, "user_guid": self.user_guid,
            "url": self.target.url, "state": self.state, "created_at": format_instant(self.created_at),
            "next_attempt_at": format_instant(self.due) if self.state == "waiting" and self.due else None,
            "attempts": [a.to_json() for a in self.attempts], "body": self.body,
        }


@dataclass(frozen=True)
class Send:
    """One attempt for the sender: everything it needs, so it never touches tenant state."""

    delivery_guid: str
    number: int
    url: str
    basic_auth: tuple[str, str] | None
    timeout_seconds: float
    body: dict[str, Any]
    type: str


class Outbox:
    def __init__(self, clock: VirtualClock, scheduler: Scheduler, bus: EventBus, guids: GuidFactory,
                 notify: Callable[[], None] | None = None) -> None:
        self.clock = clock
        self.scheduler = scheduler
        self.bus = bus
        self.guids = guids
        self.notify = notify  # told when `take()` has something (the server's sender)
        self._pending: dict[str, Delivery] = {}
        self._lanes: dict[str, deque[Delivery]] = {}
        self._kept: deque[Delivery] = deque(maxlen=MAX_KEPT)
        self._ready: list[Send] = []
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._pending)

    # -- in ----------------------------------------------------------------------------------------
    def enqueue(self, type_: str, member_guid: str | None, user_guid: str, body: dict[str, Any],
                target: Target, skip: bool = False) -> Delivery | None:
        now = self.clock.now()
        if not skip and len(self._pending) >= MAX_PENDING:
            self.dropped += 1
            return None
        delivery = Delivery(self.guids.new("WHK"), type_, member_guid, user_guid, target, body, now)
        if skip:  # MX-Skip-Webhook on the causing request: kept for reading back, never sent
            delivery.state = "skipped"
            self._kept.append(delivery)
            return delivery
        self._pending[delivery.guid] = delivery
        lane = self._lanes.setdefault(delivery.lane, deque())
        lane.append(delivery)
        if len(lane) == 1:
            self._send(delivery, now)
        return delivery

    def _send(self, delivery: Delivery, at: float) -> None:
        if delivery.state in FINISHED:
            return
        delivery.state, delivery.due = "sending", at
        t = delivery.target
        self._ready.append(Send(delivery.guid, len(delivery.attempts) + 1, t.url, t.basic_auth,
                                t.timeout_seconds, delivery.body, delivery.type))
        if self.notify is not None:
            self.notify()

    def take(self) -> list[Send]:
        """The attempts due now, for the sender (each handed out once)."""
        ready, self._ready = self._ready, []
        return ready

    # -- results -------------------------------------------------------------------------------
    def record(self, send: Send, status: int | None, error: str | None, latency_ms: float,
               retry_after: float | None = None) -> Attempt | None:
        """The sender's result for `send`; stale results (cancelled, reset) are ignored."""
        delivery = self._pending.get(send.delivery_guid)
        if delivery is None or delivery.state != "sending" or send.number != len(delivery.attempts) + 1:
            return None
        at = delivery.due if delivery.due is not None else self.clock.now()
        next_due: float | None = None
        if status is not None and 200 <= status < 300:
            outcome = "delivered"
        elif status == 429 and delivery.requeues < MAX_REQUEUES:
            delivery.requeues += 1
            outcome, next_due = "requeued", at + (retry_after if retry_after is not None else REQUEUE_SECONDS)
        else:
            delivery.failures += 1
            if delivery.failures > len(RETRY_SCHEDULE):
                outcome = "failed"
            else:
                outcome, next_due = "retrying", at + RETRY_SCHEDULE[delivery.failures - 1]
        attempt = Attempt(send.number, at, status, error, latency_ms, outcome)
        delivery.attempts.append(attempt)
        self.bus.publish(WebhookAttempted(at, delivery.type, delivery.guid, delivery.member_guid, send.url,
                                          send.number, status, error, round(latency_ms, 1), outcome))
        if next_due is None:
            self._finish(delivery, outcome)
        else:
            delivery.state, delivery.due = "waiting", next_due
            self.scheduler.at(next_due, lambda due: self._send(delivery, due), key=f"webhook:{delivery.guid}")
        return attempt

    def _finish(self, delivery: Delivery, state: str) -> None:
        delivery.state = state
        self._pending.pop(delivery.guid, None)
        self._kept.append(delivery)
        lane = self._lanes.get(delivery.lane)
        if lane and lane[0] is delivery:
            lane.popleft()
            if lane:
                self._send(lane[0], self.clock.now())
            else:
                del self._lanes[delivery.lane]

    def resend_in_flight(self) -> None:
        """After a restore (core/store): drop the replayed hand-outs and hand out again the attempts
        whose answers the log never got (they were in flight when the process stopped)."""
        self._ready = []
        for delivery in self._pending.values():
            if delivery.state == "sending":
                self._send(delivery, delivery.due if delivery.due is not None else self.clock.now())

    def cancel_all(self) -> int:
        """Stop every pending delivery (the configuration was deleted)."""
        cancelled = list(self._pending.values())
        for delivery in cancelled:
            self.scheduler.cancel(f"webhook:{delivery.guid}")
            delivery.state = "cancelled"
            self._kept.append(delivery)
        self._pending.clear()
        self._lanes.clear()
        self._ready.clear()
        return len(cancelled)

    # -- reading -----------------------------------------------------------------------------------
    def deliveries(self, type_: str | None = None, member_guid: str | None = None,
                   state: str | None = None) -> list[Delivery]:
        """Finished (the last `MAX_KEPT`) then pending, each in the order they were created."""
        out = []
        for delivery in [*self._kept, *self._pending.values()]:
            if (type_ and delivery.type != type_) or (member_guid and delivery.member_guid != member_guid) \
                    or (state and delivery.state != state):
                continue
            out.append(delivery)
        return out
