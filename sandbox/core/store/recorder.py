"""What gets logged, and when: a `Capture` per request (or driver settle, or webhook answer), committed
by the tenant's gate on release, before the answer goes out.

Every state change happens under the tenant's gate (http/driver.py), so the gate is where the log
is written: whatever route a request took, if it changed state it is appended, in the order the
gate admitted it. A request is logged when its method is not GET/HEAD/OPTIONS, when it minted a
secret (a widget page load, an OAuth window URI), or when its route calls `Capture.mark_write`.
A rebuilt tenant (reset, snapshot load) starts its log afresh from the request that rebuilt it.
"""
from __future__ import annotations

import contextlib
import dataclasses
import secrets
from contextvars import ContextVar
from typing import Any, Callable, Iterator

from ..clock import format_instant
from ..errors import MXError
from ..tokens import minting
from .base import Entry, LogStore, Meta, TenantLog

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_LOG_ENTRIES = 50_000  # per tenant since its last reset; see docs/decisions.md
SKIPPED_SETTINGS = frozenset({"public_url"})  # the serving process's, not the tenant's


class LogFull(MXError):
    status = 507


class PersistFailed(MXError):
    status = 503


class Capture:
    """One unit of logged work. Recording: mints real secrets and keeps them. Replaying: hands the
    recorded ones back, in order (`replaying`), and logs nothing."""

    # Defaults as class attributes: every request makes a capture, and most keep these.
    skip = False  # e.g. a snapshot load, which rewrites the log itself
    writes = False
    short = 0  # replay: secrets asked for beyond those recorded (a divergence)
    _generation = 0
    _wall = 0.0
    _at = 0.0  # virtual time on entering the gate; formatted only for an entry that is kept

    def __init__(self, recorder: "Recorder | None", kind: str, data: dict[str, Any] | None = None,
                 replaying: list[str] | None = None, fresh: Callable[[str], bool] | None = None) -> None:
        self.recorder = recorder
        self.kind = kind
        self.data: dict[str, Any] = data if data is not None else {}
        self.replaying = replaying
        self.fresh = fresh  # replay: True when a recorded secret is taken by another tenant
        self.minted: list[str] = []

    def entry_data(self) -> dict[str, Any]:
        """What the entry holds besides kind and time (a request capture adds path, body, …)."""
        return self.data

    def mark_write(self) -> None:
        """A GET route that changes state without minting calls this, so it is logged."""
        self.writes = True

    def mint(self, nbytes: int) -> str:
        if self.replaying is None:
            token = secrets.token_hex(nbytes)
        elif self.replaying:
            token = self.replaying.pop(0)
            if self.fresh is not None and self.fresh(token):
                token = secrets.token_hex(nbytes)
        else:
            self.short += 1
            token = secrets.token_hex(nbytes)
        self.minted.append(token)
        return token

    @property
    def method(self) -> str:
        return self.data.get("method", "")

    def enter(self, tenant: Any) -> None:
        self._generation = tenant.generation
        self._wall = tenant.wall()
        self._at = tenant.clock.now()
        if self.recorder is not None and self.replaying is None and not self.skip and self.method not in SAFE_METHODS:
            self.recorder.check_room(tenant.client_id)

    def exit(self, tenant: Any) -> None:
        if self.recorder is None or self.replaying is not None or self.skip:
            return
        if self.kind == "request" and self.method in SAFE_METHODS and not self.minted and not self.writes:
            return
        entry: Entry = {"kind": self.kind, "wall": self._wall, "at": format_instant(self._at), **self.entry_data()}
        if self.kind == "request":
            entry["secrets"] = list(self.minted)
        self.recorder.commit(tenant, entry, restarted=tenant.generation != self._generation)


CAPTURE: ContextVar[Capture | None] = ContextVar("mx_sandbox_capture", default=None)


class capturing:
    """`with capturing(capture)`: make `capture` the current one (the gate commits it) and route
    minted secrets through it. A class, not a generator: every request enters one."""

    __slots__ = ("capture", "_token", "_minting")

    def __init__(self, capture: Capture) -> None:
        self.capture = capture

    def __enter__(self) -> Capture:
        self._token = CAPTURE.set(self.capture)
        self._minting = minting(self.capture.mint)
        self._minting.__enter__()
        return self.capture

    def __exit__(self, *exc: Any) -> None:
        try:
            self._minting.__exit__(*exc)
        finally:
            CAPTURE.reset(self._token)


@contextlib.contextmanager
def recorded(recorder: "Recorder | None", kind: str, data: dict[str, Any]) -> Iterator[None]:
    """Background work under a gate (a driver settle, a webhook answer) that the log must hold."""
    if recorder is None:
        yield
        return
    with capturing(Capture(recorder, kind, data)):
        yield


def meta_of(tenant: Any) -> Meta:
    settings = {k: v for k, v in dataclasses.asdict(tenant.settings).items() if k not in SKIPPED_SETTINGS}
    return {"settings": settings, "namespace": tenant.namespace, "born_wall": tenant.born_wall}


class Recorder:
    """The app's log writer over a `LogStore`: sequence numbers, the per-tenant limit, restarts."""

    def __init__(self, store: LogStore, limit: int = MAX_LOG_ENTRIES) -> None:
        self.store = store
        self.limit = limit
        self._seq: dict[str, int] = {}
        self.overflowed: set[str] = set()  # in-memory logs past the limit: no snapshot until a reset

    @property
    def durable(self) -> bool:
        return self.store.durable

    def check_room(self, client_id: str) -> None:
        if self.store.durable and self._seq.get(client_id, 0) >= self.limit:
            raise LogFull(f"This tenant has made {self.limit} changes since its last reset, the most the "
                          "state dir keeps: reset it (POST /_sandbox/reset) or load a snapshot.")

    def commit(self, tenant: Any, entry: Entry, restarted: bool = False) -> None:
        cid = tenant.client_id
        try:
            if restarted:
                self.replace(cid, TenantLog(meta_of(tenant), [entry]))
                return
            if cid in self.overflowed:
                return
            seq = self._seq.get(cid, 0) + 1
            if seq > self.limit and not self.store.durable:
                self.overflowed.add(cid)
                self.store.drop(cid)
                return
            self.store.append(cid, seq, entry, meta_of(tenant) if seq == 1 else None)
            self._seq[cid] = seq
        except Exception as error:  # noqa: BLE001 - sqlite3.Error, OSError, whatever an engine raises
            raise PersistFailed(f"The sandbox could not save this change ({type(error).__name__}).") from None

    def replace(self, client_id: str, log: TenantLog) -> None:
        self.store.replace(client_id, log)
        self._seq[client_id] = len(log.entries)
        self.overflowed.discard(client_id)

    def adopt(self, client_id: str, log: TenantLog) -> None:
        """A log read back at start-up: appends continue after it."""
        self._seq[client_id] = len(log.entries)

    def log_of(self, client_id: str) -> TenantLog | None:
        if client_id in self.overflowed:
            raise MXError(f"This tenant has made more than {self.limit} changes since its last reset, more "
                          "than a snapshot holds: reset it and build the state again.", 409)
        return self.store.get(client_id)

    def forget(self, client_id: str) -> None:
        self.store.drop(client_id)
        self._seq.pop(client_id, None)
        self.overflowed.discard(client_id)
