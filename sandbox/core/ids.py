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

    def token(self, kind: str, length: int = 48) -> str:
        """An opaque lower-case token (widget URLs, OAuth state), deterministic like guids."""
        self._counters[kind] += 1
        out = ""
        n = 0
        while len(out) < length:
            n += 1
            out += hashlib.sha256(f"{self._seed}|{self._tenant}|{kind}|{self._counters[kind]}|{n}".encode()).hexdigest()
        return out[:length]

    def reset(self) -> None:
        self._counters.clear()
