"""Microdeposit JSON, the same fields in both versions (MicrodepositElements + MicrodepositResponse).

Unset fields that the spec declares non-nullable (a PREINITIATED microdeposit has no account yet)
are left out rather than sent as null; v20250224 declares `account_type` nullable, so it stays.
"""
from __future__ import annotations

from typing import Any

from ..core.clock import format_instant
from ..core.microdeposits.store import Microdeposit

OMIT_WHEN_UNSET = ("account_name", "account_number", "email", "first_name", "last_name", "routing_number")
# listUserMicrodeposits items are MicrodepositResponse alone: status fields, no account details.
SUMMARY_FIELDS = ("error_message", "guid", "institution_code", "institution_name", "status", "updated_at", "verified_at")


def microdeposit_summary(md: Microdeposit, version: str) -> dict[str, Any]:
    full = microdeposit_json(md, version)
    return {k: full[k] for k in SUMMARY_FIELDS}


def microdeposit_json(md: Microdeposit, version: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "account_name": md.account_name,
        "account_number": md.account_number,
        "account_type": md.account_type,
        "email": md.email,
        "error_message": md.error_message,
        "first_name": md.first_name,
        "guid": md.guid,
        "institution_code": md.institution.code if md.institution else None,
        "institution_name": md.institution.name if md.institution else None,
        "last_name": md.last_name,
        "routing_number": md.routing_number,
        "status": md.status,
        "updated_at": format_instant(md.updated_at),
        "verified_at": format_instant(md.verified_at) if md.verified_at is not None else None,
    }
    omit = OMIT_WHEN_UNSET if version == "v20250224" else (*OMIT_WHEN_UNSET, "account_type")
    return {k: v for k, v in out.items() if not (k in omit and v is None)}


def secrets_json(md: Microdeposit, max_attempts: int) -> dict[str, Any]:
    """Control API only: what the user would read off their bank statement."""
    return {
        "guid": md.guid,
        "user_guid": md.user_guid,
        "status": md.status,
        "deposit_amount_1": md.amounts[0] / 100,
        "deposit_amount_2": md.amounts[1] / 100,
        "verify_attempts": md.verify_attempts,
        "attempts_left": max(max_attempts - md.verify_attempts, 0),
    }
