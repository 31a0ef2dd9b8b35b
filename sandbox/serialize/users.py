"""User JSON: identical in both versions."""
from __future__ import annotations

from typing import Any

from ..core.users import User
from ..core.versions import V2025


def user_json(user: User, version: str) -> dict[str, Any]:
    """v20250224 declares `email` non-nullable, so an unset email is left out there."""
    out = {
        "email": user.email,
        "guid": user.guid,
        "id": user.id,
        "is_disabled": user.is_disabled,
        "metadata": user.metadata,
    }
    if version == V2025 and user.email is None:
        del out["email"]
    return out
