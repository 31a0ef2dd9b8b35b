"""What caused a change: the request being handled, remembered so its effects can carry it along.

MX echoes a request's `X-CALLBACK-PAYLOAD` in the webhooks that request causes, and (UNCONFIRMED)
`MX-Skip-Webhook: true` suppresses them. Core operations do not take headers, so the HTTP layer
states the cause around each handler (`tenant.causes.caused_by(...)`), and the parts that need it
(webhooks; the widget, which hands its URL's cause to the members a session creates) read
`causes.current`. Outside any request (scheduled transitions) `current` is None.
"""
from __future__ import annotations

from dataclasses import dataclass

CALLBACK_PAYLOAD_LIMIT = 1024  # MX: base64, up to 1,024 characters


@dataclass(frozen=True)
class Cause:
    callback_payload: str | None = None
    skip_webhook: bool = False
    version: str | None = None  # the API version the causing request negotiated (None: not an MX call)


NO_CAUSE = Cause()


class Causes:
    """The tenant's current cause: set for the span of one handler, never across an await."""

    def __init__(self) -> None:
        self.current: Cause | None = None

    def caused_by(self, cause: Cause | None) -> "_CausedBy":
        return _CausedBy(self, cause)


class _CausedBy:
    """`with causes.caused_by(cause)`: a class, not a generator, as every MX call enters one."""

    __slots__ = ("causes", "cause", "previous")

    def __init__(self, causes: Causes, cause: Cause | None) -> None:
        self.causes, self.cause = causes, cause

    def __enter__(self) -> None:
        self.previous, self.causes.current = self.causes.current, self.cause

    def __exit__(self, *exc: object) -> None:
        self.causes.current = self.previous
