"""Fault rules per tenant: HTTP faults on MX calls, and domain faults on aggregations and institutions.

Three kinds share one list (`POST /_sandbox/faults`), tried in the order they were added:
- `http`: a call matching method, path (template, literal or `^regex`) and optionally the member or
  user in its path is answered with `status` (an MX-shaped body, `retry_after`), after `delay_ms`,
  or has its connection reset; with only `delay_ms` the call is slow and then answered as usual.
- `aggregation`: the next job of a member (or of any member at an institution) ends with
  `connection_status` instead of what the institution would answer.
- `institution_maintenance`: new members at the institution are refused (as for a catalog
  institution with `maintenance: true`) and jobs of its members end `connection_status` (FAILED).

`times: n` fires n times; `probability: p` fires that share of matches, drawn from a generator seeded
by (server seed, rule id), so the same calls in the same order fire the same way on every run.
Every firing is a `FaultInjected` event on the timeline. The HTTP side (delays, resets) is
`sandbox/http/faults.py`.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from .clock import VirtualClock, format_instant
from .errors import BadRequest, NotFound
from .events import EventBus, FaultInjected
from .institutions import Catalog
from .journal import PathMatcher
from .members.behavior import BehaviorBook, Outcome
from .members.job_types import JOB_TYPES
from .members.model import PROCESSING, STATUS_IDS, Member

MAX_RULES = 100  # per tenant, fired-out ones included until deleted
MAX_DELAY_MS = 60_000
MAX_RETRY_AFTER = 86_400
MAX_TIMES = 1_000_000
MAX_BODY_CHARS = 16_384
MAX_DURATION_SECONDS = 366 * 86_400
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
END_STATUSES = sorted(set(STATUS_IDS) - PROCESSING - {"PENDING"})
KINDS = {
    "http": {"method", "path", "member_guid", "user_guid", "status", "body", "retry_after", "delay_ms",
             "reset_connection"},
    "aggregation": {"member_guid", "institution_code", "job_type", "connection_status", "challenge"},
    "institution_maintenance": {"institution_code", "connection_status", "duration_seconds"},
}
COMMON = {"kind", "times", "probability"}


def _get(body: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
    value = body.get(name, default)
    if value is None:
        return default
    numeric = kind in (int, float) or kind == (int, float)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool) \
            or (numeric and isinstance(value, float) and not math.isfinite(value)):
        expected = {str: "a string", bool: "true or false", int: "an integer", dict: "an object"}.get(kind, "a number")  # type: ignore[call-overload]
        raise BadRequest(f"{name} must be {expected}.")
    return value


def _bounded(body: dict[str, Any], name: str, low: float, high: float, kind: Any = int) -> Any:
    value = _get(body, name, kind)
    if value is not None and not low <= value <= high:
        raise BadRequest(f"{name} must be from {low:g} to {high:g}.")
    return value


@dataclass
class FaultRule:
    id: str
    kind: str
    spec: dict[str, Any]  # the rule as given, normalised: what GET lists
    created_at: float
    times: int | None = None
    probability: float | None = None
    expires_at: float | None = None
    path: PathMatcher | None = None
    hits: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def active(self, now: float) -> bool:
        return (self.times is None or self.hits < self.times) and (self.expires_at is None or now < self.expires_at)

    def fire(self) -> bool:
        """One matching call or job: does the rule fire for it? (Draws from the rule's generator.)"""
        if self.probability is not None and self.rng.random() >= self.probability:
            return False
        self.hits += 1
        return True

    def to_json(self, now: float) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, **self.spec, "times": self.times, "probability": self.probability,
                "hits": self.hits, "remaining": None if self.times is None else max(0, self.times - self.hits),
                "active": self.active(now), "created_at": format_instant(self.created_at),
                "expires_at": format_instant(self.expires_at) if self.expires_at is not None else None}


class FaultBook:
    """One tenant's fault rules, in the order they were added."""

    def __init__(self, seed: int, clock: VirtualClock, bus: EventBus, catalog: Catalog, book: BehaviorBook,
                 members: Any) -> None:
        self.seed = seed
        self.clock = clock
        self.bus = bus
        self.catalog = catalog
        self.book = book
        self.members = members  # MemberStore: member guids are checked when a rule names one
        self._rules: list[FaultRule] = []
        self._counter = 0

    def __len__(self) -> int:
        return len(self._rules)

    # -- the control API -------------------------------------------------------------------------
    def add(self, body: Any) -> FaultRule:
        if not isinstance(body, dict):
            raise BadRequest("A fault rule must be a JSON object.")
        kind = _get(body, "kind", str, "http")
        if kind not in KINDS:
            raise BadRequest(f"kind must be one of: {', '.join(KINDS)}.")
        unknown = set(body) - KINDS[kind] - COMMON
        if unknown:
            raise BadRequest(f"Unknown fields for a {kind} fault: {', '.join(sorted(unknown))}.")
        if len(self._rules) >= MAX_RULES:
            raise BadRequest(f"A tenant has at most {MAX_RULES} fault rules; delete some first.")
        times = _bounded(body, "times", 1, MAX_TIMES)
        probability = _bounded(body, "probability", 0, 1, (int, float))
        if times is not None and probability is not None:
            raise BadRequest("Give times or probability, not both.")
        if probability is not None and probability <= 0:
            raise BadRequest("probability must be above 0 and at most 1.")
        if kind == "institution_maintenance" and (times is not None or probability is not None):
            raise BadRequest("Maintenance lasts until the rule is deleted or duration_seconds pass: no times or probability.")
        if kind == "aggregation" and times is None and probability is None:
            times = 1  # "the next aggregation"
        spec, path = getattr(self, f"_check_{kind}")(body)
        now = self.clock.now()
        self._counter += 1
        rule_id = f"FLT-{self._counter}"
        duration = spec.get("duration_seconds")
        rule = FaultRule(rule_id, kind, spec, now, times, probability,
                         now + duration if duration is not None else None, path,
                         rng=random.Random(f"mx-sandbox-fault:{self.seed}:{rule_id}"))
        self._rules.append(rule)
        return rule

    def list(self) -> list[dict[str, Any]]:
        now = self.clock.now()
        return [rule.to_json(now) for rule in self._rules]

    def get(self, rule_id: str) -> FaultRule:
        found = next((r for r in self._rules if r.id == rule_id), None)
        if found is None:
            raise NotFound()
        return found

    def delete(self, rule_id: str | None = None) -> int:
        """Delete one rule (404 if unknown) or, without an id, all of them. Returns how many went."""
        if rule_id is None:
            count, self._rules = len(self._rules), []
            return count
        self._rules.remove(self.get(rule_id))
        return 1

    # -- validation per kind ---------------------------------------------------------------------
    def _check_http(self, body: dict[str, Any]) -> tuple[dict[str, Any], PathMatcher]:
        method = _get(body, "method", str, "*").upper()
        if method != "*" and method not in METHODS:
            raise BadRequest(f"method must be one of {', '.join(METHODS)} or * (any).")
        if "path" not in body:
            raise BadRequest("path is required: a route template such as /users/{user_guid}/members, or a ^regex.")
        path = PathMatcher.parse(body["path"])
        status = _bounded(body, "status", 400, 599)
        reply = _get(body, "body", dict)
        if reply is not None and len(str(reply)) > MAX_BODY_CHARS:
            raise BadRequest(f"body must be at most {MAX_BODY_CHARS} characters of JSON.")
        reset = _get(body, "reset_connection", bool, False)
        delay = _bounded(body, "delay_ms", 0, MAX_DELAY_MS)
        retry_after = _bounded(body, "retry_after", 0, MAX_RETRY_AFTER)
        if reset and (status is not None or reply is not None or retry_after is not None):
            raise BadRequest("A reset connection has no status, body or retry_after.")
        if status is None and (reply is not None or retry_after is not None):
            raise BadRequest("body and retry_after need a status.")
        if status is None and not reset and not delay:
            raise BadRequest("Give status, reset_connection: true or delay_ms (a slow but normal answer).")
        spec = {"method": method, "path": path.text, "member_guid": _get(body, "member_guid", str),
                "user_guid": _get(body, "user_guid", str), "status": status, "body": reply,
                "retry_after": retry_after, "delay_ms": delay or 0, "reset_connection": reset}
        return spec, path

    def _connection_status(self, body: dict[str, Any], default: str | None) -> str:
        status = _get(body, "connection_status", str, default)
        if status is None:
            raise BadRequest("connection_status is required.")
        if status not in END_STATUSES:
            raise BadRequest(f"connection_status must be one of: {', '.join(END_STATUSES)}.")
        return status

    def _institution(self, body: dict[str, Any], required: bool) -> str | None:
        code = _get(body, "institution_code", str)
        if code is None and required:
            raise BadRequest("institution_code is required.")
        if code is not None:
            try:
                self.catalog.get(code)
            except NotFound:
                raise BadRequest(f"{code} is not an institution in the catalog.") from None
        return code

    def _check_aggregation(self, body: dict[str, Any]) -> tuple[dict[str, Any], None]:
        member_guid = _get(body, "member_guid", str)
        code = self._institution(body, required=False)
        if (member_guid is None) == (code is None):
            raise BadRequest("Give member_guid or institution_code (one of them).")
        if member_guid is not None:
            try:
                self.members.get_any(member_guid)
            except NotFound:
                raise BadRequest(f"{member_guid} is not a member of this tenant.") from None
        job_type = _get(body, "job_type", str)
        if job_type is not None and job_type not in JOB_TYPES:
            raise BadRequest(f"job_type must be one of: {', '.join(JOB_TYPES)}.")
        status = self._connection_status(body, None)
        challenge = _get(body, "challenge", str)
        if challenge is not None and (status != "CHALLENGED" or not self.book.has_challenge(challenge)):
            raise BadRequest("challenge goes with connection_status CHALLENGED and names a challenge kind in behaviors.yml.")
        spec = {"member_guid": member_guid, "institution_code": code, "job_type": job_type,
                "connection_status": status, "challenge": challenge}
        return spec, None

    def _check_institution_maintenance(self, body: dict[str, Any]) -> tuple[dict[str, Any], None]:
        code = self._institution(body, required=True)
        duration = _bounded(body, "duration_seconds", 1, MAX_DURATION_SECONDS, (int, float))
        spec = {"institution_code": code, "connection_status": self._connection_status(body, "FAILED"),
                "duration_seconds": duration}
        return spec, None

    # -- firing ------------------------------------------------------------------------------------
    def _publish(self, rule: FaultRule, **detail: Any) -> None:
        self.bus.publish(FaultInjected(self.clock.now(), rule.id, rule.kind, detail))

    def http_fault(self, method: str, path: str, route: str, params: dict[str, str]) -> FaultRule | None:
        """The first active HTTP rule that matches this call and fires; None to answer as MX."""
        now = self.clock.now()
        member = params.get("member_guid") or params.get("member_identifier")
        user = params.get("user_guid") or params.get("user_identifier")
        for rule in self._rules:
            spec = rule.spec
            if rule.kind != "http" or not rule.active(now) or spec["method"] not in ("*", method):
                continue
            if spec["member_guid"] is not None and spec["member_guid"] != member:
                continue
            if spec["user_guid"] is not None and spec["user_guid"] != user:
                continue
            assert rule.path is not None
            if rule.path.matches_path(path, route) and rule.fire():
                self._publish(rule, method=method, path=path, status=spec["status"], delay_ms=spec["delay_ms"],
                              reset_connection=spec["reset_connection"])
                return rule
        return None

    def in_maintenance(self, institution_code: str) -> bool:
        """MemberStore.create asks before connecting a new member."""
        rule = self._maintenance(institution_code)
        if rule is not None:
            self._publish(rule, institution_code=institution_code, refused="member creation")
        return rule is not None

    def _maintenance(self, institution_code: str) -> FaultRule | None:
        now = self.clock.now()
        return next((r for r in self._rules if r.kind == "institution_maintenance" and r.active(now)
                     and r.spec["institution_code"] == institution_code), None)

    def job_outcome(self, member: Member, job_type: str) -> Outcome | None:
        """JobRunner asks when a job signs in: a domain fault's outcome, or None for the usual one."""
        maintenance = self._maintenance(member.institution.code)
        if maintenance is not None:
            status = maintenance.spec["connection_status"]
            self._publish(maintenance, member_guid=member.guid, job_type=job_type, connection_status=status)
            return Outcome(status)
        now = self.clock.now()
        for rule in self._rules:
            spec = rule.spec
            if rule.kind != "aggregation" or not rule.active(now):
                continue
            if spec["member_guid"] not in (None, member.guid) or spec["institution_code"] not in (None, member.institution.code):
                continue
            if spec["job_type"] is not None and spec["job_type"] != job_type:
                continue
            if rule.fire():
                status = spec["connection_status"]
                self._publish(rule, member_guid=member.guid, job_type=job_type, connection_status=status)
                return Outcome(status, spec["challenge"] or "text") if status == "CHALLENGED" else Outcome(status)
        return None
