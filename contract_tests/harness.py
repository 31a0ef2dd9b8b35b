"""Targets the suite runs against, and the client a test uses. No sandbox internals beyond HTTP."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from sandbox.process import SandboxProcess, free_port, send_raw  # noqa: F401  (re-exported for tests)
from sandbox.tls import shared_tls

INT_API = "https://int-api.mx.com"
V2025 = {"Accept-Version": "v20250224", "Accept": "application/json"}
V1 = {"Accept-Version": "v20111101", "Accept": "application/vnd.mx.api.v1+json"}


@dataclass
class Target:
    """Where the suite points: `sandbox`, `inprocess`, `int-api`, or another base URL."""

    kind: str
    base_url: str
    app: Any = None  # the ASGI app for `inprocess`
    client_id: str | None = None
    api_key: str | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.kind != "int-api"


@dataclass
class MX:
    """A tenant-scoped client: `mx.get('/users')` speaks v20250224; `mx.v1` speaks v20111101."""

    http: httpx.Client
    target: Target
    client_id: str
    headers: dict[str, str] = field(default_factory=lambda: dict(V2025))

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        headers = {**self.headers, **kw.pop("headers", {})}
        return self.http.request(method, path, headers=headers, **kw)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def put(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("PUT", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, **kw)

    @property
    def v1(self) -> "MX":
        return MX(self.http, self.target, self.client_id, dict(V1))

    # -- sandbox control API -------------------------------------------------------------
    def clock(self) -> dict[str, Any]:
        return self.http.get("/_sandbox/clock").json()

    def freeze(self, now: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"frozen": True}
        if now:
            body["now"] = now
        r = self.http.post("/_sandbox/clock", json=body)
        assert r.status_code == 200, r.text
        return r.json()

    def advance(self, seconds: float) -> dict[str, Any]:
        r = self.http.post("/_sandbox/clock", json={"advance_seconds": seconds})
        assert r.status_code == 200, r.text
        return r.json()

    def events(self, **filters: str) -> list[dict[str, Any]]:
        r = self.http.get("/_sandbox/events", params=filters)
        assert r.status_code == 200, r.text
        return r.json()["events"]

    # -- conveniences ----------------------------------------------------------------------
    def create_user(self, **fields: Any) -> dict[str, Any]:
        r = self.post("/users", json={"user": fields or {"metadata": "contract-test"}})
        assert r.status_code == 200, r.text
        return r.json()["user"]


def new_client(target: Target, client_id: str | None = None, api_key: str = "test-key") -> httpx.Client:
    if target.kind == "int-api":
        auth = (target.client_id or "", target.api_key or "")
    else:
        auth = (client_id or f"test-{uuid.uuid4().hex[:12]}", api_key)
    # `inprocess` needs nothing special: its respx route sends https://int-api.mx.com into the app.
    return httpx.Client(base_url=target.base_url, auth=auth, timeout=30.0, verify=shared_tls())


def int_api_credentials() -> tuple[str, str] | None:
    cid, key = os.environ.get("MX_CLIENT_ID"), os.environ.get("MX_API_KEY")
    return (cid, key) if cid and key else None
