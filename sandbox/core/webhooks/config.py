"""Where a tenant's webhooks go: the Client Dashboard's settings, as data.

MX has no API for this (it is set in the Client Dashboard), so the sandbox offers
`PUT /_sandbox/webhooks`. A tenant has an optional default target (every type) and per-type
targets that override it; each target is a URL with optional HTTP Basic credentials. The server's
`--webhook-url` is every tenant's starting default. Any http(s) URL is accepted: the sandbox will
POST to whatever it is told (tests use loopback receivers).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..errors import BadRequest

# The types the sandbox sends. Documented by MX: AGGREGATION, BALANCE, CONNECTION_STATUS, HISTORY,
# MEMBER, STATEMENT, initial_data_ready. Sandbox decisions (payload UNCONFIRMED; docs/decisions.md):
# VERIFICATION (a completed /verify) and MICRODEPOSIT (a microdeposit status change).
DOCUMENTED_TYPES = ("AGGREGATION", "BALANCE", "CONNECTION_STATUS", "HISTORY", "MEMBER", "STATEMENT",
                    "initial_data_ready")
DECIDED_TYPES = ("VERIFICATION", "MICRODEPOSIT")
TYPES = DOCUMENTED_TYPES + DECIDED_TYPES
DEFAULT_TIMEOUT_SECONDS = 10.0  # a receiver that has not answered by then counts as failed
MAX_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Target:
    url: str
    username: str | None = None
    password: str | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        return (self.username, self.password or "") if self.username is not None else None

    def to_json(self) -> dict[str, Any]:
        """The password is never echoed back."""
        auth = {"username": self.username} if self.username is not None else None
        return {"url": self.url, "basic_auth": auth, "timeout_seconds": self.timeout_seconds}


def check_url(url: Any) -> str:
    if not isinstance(url, str) or not url:
        raise BadRequest("url is required: the receiver's http(s) URL.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadRequest("url must be an absolute http or https URL.")
    return url


def parse_target(body: dict[str, Any]) -> Target:
    url = check_url(body.get("url"))
    auth = body.get("basic_auth")
    username = password = None
    if auth is not None:
        if not isinstance(auth, dict) or not isinstance(auth.get("username"), str) \
                or not isinstance(auth.get("password", ""), str):
            raise BadRequest("basic_auth must be {\"username\": string, \"password\": string}.")
        username, password = auth["username"], auth.get("password", "")
    timeout = body.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) \
            or not 0 < timeout <= MAX_TIMEOUT_SECONDS:
        raise BadRequest(f"timeout_seconds must be a number in (0, {MAX_TIMEOUT_SECONDS:g}].")
    return Target(url, username, password, float(timeout))


def parse_types(raw: Any) -> tuple[str, ...] | None:
    """None means every type (the default target)."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw or any(not isinstance(t, str) for t in raw):
        raise BadRequest("types must be a non-empty array of webhook types.")
    unknown = [t for t in raw if t not in TYPES]
    if unknown:
        raise BadRequest(f"Unknown webhook types: {', '.join(unknown)}. Known: {', '.join(TYPES)}.")
    return tuple(dict.fromkeys(raw))


class WebhookConfig:
    def __init__(self, default_url: str | None = None) -> None:
        self.default: Target | None = Target(default_url) if default_url else None
        self.by_type: dict[str, Target] = {}

    def put(self, body: dict[str, Any]) -> None:
        """`{"url", "types"?, "basic_auth"?, "timeout_seconds"?}`: the listed types (or the default
        for every type) go to `url`. Checked fully before anything changes."""
        known = {"url", "types", "basic_auth", "timeout_seconds"}
        unknown = set(body) - known
        if unknown:
            raise BadRequest(f"Unknown webhook fields: {', '.join(sorted(unknown))}.")
        target = parse_target(body)
        types = parse_types(body.get("types"))
        if types is None:
            self.default = target
        else:
            for name in types:
                self.by_type[name] = target

    def clear(self, type_: str | None = None) -> None:
        if type_ is None:
            self.default, self.by_type = None, {}
        else:
            parse_types([type_])
            self.by_type.pop(type_, None)

    def target(self, type_: str) -> Target | None:
        return self.by_type.get(type_, self.default)

    def to_json(self) -> dict[str, Any]:
        return {
            "default": self.default.to_json() if self.default else None,
            "types": {name: t.to_json() for name, t in sorted(self.by_type.items())},
            "known_types": list(TYPES),
        }
