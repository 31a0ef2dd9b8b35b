"""Request-field checks shared by the money-management parts: a bad field is a 400 that changes nothing."""
from __future__ import annotations

from typing import Any, TypeVar

from ..errors import BadRequest, NotFound

T = TypeVar("T")

MAX_TEXT = 1_000  # characters in a name, description, memo or metadata


def text(fields: dict[str, Any], name: str, required: bool = False) -> str | None:
    value = fields.get(name)
    if value is None:
        if required:
            raise BadRequest(f"{name} is required.")
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a string.")
    if required and not value.strip():
        raise BadRequest(f"{name} cannot be blank.")
    if len(value) > MAX_TEXT:
        raise BadRequest(f"{name} must be at most {MAX_TEXT} characters.")
    return value


def flag(fields: dict[str, Any], name: str) -> bool | None:
    value = fields.get(name)
    if value is not None and not isinstance(value, bool):
        raise BadRequest(f"{name} must be a boolean (true or false).")
    return value


def check_room(count: int, limit: int, what: str) -> None:
    if count >= limit:
        raise BadRequest(f"A user may have at most {limit} {what}.")


def owned(table: dict[str, dict[str, T]], user_guid: str, guid: str) -> T:
    """One of the user's records by guid; another user's, or none, is a 404."""
    found = table.get(user_guid, {}).get(guid)
    if found is None:
        raise NotFound()
    return found
