"""Users: the partner's end users, each owning members, accounts and widget sessions."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .clock import VirtualClock
from .errors import BadRequest, Conflict, NotFound
from .ids import GuidFactory

USER_FIELDS = ("id", "email", "metadata", "is_disabled")


@dataclass
class User:
    guid: str
    id: str | None = None
    email: str | None = None
    metadata: str | None = None
    is_disabled: bool = False
    created_at: float = 0.0


def _validate(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in USER_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if name == "is_disabled":
            if value is not None and not isinstance(value, bool):
                raise BadRequest("is_disabled must be a boolean (true or false).")
            out[name] = bool(value)
        else:
            if value is not None and not isinstance(value, str):
                raise BadRequest(f"{name} must be a string.")
            out[name] = value
    partner_id = out.get("id")
    if partner_id is not None and partner_id.upper().startswith("USR-"):
        raise BadRequest("A user id may not begin with USR-.")
    return out


class UserStore:
    def __init__(self, clock: VirtualClock, guids: GuidFactory) -> None:
        self._clock = clock
        self._guids = guids
        self._by_guid: dict[str, User] = {}

    def create(self, fields: dict[str, Any]) -> User:
        values = _validate(fields)
        if values.get("id") and self._find_by_id(values["id"]):
            raise Conflict("A user with this id already exists.")
        user = User(guid=self._guids.new("USR"), created_at=self._clock.now(), **values)
        self._by_guid[user.guid] = user
        return user

    def _find_by_id(self, partner_id: str) -> User | None:
        return next((u for u in self._by_guid.values() if u.id == partner_id), None)

    def get(self, identifier: str, allow_partner_id: bool = True) -> User:
        user = self._by_guid.get(identifier)
        if user is None and allow_partner_id:
            user = self._find_by_id(identifier)
        if user is None:
            raise NotFound()
        return user

    def update(self, user: User, fields: dict[str, Any]) -> User:
        values = _validate(fields)
        new_id = values.get("id")
        if new_id and new_id != user.id and self._find_by_id(new_id):
            raise Conflict("A user with this id already exists.")
        for name, value in values.items():
            setattr(user, name, value)
        return user

    def delete(self, user: User) -> None:
        """Forget the user. What hangs off it: `Lifecycle.delete_user`."""
        self._by_guid.pop(user.guid, None)

    def __len__(self) -> int:
        return len(self._by_guid)

    def list(self, id: str | None = None, email: str | None = None, is_disabled: bool | None = None) -> list[User]:
        out = []
        for user in self._by_guid.values():
            if id is not None and user.id != id:
                continue
            if email is not None and user.email != email:
                continue
            if is_disabled is not None and user.is_disabled != is_disabled:
                continue
            out.append(user)
        return out

    def clear(self) -> None:
        self._by_guid.clear()
