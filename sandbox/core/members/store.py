"""The members part of a tenant: create, read, update, delete, force; validation of input.

Cascades (a deleted member's data, OAuth states, widget sessions) and OAuth set-up are not here:
they span parts, so they are one operation each in `core/lifecycle.py`.
"""
from __future__ import annotations

from typing import Any, Callable

from ..clock import VirtualClock
from ..errors import BadRequest, Conflict, NotFound
from ..events import EventBus, MemberCreated, MemberDeleted, MemberUpdated
from ..ids import GuidFactory
from ..institutions import Catalog, Institution
from ..scheduler import Scheduler
from .behavior import BehaviorBook
from .jobs import DataProducer, JobRunner
from .model import STATUS_IDS, Member
from .scripts import ScriptBook

USE_CASES = {"PFM", "MONEY_MOVEMENT"}
UPDATABLE = ("credentials", "id", "metadata", "background_aggregation_is_disabled", "use_cases")


def parse_credentials(raw: Any, institution: Institution) -> dict[str, str]:
    """`[{"guid": "CRD-…", "value": "…"}]` → {guid: value}; guids must be the institution's fields."""
    if not isinstance(raw, list):
        raise BadRequest("credentials must be an array of {guid, value} objects.")
    known = {f.guid for f in institution.credentials}
    out: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("guid"), str) or not isinstance(item.get("value"), str):
            raise BadRequest("Each credential needs a string guid and a string value.")
        if item["guid"] not in known:
            raise BadRequest(f"{item['guid']} is not a credential of {institution.code}.")
        out[item["guid"]] = item["value"]
    return out


def _optional(fields: dict[str, Any], name: str, kind: type) -> Any:
    value = fields.get(name)
    if value is not None and (not isinstance(value, kind) or (kind is not bool and isinstance(value, bool))):
        raise BadRequest(f"{name} has the wrong type (expected {kind.__name__}).")
    return value


def _use_cases(fields: dict[str, Any]) -> list[str] | None:
    value = fields.get("use_cases")
    if value is None:
        return None
    if not isinstance(value, list) or any(v not in USE_CASES for v in value):
        raise BadRequest("use_cases must be an array of PFM and/or MONEY_MOVEMENT.")
    return list(value)


class MemberStore:
    def __init__(self, clock: VirtualClock, scheduler: Scheduler, bus: EventBus, guids: GuidFactory,
                 catalog: Catalog, book: BehaviorBook, scripts: ScriptBook, data: DataProducer) -> None:
        self.clock = clock
        self.scheduler = scheduler
        self.bus = bus
        self.guids = guids
        self.catalog = catalog
        self.book = book
        self._by_guid: dict[str, Member] = {}
        # An institution in maintenance for this tenant only (core/faults.py); the catalog's flag is for all.
        self.in_maintenance: Callable[[str], bool] = lambda institution_code: False
        self.jobs = JobRunner(clock, scheduler, bus, guids, book, scripts, data,
                              lambda m: self._by_guid.get(m.guid) is m)

    # -- reading ---------------------------------------------------------------------------------
    def get(self, user_guid: str, identifier: str, allow_partner_id: bool = True) -> Member:
        member = self._by_guid.get(identifier)
        if member is None and allow_partner_id:
            member = next((m for m in self._by_guid.values() if m.user_guid == user_guid and m.id == identifier), None)
        if member is None or member.user_guid != user_guid:
            raise NotFound()
        return member

    def get_any(self, guid: str) -> Member:
        """By guid across the tenant's users (control API)."""
        member = self._by_guid.get(guid)
        if member is None:
            raise NotFound()
        return member

    def list(self, user_guid: str) -> list[Member]:
        return [m for m in self._by_guid.values() if m.user_guid == user_guid]

    # -- writing ---------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._by_guid)

    def create(self, user_guid: str, fields: dict[str, Any], products: list[str] | None = None,
               skip_aggregation: bool = False, oauth_options: dict[str, Any] | None = None) -> Member:
        """A new member, signing in (or PENDING for OAuth: the caller issues its OAuth URI)."""
        code = fields.get("institution_code")
        if not isinstance(code, str) or not code:
            raise BadRequest("institution_code is required.")
        institution = self.catalog.get(code)
        if institution.maintenance or self.in_maintenance(code):
            raise BadRequest(f"{institution.name} is undergoing scheduled maintenance; try again later.")
        is_oauth = bool(_optional(fields, "is_oauth", bool))
        if "credentials" not in fields and not is_oauth:
            raise BadRequest("credentials are required.")
        credentials = parse_credentials(fields.get("credentials", []), institution)
        if is_oauth and not institution.supports_oauth:
            raise BadRequest("Member cannot use OAuth.")
        if not is_oauth:
            if not institution.credentials:
                raise BadRequest(f"{institution.name} requires OAuth; create the member with is_oauth: true.")
            missing = [f.label for f in institution.credentials if not credentials.get(f.guid)]
            if missing:
                raise BadRequest(f"Missing credentials: {', '.join(missing)}.")
        partner_id = _optional(fields, "id", str)
        if partner_id and any(m.id == partner_id for m in self.list(user_guid)):
            raise Conflict("A member with this id already exists for this user.")
        if not is_oauth and any(
            m.institution.code == code and m.credentials == credentials for m in self.list(user_guid)
        ):
            raise Conflict("A member with these credentials already exists for this institution.")
        now = self.clock.now()
        member = Member(
            guid=self.guids.new("MBR"),
            user_guid=user_guid,
            institution=institution,
            created_at=now,
            id=partner_id,
            metadata=_optional(fields, "metadata", str),
            credentials=credentials,
            is_oauth=is_oauth,
            products=frozenset(products or ["transactions"]),
            background_aggregation_is_disabled=bool(_optional(fields, "background_aggregation_is_disabled", bool)),
            use_cases=_use_cases(fields) or [],
            oauth_options=dict(oauth_options or {}, skip_aggregation=skip_aggregation),
        )
        self._by_guid[member.guid] = member
        self.bus.publish(MemberCreated(now, member.guid, user_guid, institution_code=code, is_oauth=is_oauth))
        if is_oauth:
            self.jobs.set_status(member, "PENDING", now)
        elif skip_aggregation:
            self.jobs.set_status(member, "CREATED", now)
        else:
            first, follow = self.jobs.initial_jobs(member)
            self.jobs.start(member, first, now, status="CREATED", queue=follow)
        return member

    def update(self, member: Member, fields: dict[str, Any], skip_aggregation: bool = False) -> Member:
        if member.is_managed and "credentials" in fields:
            raise BadRequest("Partner-managed members have no credentials.")
        credentials = parse_credentials(fields["credentials"], member.institution) if "credentials" in fields else None
        partner_id = _optional(fields, "id", str)
        metadata = _optional(fields, "metadata", str)
        disabled = _optional(fields, "background_aggregation_is_disabled", bool)
        use_cases = _use_cases(fields)
        if partner_id and partner_id != member.id and any(m.id == partner_id for m in self.list(member.user_guid)):
            raise Conflict("A member with this id already exists for this user.")
        changed = [name for name in fields if name in UPDATABLE]
        if partner_id is not None:
            member.id = partner_id
        if metadata is not None:
            member.metadata = metadata
        if disabled is not None:
            member.background_aggregation_is_disabled = disabled
        if use_cases is not None:
            member.use_cases = use_cases
        if credentials:
            member.credentials = {**member.credentials, **credentials}
            if member.connection_status == "PREVENTED":
                member.denied_in_a_row = 0
            if not skip_aggregation and not member.is_oauth:
                first, follow = self.jobs.initial_jobs(member)
                self.jobs.start(member, first, self.clock.now(), status="UPDATED", queue=follow)
        if changed:
            self.bus.publish(MemberUpdated(self.clock.now(), member.guid, member.user_guid, changed=tuple(changed)))
        return member

    def add_managed(self, member: Member, status: str) -> Member:
        """A partner-managed member (core/managed.py built it): listed with the others, never aggregated."""
        self._by_guid[member.guid] = member
        self.bus.publish(MemberCreated(member.created_at, member.guid, member.user_guid,
                                       institution_code=member.institution.code))
        self.jobs.set_status(member, status, member.created_at)
        return member

    def delete(self, member: Member) -> None:
        """Forget the member and stop its clockwork. What hangs off it: `Lifecycle.delete_member`."""
        self.jobs.cancel(member)
        self.scheduler.cancel(f"bg:{member.guid}")
        self.scheduler.cancel(f"script:{member.guid}")
        # Announced while still readable, so subscribers (the MEMBER webhook) see its last state.
        self.bus.publish(MemberDeleted(self.clock.now(), member.guid, member.user_guid))
        del self._by_guid[member.guid]

    def force(self, member: Member, status: str, is_being_aggregated: bool = False, challenge: str = "text") -> Member:
        """Control API: put a member in any state, as if something happened at the bank."""
        if status not in STATUS_IDS:
            raise BadRequest(f"{status} is not a connection_status.")
        if not self.book.has_challenge(challenge):
            raise BadRequest(f"{challenge} is not a challenge kind in behaviors.yml.")
        now = self.clock.now()
        self.jobs.cancel(member)
        member.queue = []
        member.is_being_aggregated = is_being_aggregated
        if member.job and member.job.finished_at is None and not is_being_aggregated:
            member.job.finished_at, member.job.outcome = now, status
        member.challenges = self.book.challenges(challenge, self.guids.new) if status == "CHALLENGED" else []
        self.jobs.set_status(member, status, now, forced=True)
        return member

