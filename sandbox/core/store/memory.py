"""The default store: logs in memory, so `GET /_sandbox/snapshot` works without a state dir."""
from __future__ import annotations

import threading

from .base import Entry, Meta, TenantLog


class MemoryStore:
    durable = False

    def __init__(self) -> None:
        self._logs: dict[str, TenantLog] = {}
        self._lock = threading.Lock()

    def load(self) -> dict[str, TenantLog]:
        return dict(self._logs)

    def get(self, client_id: str) -> TenantLog | None:
        return self._logs.get(client_id)

    def append(self, client_id: str, seq: int, entry: Entry, meta: Meta | None = None) -> None:
        with self._lock:
            log = self._logs.get(client_id)
            if log is None or meta is not None:
                log = self._logs[client_id] = TenantLog(meta or {}, [])
            log.entries.append(entry)

    def replace(self, client_id: str, log: TenantLog) -> None:
        with self._lock:
            self._logs[client_id] = TenantLog(log.meta, list(log.entries))

    def drop(self, client_id: str) -> None:
        with self._lock:
            self._logs.pop(client_id, None)

    def close(self) -> None:
        self._logs.clear()
