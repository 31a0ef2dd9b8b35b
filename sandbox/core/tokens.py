"""Browser-facing secrets: minted from a CSPRNG, and the app-level directory that maps them to a tenant.

A browser following a widget URL or an OAuth link carries no Basic auth, so the token alone must
lead back to its tenant, and so it must be unguessable: tokens come from `secrets` (192 bits),
never from the seed that makes guids and data reproducible.

The directory is bounded: components forget a token when they drop what it opens (a used or
expired link, a pruned session, a spent OAuth state), a tenant reset or eviction forgets all of
its tokens, and past `MAX_TOKENS` the oldest are dropped.
"""
from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from contextvars import ContextVar
from typing import Callable

TOKEN_BYTES = 24  # 192 bits, written as 48 lower-case hex characters
MAX_TOKENS = 200_000


# Who mints: None = the OS CSPRNG. Persistence (core/store) sets a minter that records each secret
# minted while a request is handled, and on replay one that hands the recorded secrets back.
_MINTER: ContextVar[Callable[[int], str] | None] = ContextVar("mx_sandbox_minter", default=None)


def new_token(nbytes: int = TOKEN_BYTES) -> str:
    """An opaque lower-case hex token with `nbytes * 8` bits from the OS CSPRNG (or the active minter)."""
    minter = _MINTER.get()
    return minter(nbytes) if minter is not None else secrets.token_hex(nbytes)


class minting:
    """`with minting(minter)`: route `new_token` through `minter` in this context (a request being
    recorded or replayed). A class, not a generator: every request enters one."""

    __slots__ = ("minter", "_reset")

    def __init__(self, minter: Callable[[int], str]) -> None:
        self.minter = minter

    def __enter__(self) -> None:
        self._reset = _MINTER.set(self.minter)

    def __exit__(self, *exc: object) -> None:
        _MINTER.reset(self._reset)


class TokenDirectory:
    def __init__(self, limit: int = MAX_TOKENS) -> None:
        self._owners: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._by_owner: dict[str, set[tuple[str, str]]] = {}
        self._limit = limit
        self._lock = threading.Lock()
        self._kinds: set[str] = set()

    def register(self, kind: str, token: str, client_id: str) -> None:
        with self._lock:
            key = (kind, token)
            self._kinds.add(kind)
            self._owners[key] = client_id
            self._by_owner.setdefault(client_id, set()).add(key)
            while len(self._owners) > self._limit:
                old, owner = self._owners.popitem(last=False)
                self._by_owner.get(owner, set()).discard(old)

    def owner(self, kind: str, token: str) -> str | None:
        """The client_id that minted `token`, or None for a token nobody minted (or one forgotten)."""
        return self._owners.get((kind, token))

    def taken_by_other(self, token: str, client_id: str) -> bool:
        """Does another tenant hold `token` (of any kind)? A snapshot loaded twice mints afresh."""
        return any(self._owners.get((kind, token), client_id) != client_id for kind in self._kinds)

    def forget(self, kind: str, token: str) -> None:
        with self._lock:
            owner = self._owners.pop((kind, token), None)
            if owner is not None:
                self._by_owner.get(owner, set()).discard((kind, token))

    def forget_owner(self, client_id: str) -> None:
        """Drop every token a tenant minted (its reset or eviction)."""
        with self._lock:
            for key in self._by_owner.pop(client_id, set()):
                self._owners.pop(key, None)

    def __len__(self) -> int:
        return len(self._owners)
