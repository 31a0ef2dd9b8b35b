"""The JSON body of each webhook type, from the tenant's state at the moment it happened.

Shapes follow mx-facts §5.7. Times are unix integers as in MX's examples. Where MX documents a
type without a payload (VERIFICATION, MICRODEPOSIT) the shape is the sandbox's decision
(docs/decisions.md), as are the MEMBER webhook's `action` values and its `callback_payload` key.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..members.model import Member
from ..microdeposits.store import STATUSES as MICRODEPOSIT_STATUSES, Microdeposit

# Statuses that ask the end user to act: entering one sends CONNECTION_STATUS (mx-facts §2.1, §5.7).
USER_ACTION_STATUSES = frozenset({"CHALLENGED", "DENIED", "EXPIRED", "IMPAIRED", "IMPEDED", "LOCKED",
                                  "PREVENTED", "REJECTED"})


def _unix(at: float | None) -> int | None:
    return int(at) if at is not None else None


def member_body(member: Member, action: str, revision: int, user_id: str | None,
                callback_payload: str | None) -> dict[str, Any]:
    """MEMBER: `action` CREATED | UPDATED | DELETED; `revision` counts this member's MEMBER webhooks."""
    body: dict[str, Any] = {
        "action": action,
        "aggregated_at": _unix(member.aggregated_at),
        "connection_status": member.connection_status,
        "connection_status_id": member.status_id,
        "connection_status_message": member.connection_status_message,
        "created_at": _unix(member.created_at),
        "guid": member.guid,
        "id": member.id,
        "institution_code": member.institution.code,
        "institution_guid": member.institution.guid,
        "is_being_aggregated": member.is_being_aggregated,
        "is_oauth": member.is_oauth,
        "member_guid": member.guid,
        "metadata": member.metadata,
        "revision": revision,
        "successfully_aggregated_at": _unix(member.successfully_aggregated_at),
        "type": "MEMBER",
        "user_guid": member.user_guid,
        "user_id": user_id,
    }
    if callback_payload is not None:
        body["callback_payload"] = callback_payload
    return body


def connection_status_body(member: Member) -> dict[str, Any]:
    return {
        "action": "CHANGED",
        "connection_status": member.connection_status,
        "connection_status_id": member.status_id,
        "connection_status_message": member.connection_status_message,
        "member_guid": member.guid,
        "type": "CONNECTION_STATUS",
        "user_guid": member.user_guid,
    }


def job_body(type_: str, member: Member, job_guid: str, counts: dict[str, int], completed_at: float,
             is_background: bool, user_id: str | None) -> dict[str, Any]:
    """AGGREGATION, and the same shape for BALANCE, HISTORY, STATEMENT (and VERIFICATION)."""
    body: dict[str, Any] = {
        "action": "member_data_updated",
        "completed_at": int(completed_at),
        "completed_on": datetime.fromtimestamp(completed_at, timezone.utc).strftime("%Y-%m-%d"),
        "is_background": is_background,
        "job_guid": job_guid,
        "member_guid": member.guid,
        "transactions_created_count": counts.get("transactions_created_count", 0),
        "transactions_updated_count": counts.get("transactions_updated_count", 0),
        "type": type_,
        "user_guid": member.user_guid,
        "user_id": user_id,
    }
    if type_ == "STATEMENT":
        body["statements_created_count"] = counts.get("statements_created_count", 0)
    return body


def initial_data_ready_body(guid: str, client_guid: str, member: Member) -> dict[str, Any]:
    return {"client_guid": client_guid, "guid": guid, "member_guid": member.guid,
            "type": "initial_data_ready", "user_guid": member.user_guid}


def microdeposit_body(microdeposit: Microdeposit) -> dict[str, Any]:
    """Sandbox decision: MX names a Microdeposits webhook but the local references give no shape."""
    return {
        "action": "CHANGED",
        "error_message": microdeposit.error_message,
        "microdeposit_guid": microdeposit.guid,
        "status": microdeposit.status,
        "status_id": MICRODEPOSIT_STATUSES.index(microdeposit.status),
        "type": "MICRODEPOSIT",
        "updated_at": _unix(microdeposit.updated_at),
        "user_guid": microdeposit.user_guid,
    }
