"""The webhooks part of a tenant: turns domain events into MX's webhooks and queues them.

It subscribes to the tenant's event bus. Each event that MX would announce becomes a payload
(payloads.py) for every type that has a target (config.py), queued in the outbox (outbox.py).

The cause of an event (core/cause.py) decides two things: the `callback_payload` a MEMBER webhook
echoes, and whether `MX-Skip-Webhook` suppresses it. Inside a request the cause is the request's;
for a scheduled transition it is the cause of the request that started the member's current run
(creation, /aggregate, /verify, a widget session's URL ...), carried over to the follow-up jobs of
the same connection. A background aggregation starts a run of its own: it keeps the member's last
callback payload but is never skipped.
"""
from __future__ import annotations

from ..cause import NO_CAUSE, Cause, Causes
from ..clock import VirtualClock
from ..errors import BadRequest, NotFound
from ..events import (AggregationFinished, ConnectionStatusChanged, DomainEvent, EventBus, JobCompleted,
                      JobStarted, MemberCreated, MemberDeleted, MemberUpdated, MicrodepositStatusChanged)
from ..ids import GuidFactory, stable_uuid
from ..members.job_types import JOB_TYPES
from ..members.model import Member
from ..members.store import MemberStore
from ..microdeposits.store import MicrodepositStore
from ..scheduler import Scheduler
from ..users import UserStore
from ..versions import V2025
from . import payloads
from .config import TYPES, WebhookConfig
from .outbox import Delivery, Outbox

JOB_WEBHOOKS = {job.webhook for job in JOB_TYPES.values() if job.webhook}


class WebhookComponent:
    def __init__(self, client_id: str, seed: int, default_url: str | None, clock: VirtualClock,
                 scheduler: Scheduler, bus: EventBus, guids: GuidFactory, causes: Causes, users: UserStore,
                 members: MemberStore, microdeposits: MicrodepositStore) -> None:
        self.client_id = client_id
        self.seed = seed
        self.clock = clock
        self.causes = causes
        self.users = users
        self.members = members
        self.microdeposits = microdeposits
        self.config = WebhookConfig(default_url)
        self.outbox = Outbox(clock, scheduler, bus, guids)
        self.client_guid = f"CLT-{stable_uuid('client', client_id)}"
        self._runs: dict[str, Cause] = {}  # member guid → the cause of its current run
        self._creating: set[str] = set()  # created, first status not yet set
        self._revisions: dict[str, int] = {}
        self._v2025: set[str] = set()  # members created by a v20250224 client
        self._data_ready: set[str] = set()  # members that were sent initial_data_ready
        bus.subscribe(self._on_event, MicrodepositStatusChanged, MemberCreated, JobStarted, ConnectionStatusChanged,
                      MemberUpdated, AggregationFinished, JobCompleted, MemberDeleted)

    # -- events → webhooks ---------------------------------------------------------------------------
    def _cause(self, member_guid: str) -> Cause:
        current = self.causes.current
        return current if current is not None else self._runs.get(member_guid, NO_CAUSE)

    def _on_event(self, event: DomainEvent) -> None:
        if isinstance(event, MicrodepositStatusChanged):
            self._microdeposit(event.microdeposit_guid)
            return
        if isinstance(event, MemberCreated):
            cause = self.causes.current or NO_CAUSE
            self._runs[event.member_guid] = cause
            self._creating.add(event.member_guid)
            if cause.version == V2025:
                self._v2025.add(event.member_guid)
            return  # sent with the member's first status, right after, so it carries that status
        if isinstance(event, JobStarted):
            self._start_run(event)
            return
        if not isinstance(event, (ConnectionStatusChanged, MemberUpdated, AggregationFinished, JobCompleted,
                                  MemberDeleted)):
            return
        try:
            member = self.members.get_any(event.member_guid)
        except NotFound:
            return
        if isinstance(event, ConnectionStatusChanged):
            created = event.old is None and member.guid in self._creating
            self._creating.discard(member.guid)
            self._member(member, "CREATED" if created else "UPDATED")
            if event.new in payloads.USER_ACTION_STATUSES:
                self._send("CONNECTION_STATUS", member, payloads.connection_status_body(member))
        elif isinstance(event, (MemberUpdated, AggregationFinished)):
            self._member(member, "UPDATED")
        elif isinstance(event, JobCompleted):
            self._job_completed(member, event)
        else:
            self._member(member, "DELETED")
            self._forget(member.guid)

    def _start_run(self, event: JobStarted) -> None:
        if self.causes.current is not None:
            self._runs[event.member_guid] = self.causes.current
        elif event.is_background:
            previous = self._runs.get(event.member_guid, NO_CAUSE)
            self._runs[event.member_guid] = Cause(previous.callback_payload, False, previous.version)
        # else: a follow-up job of the same connection keeps the run's cause

    def _job_completed(self, member: Member, event: JobCompleted) -> None:
        kind = JOB_TYPES[event.job_type]
        if kind.webhook:
            self._send(kind.webhook, member, payloads.job_body(
                kind.webhook, member, event.job_guid, event.counts, event.at, event.is_background,
                self._user_id(member.user_guid)))
        if event.job_type == "aggregate" and member.guid in self._v2025 and member.guid not in self._data_ready:
            self._data_ready.add(member.guid)
            self._send("initial_data_ready", member, self._initial_data_ready(member))

    def _member(self, member: Member, action: str) -> None:
        if self.config.target("MEMBER") is None:
            return
        revision = self._revisions[member.guid] = self._revisions.get(member.guid, 0) + 1
        cause = self._cause(member.guid)
        self._send("MEMBER", member, payloads.member_body(member, action, revision, self._user_id(member.user_guid),
                                                          cause.callback_payload))

    def _microdeposit(self, guid: str, force: bool = False) -> Delivery | None:
        microdeposit = self.microdeposits.get(guid)
        target = self.config.target("MICRODEPOSIT")
        if target is None:
            return None
        skip = not force and (self.causes.current or NO_CAUSE).skip_webhook
        return self.outbox.enqueue("MICRODEPOSIT", None, microdeposit.user_guid,
                                   payloads.microdeposit_body(microdeposit), target, skip)

    def _send(self, type_: str, member: Member, body: dict, force: bool = False) -> Delivery | None:
        target = self.config.target(type_)
        if target is None:
            return None
        skip = not force and self._cause(member.guid).skip_webhook
        return self.outbox.enqueue(type_, member.guid, member.user_guid, body, target, skip)

    def _initial_data_ready(self, member: Member) -> dict:
        guid = stable_uuid(self.seed, self.client_id, "initial_data_ready", member.guid)
        return payloads.initial_data_ready_body(guid, self.client_guid, member)

    def _user_id(self, user_guid: str) -> str | None:
        try:
            return self.users.get(user_guid, allow_partner_id=False).id
        except NotFound:
            return None

    def _forget(self, member_guid: str) -> None:
        for table in (self._runs, self._revisions):
            table.pop(member_guid, None)
        for members in (self._creating, self._v2025, self._data_ready):
            members.discard(member_guid)

    # -- fire (like Plaid's sandbox fire_webhook) -------------------------------------------------------
    def fire(self, type_: str, member_guid: str | None = None, microdeposit_guid: str | None = None) -> Delivery:
        """Send one webhook of `type_` now, from the member's (or microdeposit's) current state."""
        if type_ not in TYPES:
            raise BadRequest(f"Unknown webhook type {type_}. Known: {', '.join(TYPES)}.")
        if self.config.target(type_) is None:
            raise BadRequest(f"No webhook URL is configured for {type_}: PUT /_sandbox/webhooks first.")
        if type_ == "MICRODEPOSIT":
            if not microdeposit_guid:
                raise BadRequest("microdeposit_guid is required for MICRODEPOSIT.")
            delivery = self._microdeposit(microdeposit_guid, force=True)
        else:
            if not member_guid:
                raise BadRequest(f"member_guid is required for {type_}.")
            member = self.members.get_any(member_guid)
            delivery = self._send(type_, member, self._body_now(type_, member), force=True)
        if delivery is None:
            raise BadRequest("The outbox is full; wait for pending deliveries to finish.")
        return delivery

    def _body_now(self, type_: str, member: Member) -> dict:
        if type_ == "MEMBER":
            revision = self._revisions[member.guid] = self._revisions.get(member.guid, 0) + 1
            return payloads.member_body(member, "UPDATED", revision, self._user_id(member.user_guid),
                                        self._runs.get(member.guid, NO_CAUSE).callback_payload)
        if type_ == "CONNECTION_STATUS":
            return payloads.connection_status_body(member)
        if type_ == "initial_data_ready":
            return self._initial_data_ready(member)
        job = member.job
        return payloads.job_body(type_, member, job.guid if job else "", {}, self.clock.now(),
                                 bool(job and job.is_background), self._user_id(member.user_guid))
