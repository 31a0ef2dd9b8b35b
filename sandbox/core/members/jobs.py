"""The member state machine: jobs, their phases on virtual time, and MX's job rules.

A job runs in two scheduled phases: *authenticate* (after `connect_seconds`), whose outcome comes
from the institution's behavior table (CONNECTED, CHALLENGED, DENIED, ...), then *complete* (after
the job type's timing), which produces data and ends aggregation. Requested premium products queue
follow-up jobs, so `is_being_aggregated` stays true until all are done. What each job type needs,
sets and produces is the table in job_types.py.
"""
from __future__ import annotations

from typing import Callable, Protocol

from ..clock import VirtualClock
from ..errors import BadRequest, Conflict, MethodNotAllowed
from ..events import AggregationFinished, ConnectionStatusChanged, EventBus, JobCompleted, JobStarted
from ..ids import GuidFactory
from ..scheduler import Scheduler
from .behavior import BehaviorBook, Outcome, username_of
from .job_types import JOB_TYPES, PRODUCT_JOBS, JobType
from .model import Job, Member
from .scripts import Script, ScriptBook

THROTTLE_SECONDS = 3 * 3600
BACKGROUND_EVERY = 24 * 3600
BACKGROUND_MIN_GAP = 20 * 3600
# After a long clock jump, background aggregation catches up on at most this many days (one run a
# day), as a bank returns only recent history; older slots are skipped. Bounds the work of a jump.
BACKGROUND_CATCHUP_DAYS = 30
DENIED_LIMIT = 3  # DENIED this many times in a row → PREVENTED
BACKGROUND_STATUSES = {"CONNECTED", "CREATED", "UPDATED"}


class DataProducer(Protocol):
    """What a successful job hands its member to (the data store): returns MX's counts."""

    def produce(self, member: Member, job: JobType, at: float, include_transactions: bool = True,
                include_holdings: bool = True) -> dict[str, int]: ...


class JobRunner:
    """Starts jobs and applies their scheduled transitions for one tenant's members."""

    def __init__(self, clock: VirtualClock, scheduler: Scheduler, bus: EventBus, guids: GuidFactory,
                 book: BehaviorBook, scripts: ScriptBook, data: DataProducer,
                 exists: Callable[[Member], bool]) -> None:
        self.clock = clock
        self.scheduler = scheduler
        self.bus = bus
        self.guids = guids
        self.book = book
        self.scripts = scripts
        self.data = data
        self._exists = exists
        # Domain faults (core/faults.py): an outcome that replaces the institution's, or None.
        self.fault_outcome: Callable[[Member, str], Outcome | None] = lambda member, job_type: None

    # -- transitions -----------------------------------------------------------------------
    def set_status(self, member: Member, status: str | None, at: float, forced: bool = False) -> None:
        old = member.connection_status
        member.connection_status = status
        member.connection_status_message = self.book.message(status, member.institution)
        if old != status:
            self.bus.publish(ConnectionStatusChanged(
                at, member.guid, member.user_guid, old=old, new=status,
                is_being_aggregated=member.is_being_aggregated,
                job_guid=member.job.guid if member.job else None, forced=forced,
            ))

    def _schedule(self, member: Member, due: float, step: Callable[[Member, float], None]) -> None:
        def run(at: float) -> None:
            if self._exists(member):
                step(member, at)

        self.scheduler.at(due, run, key=f"job:{member.guid}")

    def cancel(self, member: Member) -> None:
        self.scheduler.cancel(f"job:{member.guid}")

    def _timing(self, member: Member, name: str, default: float) -> float:
        script = self.script_of(member)
        if script and name in script.timings:
            return script.timings[name]
        return member.institution.timing(name, default)

    def script_of(self, member: Member) -> Script | None:
        """The scenario script a `scenario:<name>` username selects, if any."""
        return self.scripts.for_username(username_of(member.institution, member.credentials))

    # -- starting ----------------------------------------------------------------------------
    def start(self, member: Member, job_type: str, at: float, status: str | None = None,
              is_background: bool = False, queue: list[str] | None = None, authenticated: bool = False,
              follow_up: bool = False) -> Job:
        """Open a job now; `status` is the transient status to show (CREATED, UPDATED, ...).

        `authenticated` jobs (follow-ups in the same connection) skip the authenticate phase, so
        one MFA answer covers every requested product, as in MX's widget.
        """
        self.cancel(member)
        kind = JOB_TYPES[job_type]
        job = Job(self.guids.new("JOB"), job_type, at, is_background)
        member.job = job
        member.queue = list(queue or [])
        member.challenges = []
        member.aggregated_at = at
        member.is_being_aggregated = True
        member.is_authenticated = False
        if not follow_up:  # a new connection re-processes what its jobs set; follow-ups keep it
            for flag in {flag for name in [job_type, *member.queue] for flag in JOB_TYPES[name].sets}:
                setattr(member, f"has_processed_{flag}", False)
        if kind.product:
            member.products = member.products | {kind.product}
        self.bus.publish(JobStarted(at, member.guid, member.user_guid, job_guid=job.guid, job_type=job_type,
                                    is_background=is_background))
        if status is not None:
            self.set_status(member, status, at)
        if authenticated:
            member.is_authenticated = True
            self._schedule(member, at + self._timing(member, kind.timing, 3), self._complete)
        else:
            self._schedule(member, at + self._timing(member, "connect_seconds", 2), self._authenticate)
        return job

    def initial_jobs(self, member: Member) -> tuple[str, list[str]]:
        """Aggregate first, then one follow-up job per requested premium product."""
        follow = [job.name for job in PRODUCT_JOBS
                  if job.product in member.products and member.institution.supports(job.product)]
        return "aggregate", follow

    def request(self, member: Member, job_type: str, at: float, include_transactions: bool = True,
                include_holdings: bool = True) -> bool:
        """A partner's POST .../<job>. Returns whether a new job started (False = 202 with nothing new)."""
        kind = JOB_TYPES[job_type]
        if member.is_managed:
            raise BadRequest("Partner-managed members are not aggregated; their data comes from the managed data API.")
        if kind.product and not member.institution.supports(kind.product):
            raise BadRequest(kind.unsupported_message or "Member's institution does not support this job.")
        if member.is_running:
            if member.job and member.job.type == job_type:
                return False
            raise Conflict("A job of a different type is already running on this member.")
        if member.connection_status == "PENDING":
            raise BadRequest("This member has not completed OAuth yet.")
        if member.connection_status == "PREVENTED":
            return False  # MX stops trying until the credentials are updated
        if (job_type == "aggregate" and member.institution.throttled and member.throttle_from is not None
                and at - member.throttle_from < THROTTLE_SECONDS):
            return False
        if job_type == "aggregate":
            member.products = member.products | {"transactions"}
        job = self.start(member, job_type, at)
        job.include_transactions, job.include_holdings = include_transactions, include_holdings
        return True

    # -- phases ------------------------------------------------------------------------------
    def _authenticate(self, member: Member, at: float) -> None:
        forced = self.fault_outcome(member, member.job.type if member.job else "aggregate")
        script = self.script_of(member)
        if forced is not None:
            outcome = forced
        elif script:
            member.script_answers = 0
            outcome = script.first_outcome()
        else:
            outcome = self.book.table(member.institution).for_credentials(member.institution, member.credentials)
        self._apply(member, outcome, at)

    def _apply(self, member: Member, outcome: Outcome, at: float) -> None:
        # "Three DENIED in a row": any other outcome breaks the run.
        member.denied_in_a_row = member.denied_in_a_row + 1 if outcome.status == "DENIED" else 0
        if outcome.status == "CONNECTED":
            member.is_authenticated = True
            self.set_status(member, "CONNECTED", at)
            timing = JOB_TYPES[member.job.type].timing if member.job else "aggregate_seconds"
            self._schedule(member, at + self._timing(member, timing, 3), self._complete)
        elif outcome.status == "CHALLENGED":
            member.challenges = self.book.challenges(outcome.challenge or "text", self.guids.new)
            self.set_status(member, "CHALLENGED", at)
            self._schedule(member, at + self._timing(member, "challenge_expiry_seconds", 300), self._expire)
        elif outcome.status == "DENIED":
            self.finish(member, "PREVENTED" if member.denied_in_a_row >= DENIED_LIMIT else "DENIED", at)
        else:
            self.finish(member, outcome.status, at)

    def _complete(self, member: Member, at: float) -> None:
        job = member.job
        if job is None or job.finished_at is not None:  # e.g. a forced CHALLENGED that was answered
            job = member.job = Job(self.guids.new("JOB"), "aggregate", at)
        kind = JOB_TYPES[job.type]
        counts = self.data.produce(member, kind, at, job.include_transactions, job.include_holdings)
        for flag in kind.sets:
            setattr(member, f"has_processed_{flag}", True)
        if kind.throttles:
            member.throttle_from = at
        member.successfully_aggregated_at = at
        job.finished_at, job.outcome = at, "CONNECTED"
        self.bus.publish(JobCompleted(at, member.guid, member.user_guid, job_guid=job.guid, job_type=job.type,
                                      counts=counts, is_background=job.is_background))
        if member.queue:
            next_job, rest = member.queue[0], member.queue[1:]
            self.start(member, next_job, at, queue=rest, authenticated=True, follow_up=True)
            return
        member.is_being_aggregated = False
        self.bus.publish(AggregationFinished(at, member.guid, member.user_guid, job_guid=job.guid))
        self._schedule_background(member, at + BACKGROUND_EVERY)
        self._schedule_timeline(member, at)

    def _schedule_timeline(self, member: Member, connected_at: float) -> None:
        """A scenario script's later life (e.g. DEGRADED after 2 days), once per member."""
        script = self.script_of(member)
        if not script or member.timeline_scheduled:
            return
        member.timeline_scheduled = True
        for entry in script.timeline:
            def happen(m: Member, at: float, entry=entry) -> None:
                self.cancel(m)
                self.scheduler.cancel(f"bg:{m.guid}")
                m.is_being_aggregated = entry.is_being_aggregated
                if m.job and m.job.finished_at is None and not entry.is_being_aggregated:
                    m.job.finished_at, m.job.outcome = at, entry.connection_status
                self.set_status(m, entry.connection_status, at)

            due = connected_at + entry.after
            self.scheduler.at(due, lambda at, happen=happen: self._exists(member) and happen(member, at),
                                     key=f"script:{member.guid}")

    def _expire(self, member: Member, at: float) -> None:
        if member.connection_status == "CHALLENGED":
            self.finish(member, "EXPIRED", at)

    def finish(self, member: Member, status: str, at: float) -> None:
        """End the current job with an error (or forced) status."""
        self.cancel(member)
        member.is_being_aggregated = False
        member.queue = []
        if status != "CHALLENGED":
            member.challenges = []
        if member.job and member.job.finished_at is None:
            member.job.finished_at, member.job.outcome = at, status
        self.set_status(member, status, at)

    # -- MFA -------------------------------------------------------------------------------------
    def resume(self, member: Member, answers: list[tuple[str, str]], at: float) -> None:
        if member.connection_status != "CHALLENGED":
            raise MethodNotAllowed("Member is not CHALLENGED; there is nothing to resume.")
        known = {c.guid for c in member.challenges}
        if not answers:
            raise BadRequest("Answer every challenge: challenges must not be empty.")
        for guid, _ in answers:
            if guid not in known:
                raise BadRequest(f"{guid} is not a challenge of this member.")
        values = [value for _, value in answers]
        self.cancel(member)
        member.challenges = []
        self.set_status(member, "RESUMED", at)
        script = self.script_of(member)
        if script:
            member.script_answers += 1
            outcome = script.after_answer(values[0], member.script_answers)
        else:
            outcome = self.book.table(member.institution).for_answers(values)
        self._schedule(member, at + self._timing(member, "connect_seconds", 2),
                       lambda m, t: self._apply(m, outcome, t))

    # -- background aggregation ----------------------------------------------------------------
    def _schedule_background(self, member: Member, due: float) -> None:
        self.scheduler.cancel(f"bg:{member.guid}")

        def run(at: float) -> None:
            if not self._exists(member) or member.background_aggregation_is_disabled:
                return
            if member.connection_status not in BACKGROUND_STATUSES:
                return
            if member.is_running:
                return
            behind = self.clock.now() - at
            if behind > BACKGROUND_CATCHUP_DAYS * BACKGROUND_EVERY:  # a long jump: skip to recent slots
                skipped = int(behind // BACKGROUND_EVERY) - BACKGROUND_CATCHUP_DAYS + 1
                self._schedule_background(member, at + skipped * BACKGROUND_EVERY)
                return
            last = member.aggregated_at or 0
            if at - last < BACKGROUND_MIN_GAP:
                self._schedule_background(member, last + BACKGROUND_EVERY)
                return
            member.products = member.products | {"transactions"}
            self.start(member, "aggregate", at, is_background=True)

        self.scheduler.at(due, run, key=f"bg:{member.guid}")
