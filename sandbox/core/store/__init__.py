"""Persistence: each tenant's ordered log of state-changing requests, behind one store interface.

A tenant's state is a deterministic function of its settings and the requests it handled (with the
host time of each, the secrets minted and the webhook answers received), so that log is what is
stored; restoring a tenant is replaying it (http/persist.py). `LogStore` is the interface;
`MemoryStore` (the default, for snapshots) and `SqliteStore` (`--state-dir`) implement it, and a
server engine could too.
"""
from .base import LogStore, TenantLog
from .memory import MemoryStore
from .sqlite import SqliteStore

__all__ = ["LogStore", "MemoryStore", "SqliteStore", "TenantLog"]
