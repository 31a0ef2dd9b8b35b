"""Recording requests into the tenant's log, and rebuilding tenants by replaying it.

`capture_request` (called by http/front.py) gives every request a capture: the gate commits it on release
if the request changed state (core/store/recorder.py). It keeps the request as the app read it:
method, path, query, the headers that matter (not credentials: replay signs as the tenant), the
body and the secrets minted. `restore_tenant` replays a log through the whole app, in-process,
with the tenant's host clock pinned to each entry's time, holding the tenant's gate throughout.
"""
from __future__ import annotations

import base64
import logging
import sqlite3
import time
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope

from ..core.store import MemoryStore, SqliteStore, TenantLog
from ..core.store.recorder import Capture, Recorder
from ..core.tenant import Tenant, TenantSettings
from .driver import catch_up, gate, holding

LOG = logging.getLogger("mx_sandbox.persist")
REPLAY_KEY = "mx_sandbox.replay"
# Not kept: credentials (replay signs as the tenant), and what only the connection cares about.
UNKEPT_HEADERS = frozenset({b"authorization", b"proxy-authorization", b"cookie", b"host", b"content-length",
                            b"connection", b"keep-alive", b"transfer-encoding", b"te", b"upgrade",
                            b"user-agent", b"accept-encoding", b"x-request-id"})


def open_recorder(state_dir: Path | None) -> Recorder:
    if state_dir is None:
        return Recorder(MemoryStore())
    try:
        return Recorder(SqliteStore(state_dir))
    except (OSError, sqlite3.Error) as error:
        raise ValueError(f"--state-dir {state_dir}: {error}") from None


class _RequestCapture(Capture):
    def __init__(self, recorder: Recorder, scope: Scope) -> None:
        super().__init__(recorder, "request", {"method": scope["method"]})
        self.scope = scope
        self.chunks: list[bytes] = []

    def entry_data(self) -> dict[str, Any]:
        scope = self.scope
        raw = b"".join(self.chunks)
        try:
            body: str | None = raw.decode("utf-8") if raw else None
            extra = {}
        except UnicodeDecodeError:
            body, extra = None, {"body_base64": base64.b64encode(raw).decode("ascii")}
        headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"] if k not in UNKEPT_HEADERS]
        return {"method": scope["method"], "path": scope["path"],
                "query": scope.get("query_string", b"").decode("latin-1"), "headers": headers, "body": body, **extra}


def capture_request(scope: Scope, receive: Receive) -> tuple[Capture, Receive]:
    """The request's capture (a replay brings its own) and the `receive` the app should read from."""
    capture = scope.get(REPLAY_KEY)
    if capture is not None:
        return capture, receive
    capture = _RequestCapture(scope["app"].state.recorder, scope)
    return capture, _keeping(receive, capture.chunks)


def _keeping(receive: Receive, chunks: list[bytes]) -> Receive:
    """`receive`, keeping the body chunks the app reads (it reads them before taking the gate)."""

    async def receive_kept() -> Message:
        message = await receive()
        if message["type"] == "http.request" and message.get("body"):
            chunks.append(message["body"])
        return message

    return receive_kept


def _body_of(entry: dict[str, Any]) -> bytes:
    if entry.get("body_base64"):
        return base64.b64decode(entry["body_base64"])
    return (entry.get("body") or "").encode("utf-8")


async def dispatch(app: ASGIApp, tenant: Tenant, entry: dict[str, Any], api_key: str) -> tuple[int, Capture]:
    """Send one logged request through the app again; its answer's status and the secrets it used."""
    tokens = tenant.tokens
    capture = Capture(None, "request", {"method": entry["method"]}, replaying=list(entry["secrets"]),
                      fresh=lambda token: tokens.taken_by_other(token, tenant.client_id))
    basic = base64.b64encode(f"{tenant.client_id}:{api_key}".encode()).decode("ascii")
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in entry["headers"]]
    body = _body_of(entry)
    headers += [(b"authorization", f"Basic {basic}".encode()), (b"content-length", str(len(body)).encode())]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": entry["method"],
             "scheme": "http", "path": entry["path"], "raw_path": entry["path"].encode("utf-8"),
             "query_string": entry["query"].encode("latin-1"), "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 0), "server": ("127.0.0.1", 0), REPLAY_KEY: capture}
    sent = False
    status = 0

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status, capture


class _PinnedWall:
    """The host clock a replayed tenant reads: the time each entry was handled at."""

    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


def settings_from(base: TenantSettings, stored: dict[str, Any]) -> TenantSettings:
    """The server's settings with the tenant's stored ones over them (a snapshot's seed, clock, …)."""
    known = {f.name: f for f in fields(TenantSettings)}
    given = {k: v for k, v in stored.items() if k in known and k != "public_url"
             and (v is None or isinstance(v, type(getattr(base, k))) or isinstance(v, (int, float)) and isinstance(getattr(base, k), (int, float)))}
    return replace(base, **given)


async def restore_tenant(app: Any, tenant: Tenant, log: TenantLog, rebase: bool) -> tuple[TenantLog, int]:
    """Rebuild `tenant` from `log` (the caller holds its gate). Returns the log as replayed (secrets a
    second copy of a snapshot had to mint afresh replace the recorded ones) and how many entries
    diverged (a 5xx, or a different number of secrets than recorded). `rebase`: a running clock goes
    on from the last entry's virtual time (a snapshot) rather than having moved on (a restart)."""
    registry = app.state.tenants
    credentials = app.state.credentials or {}
    notify, tenant.webhook_notify = tenant.webhook_notify, None  # nothing replayed is sent again
    pinned = _PinnedWall(float(log.meta.get("born_wall") or time.time()))
    tenant.wall = pinned
    tenant.settings = settings_from(registry.settings, log.meta.get("settings", {}))
    tenant.namespace = log.meta.get("namespace") or tenant.client_id
    tenant.reset()
    entries, diverged = [], 0
    try:
        with holding(tenant):
            for entry in log.entries:
                pinned.at = float(entry["wall"])
                if entry["kind"] == "request":
                    status, capture = await dispatch(app, tenant, entry, credentials.get(tenant.client_id, "replay"))
                    if status >= 500 or capture.short or capture.replaying:
                        diverged += 1
                    if capture.minted != entry["secrets"]:
                        entry = {**entry, "secrets": capture.minted}
                elif entry["kind"] == "settle":
                    await catch_up(tenant)
                else:
                    _replay_answer(tenant, entry)
                    await catch_up(tenant)
                entries.append(entry)
    finally:
        virtual = tenant.clock.now()
        tenant.wall = time.time
        if rebase and not tenant.clock.frozen:
            tenant.clock.set(virtual, allow_backwards=True)
        tenant.webhooks.outbox.resend_in_flight()
        tenant.webhook_notify = notify
        if notify is not None:
            notify(tenant)
    if diverged:
        LOG.warning("tenant %s: %d of %d replayed entries diverged", tenant.client_id, diverged, len(entries))
    return TenantLog(log.meta, entries), diverged


def _replay_answer(tenant: Tenant, entry: dict[str, Any]) -> None:
    from ..core.webhooks.outbox import Send

    send = Send(entry["delivery"], entry["number"], entry.get("url", ""), None, 0.0, {}, entry.get("type", ""))
    tenant.webhooks.outbox.record(send, entry.get("status"), entry.get("error"), float(entry.get("latency_ms") or 0),
                                  entry.get("retry_after"))


async def restore_all(app: Any) -> None:
    """Start-up with a state dir: every stored tenant, rebuilt before the first request is served."""
    recorder: Recorder = app.state.recorder
    if not recorder.durable:
        return
    started = time.perf_counter()
    logs = recorder.store.load()
    for client_id, log in logs.items():
        tenant = app.state.tenants.get(client_id)
        async with gate(tenant):
            replayed, _ = await restore_tenant(app, tenant, log, rebase=False)
        recorder.adopt(client_id, replayed)
    if logs:
        LOG.info("restored %d tenant(s) from the state dir in %.2f s", len(logs), time.perf_counter() - started)
