"""The tenant's event timeline: every API call, member transition and widget event, in order."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .clock import format_instant


@dataclass
class Event:
    at: float
    kind: str  # api | member | microdeposit | widget | webhook
    type: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"at": format_instant(self.at), "kind": self.kind, "type": self.type, "data": self.data}


Listener = Callable[[Event], None]


class EventLog:
    def __init__(self, limit: int = 20000) -> None:
        self._events: list[Event] = []
        self._limit = limit
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` after each append, so a component (the widget) can react to member
        transitions at the virtual instant they happen instead of polling for them."""
        self._listeners.append(listener)

    def append(self, at: float, kind: str, type_: str, **data: Any) -> Event:
        event = Event(at, kind, type_, data)
        self._events.append(event)
        if len(self._events) > self._limit:
            del self._events[: len(self._events) - self._limit]
        for listener in self._listeners:
            listener(event)
        return event

    def query(
        self,
        kind: str | None = None,
        type_: str | None = None,
        member_guid: str | None = None,
        since: float | None = None,
        session_guid: str | None = None,
    ) -> list[Event]:
        out = []
        for e in self._events:
            if kind and e.kind != kind:
                continue
            if type_ and e.type != type_:
                continue
            if member_guid and e.data.get("member_guid") != member_guid:
                continue
            if session_guid and e.data.get("session_guid") != session_guid:
                continue
            if since is not None and e.at < since:
                continue
            out.append(e)
        return out

    def clear(self) -> None:
        self._events.clear()
