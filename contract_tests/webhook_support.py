"""Helpers for the webhook tests: a real loopback receiver registered for the test's tenant."""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from contract_tests.harness import MX
from contract_tests.journeys import create_member, frozen_user, mxbank_credentials
from sandbox.testing.receiver import WebhookReceiver


@pytest.fixture
def receiver(mx: MX) -> Iterator[WebhookReceiver]:
    """A receiver on a free loopback port; the test registers it (see `hook`)."""
    if not mx.target.is_sandbox:
        pytest.skip("webhooks are configured in MX's Client Dashboard; the control API is the sandbox's")
    with WebhookReceiver() as r:
        yield r


def hook(mx: MX, url: str, **config: Any) -> dict[str, Any]:
    r = mx.http.put("/_sandbox/webhooks", json={"url": url, **config})
    assert r.status_code == 200, r.text
    return r.json()["webhooks"]


def deliveries(mx: MX, **filters: str) -> list[dict[str, Any]]:
    r = mx.http.get("/_sandbox/webhooks/deliveries", params=filters)
    assert r.status_code == 200, r.text
    return r.json()["deliveries"]


def connect(mx: MX, password: str = "password", headers: dict[str, str] | None = None,
            user: dict[str, Any] | None = None, user_id: str = "webhooks",
            **member: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """An mxbank member created with `password` (for a new frozen-clock user unless `user` is
    given: MX refuses a second member with the same credentials). Returns (user, member)."""
    user = user or frozen_user(mx, id=user_id)
    fields = {"institution_code": "mxbank", "credentials": mxbank_credentials(mx, password), **member}
    r = mx.post(f"/users/{user['guid']}/members", json={"member": fields}, headers=headers or {})
    assert r.status_code in (200, 202), r.text
    return user, r.json()["member"]


def run_job(mx: MX, user: dict[str, Any], member: dict[str, Any], job: str, seconds: float = 60,
            headers: dict[str, str] | None = None) -> None:
    r = mx.post(f"/users/{user['guid']}/members/{member['guid']}/{job}", headers=headers or {})
    assert r.status_code in (200, 202), r.text
    mx.advance(seconds)


__all__ = ["receiver", "hook", "deliveries", "connect", "run_job", "create_member"]
