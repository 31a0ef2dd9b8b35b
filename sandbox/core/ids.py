"""Deterministic MX-style GUIDs: `PREFIX-uuid`, the same for the same seed, tenant and order."""
from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict


def stable_uuid(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return str(uuid.UUID(bytes=digest[:16]))


class GuidFactory:
    """Mints guids from (seed, tenant, prefix, counter) so runs repeat exactly.

    The tenant is part of the hash, so a guid minted in one tenant never exists in another.
    """

    def __init__(self, seed: int, tenant: str) -> None:
        self._seed = seed
        self._tenant = tenant
        self._counters: dict[str, int] = defaultdict(int)

    def new(self, prefix: str) -> str:
        self._counters[prefix] += 1
        return f"{prefix}-{stable_uuid(self._seed, self._tenant, prefix, self._counters[prefix])}"

    def reset(self) -> None:
        self._counters.clear()
