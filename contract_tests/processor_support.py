"""The processor's side of a hand-off as plain httpx: it has no `client_id`, only its own
`processor_id:api_key` for the exchange and then the bearer token."""
from __future__ import annotations

from typing import Any

import httpx

from contract_tests.harness import MX, V2025

PROCESSOR = ("processor-qa", "processor-key")


def scope(user: str, member: str, *accounts: str) -> str:
    return " ".join([f"user-guid:{user}", f"member-guid:{member}", *(f"account-guid:{a}" for a in accounts),
                     "read-protected"])


def request_code(mx: MX, user: str, member: str, *accounts: str) -> httpx.Response:
    return mx.post("/authorization_code", json={"authorization_code": {"scope": scope(user, member, *accounts)}})


def exchange(mx: MX, code: str, path: str = "/token") -> httpx.Response:
    """The processor's `POST /token?grant_type=authorization_code&code=…` with its own Basic auth."""
    return mx.http.post(path, params={"grant_type": "authorization_code", "code": code}, auth=PROCESSOR,
                        headers={"Accept": "application/json"})


def processor_get(mx: MX, path: str, token: str, method: str = "GET", headers: dict[str, str] | None = None,
                  **params: Any) -> httpx.Response:
    """A processor read: bearer token instead of the client's Basic auth."""
    return mx.http.request(method, path, params=params, auth=None,
                           headers={**(headers or V2025), "Authorization": f"Bearer {token}"})


def hand_off(mx: MX, user: str, member: str, *accounts: str) -> str:
    """Code, then token: the access token a processor holds for `accounts`."""
    r = request_code(mx, user, member, *accounts)
    assert r.status_code == 200, r.text
    r = exchange(mx, r.json()["authorization_code"]["code"])
    assert r.status_code == 200, r.text
    return r.json()["access_token"]
