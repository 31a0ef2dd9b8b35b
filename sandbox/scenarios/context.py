"""What a running scenario remembers: its client, users, named members and widget session."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ..testing.receiver import WebhookReceiver

V2025 = {"Accept-Version": "v20250224", "Accept": "application/json"}
V1 = {"Accept-Version": "v20111101", "Accept": "application/vnd.mx.api.v1+json"}


class StepFailure(Exception):
    """A step did not do what the scenario expected."""

    def __init__(self, message: str, expected: Any = None, actual: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.expected = expected
        self.actual = actual


@dataclass
class RunContext:
    http: httpx.Client
    is_sandbox: bool
    user_guid: str | None = None
    members: dict[str, str] = field(default_factory=dict)  # name → member guid
    institutions: dict[str, str] = field(default_factory=dict)  # member name → institution code
    current_member: str | None = None
    widget_url: str | None = None
    widget_session: str | None = None
    widget_institution: str | None = None
    microdeposit: str | None = None
    poll_seconds: float = 3.0
    requests: int = 0
    webhooks: WebhookReceiver | None = None  # the run's receiver, when the scenario expects webhooks
    base_dir: Path = Path(".")  # the scenario file's folder: what file paths in steps are relative to
    processor_token: str | None = None  # what the last processor_hand_off step obtained

    def call(self, method: str, path: str, body: Any = None, version: str = "v20250224",
             headers: dict[str, str] | None = None) -> httpx.Response:
        self.requests += 1
        base = V2025 if version == "v20250224" else V1
        return self.http.request(method, path, json=body, headers={**base, **(headers or {})})

    def receiver(self) -> WebhookReceiver:
        if self.webhooks is None:
            raise StepFailure("webhook steps need the sandbox (the runner registers a loopback receiver)")
        return self.webhooks

    def control(self, method: str, path: str, body: Any = None) -> httpx.Response:
        if not self.is_sandbox:
            raise StepFailure("this step needs the sandbox control API")
        self.requests += 1
        return self.http.request(method, path, json=body)

    def ok(self, response: httpx.Response, *codes: int) -> dict[str, Any]:
        if response.status_code not in codes:
            raise StepFailure(f"{response.request.method} {response.request.url.path} answered {response.status_code}",
                              expected=list(codes), actual=_body(response))
        return response.json() if response.content else {}

    def user(self) -> str:
        if self.user_guid is None:
            raise StepFailure("no user yet: add a create_user step first")
        return self.user_guid

    def member(self, name: str | None = None) -> str:
        key = name or self.current_member
        if key is None or key not in self.members:
            raise StepFailure(f"no member named {key!r}: create it first (names so far: {sorted(self.members)})")
        return self.members[key]

    def member_path(self, name: str | None = None) -> str:
        return f"/users/{self.user()}/members/{self.member(name)}"

    def expand(self, path: str) -> str:
        """`{user}`, `{member}` and `{member:name}` placeholders in request paths."""
        def sub(match: re.Match[str]) -> str:
            key, _, name = match.group(1).partition(":")
            if key == "user":
                return self.user()
            if key == "member":
                return self.member(name or None)
            raise StepFailure(f"unknown placeholder {{{match.group(1)}}}")

        return re.sub(r"\{([a-z_]+(?::[A-Za-z0-9_-]+)?)\}", sub, path)

    def wait(self, seconds: float) -> None:
        """Let time pass: virtual on the sandbox, real on int-api."""
        if self.is_sandbox:
            self.ok(self.control("POST", "/_sandbox/clock", {"advance_seconds": seconds}), 200)
        else:
            time.sleep(seconds)


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text[:500]
