"""The microdeposits part of a tenant: create, read, verify, delete, and the status timeline.

PREINITIATED (name and email only, for the widget) → INITIATED → REQUESTED → DEPOSITED on the
virtual clock (timings in fixtures/microdeposits.yml); then VERIFIED on the right amounts, or
PREVENTED on the last allowed wrong attempt. Accounts whose number lacks the valid prefix bounce:
REQUESTED → ERRORED.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ..clock import VirtualClock
from ..errors import BadRequest, NotFound
from ..events import (EventBus, MicrodepositCreated, MicrodepositDeleted, MicrodepositStatusChanged,
                      MicrodepositVerifyAttempt)
from ..ids import GuidFactory
from ..institutions import Catalog, Institution
from ..scheduler import Scheduler
from .rules import MicrodepositRules

# Status names; the index is the numeric status MX's webhooks carry (0 INITIATED and 3 VERIFIED are
# confirmed by MX samples, the rest of the order is the sandbox's).
STATUSES = ("INITIATED", "REQUESTED", "DEPOSITED", "VERIFIED", "ERRORED", "DENIED", "PREVENTED", "PREINITIATED")
IN_FLIGHT = frozenset({"INITIATED", "REQUESTED", "DEPOSITED"})  # soft-deleted after the retention period
FAILED = frozenset({"ERRORED", "DENIED", "PREVENTED"})
BOUNCED_MESSAGE = "The deposits were returned: the receiving bank has no account with this number."


@dataclass
class Microdeposit:
    guid: str
    user_guid: str
    created_at: float
    updated_at: float
    status: str
    amounts: tuple[int, int]  # cents, what the user must read off their statement
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    account_name: str | None = None
    account_number: str | None = None
    routing_number: str | None = None
    account_type: str | None = None
    institution: Institution | None = None
    verify_attempts: int = 0
    verified_at: float | None = None
    error_message: str | None = None


def _amounts(guid: str, low: int, high: int) -> tuple[int, int]:
    """Two different cent amounts fixed by the guid (itself fixed by seed, tenant and order)."""
    digest = hashlib.sha256(guid.encode()).digest()
    span = high - low + 1
    first = low + int.from_bytes(digest[:4], "big") % span
    second = low + (first - low + 1 + int.from_bytes(digest[4:8], "big") % (span - 1)) % span
    return first, second


class MicrodepositStore:
    def __init__(self, clock: VirtualClock, scheduler: Scheduler, bus: EventBus, guids: GuidFactory,
                 catalog: Catalog, rules: MicrodepositRules, routing_index: dict[str, str] | None = None) -> None:
        self.clock = clock
        self.scheduler = scheduler
        self.bus = bus
        self.guids = guids
        self.catalog = catalog
        self.rules = rules
        # routing number → institution code (Fixtures.routing_index); the rules' own table without it
        self.routing_index = routing_index if routing_index is not None else rules.routing_institutions
        self._by_guid: dict[str, Microdeposit] = {}

    # -- reading ---------------------------------------------------------------------------------
    def get(self, guid: str, user_guid: str | None = None) -> Microdeposit:
        found = self._by_guid.get(guid)
        if found is None or (user_guid is not None and found.user_guid != user_guid):
            raise NotFound()
        return found

    def list(self, user_guid: str) -> list[Microdeposit]:
        return sorted((m for m in self._by_guid.values() if m.user_guid == user_guid), key=lambda m: m.created_at)

    # -- writing ---------------------------------------------------------------------------------
    def create(self, user_guid: str, fields: dict[str, Any]) -> Microdeposit:
        """With account details: INITIATED and on its way. With only name and email: PREINITIATED."""
        has_account = any(fields.get(n) is not None for n in ("account_number", "routing_number", "account_type"))
        person = self.rules.person_fields(fields, required=not has_account)
        account = self.rules.account_fields(fields) if has_account else {}
        if account:
            self._check_email_limit(person.get("email"), account)
        now = self.clock.now()
        guid = self.guids.new("MIC")
        md = Microdeposit(guid, user_guid, now, now, "INITIATED" if account else "PREINITIATED",
                          _amounts(guid, self.rules.min_cents, self.rules.max_cents), **person)
        self._by_guid[guid] = md
        if account:
            self._start(md, account, now)
        self.bus.publish(MicrodepositCreated(now, md.guid, md.user_guid, status=md.status))
        return md

    def initiate(self, md: Microdeposit, fields: dict[str, Any]) -> Microdeposit:
        """A PREINITIATED microdeposit gets its account details (the widget's microdeposit step)."""
        if md.status != "PREINITIATED":
            raise BadRequest("Only a PREINITIATED microdeposit can take account details.")
        person = self.rules.person_fields({**_person_of(md), **fields}, required=False)
        account = self.rules.account_fields(fields)
        self._check_email_limit(person.get("email"), account)
        for name, value in person.items():
            setattr(md, name, value)
        now = self.clock.now()
        self._start(md, account, now)
        self._set_status(md, "INITIATED", now)
        return md

    def _start(self, md: Microdeposit, account: dict[str, str], now: float) -> None:
        """Record the account and schedule its timeline: REQUESTED, then DEPOSITED (or ERRORED)."""
        md.account_number, md.routing_number, md.account_type = (
            account["account_number"], account["routing_number"], account["account_type"])
        code = self.routing_index.get(md.routing_number)
        md.institution = self._institution(code) if code else None
        requested_at = now + self.rules.requested_seconds
        self._at(md, requested_at, self._requested)
        self._at(md, requested_at + self.rules.deposited_seconds, self._deposited)
        self._at(md, now + self.rules.retention_seconds, self._retire)

    def _institution(self, code: str) -> Institution | None:
        try:
            return self.catalog.get(code)
        except NotFound:
            return None

    def _check_email_limit(self, email: str | None, account: dict[str, str]) -> None:
        """At most N different accounts per email (failed microdeposits do not count)."""
        if not email:
            return
        accounts = {
            (m.routing_number, m.account_number)
            for m in self._by_guid.values()
            if m.email and m.email.lower() == email.lower() and m.account_number and m.status not in FAILED
        }
        if (account["routing_number"], account["account_number"]) not in accounts and \
                len(accounts) >= self.rules.max_accounts_per_email:
            raise BadRequest(f"At most {self.rules.max_accounts_per_email} accounts can be verified "
                             "with microdeposits per email address.")

    def verify(self, md: Microdeposit, amount_1: float, amount_2: float) -> Microdeposit:
        """Right amounts (in either order) → VERIFIED; the last allowed wrong try → PREVENTED."""
        if md.status != "DEPOSITED":
            raise BadRequest(_NOT_VERIFIABLE.get(md.status, "The deposits have not arrived yet; "
                                                 "verify once the microdeposit is DEPOSITED."))
        now = self.clock.now()
        given = sorted(round(a * 100) for a in (amount_1, amount_2))
        matched = given == sorted(md.amounts)
        if not matched:
            md.verify_attempts += 1
        self.bus.publish(MicrodepositVerifyAttempt(now, md.guid, md.user_guid, matched=matched,
                                                   attempts=md.verify_attempts))
        if matched:
            md.verified_at, md.error_message = now, None
            self._set_status(md, "VERIFIED", now)
        elif md.verify_attempts >= self.rules.max_verify_attempts:
            md.error_message = "Too many incorrect attempts. Start a new microdeposit verification."
            self._set_status(md, "PREVENTED", now)
        else:
            left = self.rules.max_verify_attempts - md.verify_attempts
            md.error_message = f"The amounts do not match. {left} attempt{'s' if left != 1 else ''} left."
            md.updated_at = now
        return md

    def delete(self, md: Microdeposit, reason: str = "deleted") -> None:
        self.scheduler.cancel(f"mic:{md.guid}")
        del self._by_guid[md.guid]
        self.bus.publish(MicrodepositDeleted(self.clock.now(), md.guid, md.user_guid, reason=reason))

    def delete_user(self, user_guid: str) -> None:
        for md in self.list(user_guid):
            self.delete(md)

    # -- the timeline ------------------------------------------------------------------------------
    def _at(self, md: Microdeposit, due: float, step) -> None:
        def run(at: float) -> None:
            if self._by_guid.get(md.guid) is md:
                step(md, at)

        self.scheduler.at(due, run, key=f"mic:{md.guid}")

    def _requested(self, md: Microdeposit, at: float) -> None:
        if md.status == "INITIATED":
            self._set_status(md, "REQUESTED", at)

    def _deposited(self, md: Microdeposit, at: float) -> None:
        if md.status != "REQUESTED":
            return
        if (md.account_number or "").startswith(self.rules.valid_account_prefix):
            self._set_status(md, "DEPOSITED", at)
        else:
            md.error_message = BOUNCED_MESSAGE
            self._set_status(md, "ERRORED", at)

    def _retire(self, md: Microdeposit, at: float) -> None:
        if md.status in IN_FLIGHT:
            self.delete(md, reason="retention")

    def _set_status(self, md: Microdeposit, status: str, at: float) -> None:
        old, md.status, md.updated_at = md.status, status, at
        if old != status:
            self.bus.publish(MicrodepositStatusChanged(at, md.guid, md.user_guid, old=old, new=status))


def _person_of(md: Microdeposit) -> dict[str, Any]:
    return {n: getattr(md, n) for n in ("first_name", "last_name", "email", "account_name") if getattr(md, n)}


_NOT_VERIFIABLE = {
    "VERIFIED": "This microdeposit is already verified.",
    "PREVENTED": "Too many incorrect attempts: this microdeposit can no longer be verified. Start a new one.",
    "ERRORED": "The deposits for this microdeposit failed; it cannot be verified. Start a new one.",
    "PREINITIATED": "This microdeposit has no account details yet.",
}
