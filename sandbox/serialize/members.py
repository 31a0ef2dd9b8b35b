"""Member, status, challenge and credential JSON. The two versions share these shapes."""
from __future__ import annotations

from typing import Any

from ..core.clock import format_instant
from ..core.members.model import Challenge, Member
from ..core.versions import V2025


def _at(value: float | None) -> str | None:
    return format_instant(value) if value is not None else None


def member_json(member: Member, version: str, user_id: str | None = None) -> dict[str, Any]:
    return {
        "aggregated_at": _at(member.aggregated_at),
        "background_aggregation_is_disabled": member.background_aggregation_is_disabled,
        "connection_status": member.connection_status,
        "connection_status_message": member.connection_status_message,
        "guid": member.guid,
        "id": member.id,
        "institution_code": member.institution.code,
        "institution_guid": member.institution.guid,
        "is_being_aggregated": member.is_being_aggregated,
        "is_managed_by_user": False,
        "is_manual": False,
        "is_oauth": member.is_oauth,
        "metadata": member.metadata,
        "most_recent_job_detail_code": None,
        "most_recent_job_detail_text": None,
        # v20111101 types this field boolean (nullable) and MX's v1 SDK enforces that, so v1 gets null.
        "most_recent_job_guid": member.job.guid if member.job and version == V2025 else None,
        "name": member.name,
        "needs_updated_credentials": member.connection_status in ("DENIED", "PREVENTED", "IMPAIRED", "IMPORTED"),
        "oauth_window_uri": member.oauth_window_uri,
        "successfully_aggregated_at": _at(member.successfully_aggregated_at),
        "use_cases": list(member.use_cases),
        "user_guid": member.user_guid,
        "user_id": user_id,
    }


def challenge_json(challenge: Challenge) -> dict[str, Any]:
    out: dict[str, Any] = {
        "field_name": challenge.field_name,
        "guid": challenge.guid,
        "label": challenge.label,
        "type": challenge.type,
    }
    if challenge.image_data is not None:
        out["image_data"] = challenge.image_data
    if challenge.options:
        out["options"] = [dict(o) for o in challenge.options]
    if challenge.image_options:
        out["image_options"] = [dict(o) for o in challenge.image_options]
    return out


def status_json(member: Member) -> dict[str, Any]:
    out: dict[str, Any] = {
        "aggregated_at": _at(member.aggregated_at),
        "connection_status": member.connection_status,
        "guid": member.guid,
        "has_processed_account_numbers": member.has_processed_account_numbers,
        "has_processed_accounts": member.has_processed_accounts,
        "has_processed_transactions": member.has_processed_transactions,
        "is_authenticated": member.is_authenticated,
        "is_being_aggregated": member.is_being_aggregated,
        "successfully_aggregated_at": _at(member.successfully_aggregated_at),
    }
    if member.connection_status == "CHALLENGED":
        out["challenges"] = [challenge_json(c) for c in member.challenges]
    return out
