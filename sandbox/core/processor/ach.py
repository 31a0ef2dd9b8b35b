"""ACH returns a client reports against accounts the sandbox verified.

A return names a user, member and account; the account must carry an account number the sandbox
issued (a verification job ran), and any account or routing number the return quotes must be that
number: a return for a number MX never gave out is refused with 422. Records are kept per tenant,
at most MAX_ACH_RETURNS (then creating another is refused, not silently dropping an old one).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..clock import VirtualClock, format_instant, parse_instant
from ..data.store import DataStore
from ..errors import BadRequest, Conflict, NotFound, Unprocessable
from ..ids import GuidFactory, stable_uuid
from ..members.store import MemberStore
from ..pfm.fields import text as _text
from ..users import UserStore

MAX_ACH_RETURNS = 10_000
# NACHA return reason codes R01-R85 (the sandbox accepts the whole range; MX documents R01 as an example).
_RETURN_CODE = re.compile(r"R(0[1-9]|[1-7][0-9]|8[0-5])")
_SEC_CODES = frozenset({"PPD", "CCD", "WEB", "TEL", "ARC", "BOC", "POP", "RCK", "CTX", "IAT"})
REQUIRED = ("user_guid", "member_guid", "account_guid", "id", "return_code")
TEXT_FIELDS = ("corrected_account_number", "corrected_routing_number", "return_notes", "sec_code")
STATUSES = frozenset({"SUBMITTED", "PROCESSING", "RESOLVED", "FAILED"})


@dataclass
class AchReturn:
    guid: str
    id: str
    client_guid: str
    user_guid: str
    member_guid: str
    account_guid: str
    institution_guid: str
    account_type: str
    account_number_last_four: str
    return_code: str
    created_at: float
    fields: dict[str, Any] = field(default_factory=dict)  # the optional values as sent
    return_status: str = "SUBMITTED"
    submitted_at: float | None = None


class AchReturnStore:
    def __init__(self, client_id: str, seed: int, clock: VirtualClock, guids: GuidFactory, users: UserStore,
                 members: MemberStore, data: DataStore, limit: int = MAX_ACH_RETURNS) -> None:
        self.client_guid = f"CLT-{stable_uuid(seed, client_id, 'client')}"
        self.clock = clock
        self.guids = guids
        self.users = users
        self.members = members
        self.data = data
        self.limit = limit
        self._returns: dict[str, AchReturn] = {}

    def create(self, body: dict[str, Any]) -> AchReturn:
        values = {name: _text(body, name, required=True) for name in REQUIRED}
        user_guid, member_guid, account_guid = values["user_guid"], values["member_guid"], values["account_guid"]
        if not _RETURN_CODE.fullmatch(values["return_code"]):
            raise BadRequest("return_code must be a NACHA return reason code, R01 to R85.")
        if any(r.id == values["id"] for r in self._returns.values()):
            raise Conflict("An ACH return with this id already exists.")
        self.users.get(user_guid, allow_partner_id=False)
        member = self.members.get(user_guid, member_guid, allow_partner_id=False)
        account = self.data.account(user_guid, account_guid, member_guid)
        numbers = self.data.account_numbers(user_guid, account_guid=account.guid)
        if not numbers:
            raise Unprocessable("The account has no verified account number. Verify the member first.")
        issued = numbers[0]
        fields = _optional(body)
        last_four = fields.pop("account_number_last_four", None)
        if last_four is not None and last_four != issued.account_number[-4:]:
            raise Unprocessable("account_number_last_four does not match the account's number.")
        if fields.get("return_account_number") not in (None, issued.account_number):
            raise Unprocessable("return_account_number is not the account number issued for this account.")
        if fields.get("return_routing_number") not in (None, issued.routing_number):
            raise Unprocessable("return_routing_number is not the routing number issued for this account.")
        if len(self._returns) >= self.limit:
            raise Unprocessable(f"This sandbox keeps at most {self.limit} ACH returns per client.")
        now = self.clock.now()
        record = AchReturn(self.guids.new("ACH"), values["id"], self.client_guid, user_guid, member_guid,
                           account.guid, member.institution.guid, account.type, issued.account_number[-4:],
                           values["return_code"], now, fields, submitted_at=now)
        self._returns[record.guid] = record
        return record

    def get(self, guid: str) -> AchReturn:
        found = self._returns.get(guid)
        if found is None:
            raise NotFound()
        return found

    def list(self, filters: dict[str, str]) -> list[AchReturn]:
        status = filters.get("return_status")
        if status and status not in STATUSES:
            raise BadRequest(f"return_status must be one of {', '.join(sorted(STATUSES))}.")
        if filters.get("return_code") and not _RETURN_CODE.fullmatch(filters["return_code"]):
            raise BadRequest("return_code must be a NACHA return reason code, R01 to R85.")
        if filters.get("institution_guid") and not filters["institution_guid"].startswith("INS-"):
            raise BadRequest("institution_guid must be an INS- guid.")
        returned_day = _day(filters.get("returned_at"), "returned_at")
        _day(filters.get("resolved_status_at"), "resolved_status_at")
        found = []
        for record in self._returns.values():
            if filters.get("institution_guid") and record.institution_guid != filters["institution_guid"]:
                continue
            if filters.get("return_code") and record.return_code != filters["return_code"]:
                continue
            if status and record.return_status != status:
                continue
            if filters.get("resolved_status_at"):
                continue  # nothing is ever resolved in the sandbox
            if returned_day and (record.fields.get("returned_at") or "")[:10] != returned_day:
                continue
            found.append(record)
        return found


def _optional(body: dict[str, Any]) -> dict[str, Any]:
    """The optional fields, type-checked; instants must be ISO 8601, amounts numbers."""
    fields: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, "account_number_last_four", "return_account_number", "return_routing_number"):
        value = _text(body, name)
        if value is not None:
            fields[name] = value
    if fields.get("sec_code") and fields["sec_code"] not in _SEC_CODES:
        raise BadRequest(f"sec_code must be one of {', '.join(sorted(_SEC_CODES))}.")
    for name in ("ach_initiated_at", "returned_at"):
        value = _text(body, name)
        if value is not None:
            try:
                fields[name] = format_instant(parse_instant(value))
            except (ValueError, OverflowError):
                raise BadRequest(f"{name} must be an ISO 8601 date and time.") from None
    for name in ("transaction_amount", "transaction_amount_range"):
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not -1e12 < value < 1e12:
            raise BadRequest(f"{name} must be a number.")
        fields[name] = float(value)
    return fields


def _day(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return format_instant(parse_instant(value))[:10]
    except (ValueError, OverflowError):
        raise BadRequest(f"{name} must be an ISO 8601 date or date and time.") from None
