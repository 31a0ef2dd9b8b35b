"""The store interface: per tenant, a header (`meta`) and its entries in order, durable on return."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

Entry = dict[str, Any]  # {"kind": "request" | "settle" | "webhook", "wall": host seconds, ...}
Meta = dict[str, Any]  # {"settings": {...}, "namespace": str, "born_wall": float}


@dataclass
class TenantLog:
    meta: Meta
    entries: list[Entry] = field(default_factory=list)


class LogStore(Protocol):
    durable: bool  # True: an append survives the process (and answers wait for it)

    def load(self) -> dict[str, TenantLog]:
        """Every stored tenant (start-up)."""

    def get(self, client_id: str) -> TenantLog | None:
        """One tenant's header and entries, or None when it has none."""

    def append(self, client_id: str, seq: int, entry: Entry, meta: Meta | None = None) -> None:
        """Add entry `seq` (1, 2, …); `meta` with the first one. Committed before returning."""

    def replace(self, client_id: str, log: TenantLog) -> None:
        """Swap the tenant's header and entries at once (a reset, a snapshot load)."""

    def drop(self, client_id: str) -> None:
        """Forget the tenant (evicted)."""

    def close(self) -> None:
        """Release files and connections."""
