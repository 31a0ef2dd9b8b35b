"""Steps of MX's integration journey as plain functions over the `MX` client, for any target.

On the sandbox, waiting advances the tenant's frozen virtual clock (fast, deterministic); on
int-api it sleeps between polls as MX recommends (3 s).
"""
from __future__ import annotations

import time
from typing import Any, Callable

from contract_tests.harness import MX

POLL_SECONDS = 3.0


def credentials_for(mx: MX, institution_code: str, **values: str) -> list[dict[str, str]]:
    """Map field names (LOGIN=..., PASSWORD=...) to the institution's credential guids."""
    fields = mx.get(f"/institutions/{institution_code}/credentials").json()["credentials"]
    return [{"guid": f["guid"], "value": values[f["field_name"]]} for f in fields if f["field_name"] in values]


def mxbank_credentials(mx: MX, password: str, username: str = "mxuser") -> list[dict[str, str]]:
    return credentials_for(mx, "mxbank", LOGIN=username, PASSWORD=password)


def generic_credentials(mx: MX, code: str, password: str = "password") -> list[dict[str, str]]:
    fields = mx.get(f"/institutions/{code}/credentials").json()["credentials"]
    values = {"LOGIN": "qa-user", "PASSWORD": password, "PIN": "1234"}
    return [{"guid": f["guid"], "value": values.get(f["field_name"], "x")} for f in fields]


def create_member(mx: MX, user_guid: str, institution_code: str, credentials: list[dict[str, str]],
                  **extra: Any) -> dict[str, Any]:
    member_fields = {"institution_code": institution_code, "credentials": credentials, **extra.pop("member", {})}
    r = mx.post(f"/users/{user_guid}/members", json={"member": member_fields, **extra})
    assert r.status_code in (200, 202), r.text
    return r.json()["member"]


def status(mx: MX, user_guid: str, member_guid: str) -> dict[str, Any]:
    r = mx.get(f"/users/{user_guid}/members/{member_guid}/status")
    assert r.status_code == 200, r.text
    return r.json()["member"]


def wait_for(mx: MX, user_guid: str, member_guid: str, done: Callable[[dict[str, Any]], bool],
             max_seconds: float = 600, step: float = 1.0) -> dict[str, Any]:
    """Poll /status until `done(status)`; virtual seconds on the sandbox, real ones on int-api."""
    waited = 0.0
    while True:
        current = status(mx, user_guid, member_guid)
        if done(current):
            return current
        if waited >= max_seconds:
            raise AssertionError(f"member never reached the expected state; last: {current}")
        if mx.target.is_sandbox:
            mx.advance(step)
            waited += step
        else:
            time.sleep(POLL_SECONDS)
            waited += POLL_SECONDS


def settled(s: dict[str, Any]) -> bool:
    """MX's end of a journey: not aggregating, or waiting for the user (MFA)."""
    return not s["is_being_aggregated"] or s["connection_status"] == "CHALLENGED"


def connected(s: dict[str, Any]) -> bool:
    return s["connection_status"] == "CONNECTED" and not s["is_being_aggregated"]


def answer(mx: MX, user_guid: str, member_guid: str, value: str | None = None) -> Any:
    """Answer every open challenge; `None` picks the right answer (`correct`)."""
    challenges = mx.get(f"/users/{user_guid}/members/{member_guid}/challenges").json()["challenges"]
    answers = [{"guid": c["guid"], "value": value if value is not None else "correct"} for c in challenges]
    return mx.put(f"/users/{user_guid}/members/{member_guid}/resume", json={"member": {"challenges": answers}})


def frozen_user(mx: MX, **fields: Any) -> dict[str, Any]:
    """A new user on a tenant whose clock is frozen (sandbox), so tests move time themselves."""
    if mx.target.is_sandbox:
        mx.freeze()
    return mx.create_user(**fields)
