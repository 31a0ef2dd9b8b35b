"""App-level lookup of browser-facing tokens (OAuth `state`, ...) → the tenant that minted them.

A browser following a link carries no Basic auth, so the token alone must lead back to its tenant.
Tokens are namespaced by kind; the tenant's own component still decides whether a token is live
(a tenant reset forgets every token it minted, whatever this directory says).
"""
from __future__ import annotations

import threading


class TokenDirectory:
    def __init__(self) -> None:
        self._owners: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def register(self, kind: str, token: str, client_id: str) -> None:
        with self._lock:
            self._owners[(kind, token)] = client_id

    def owner(self, kind: str, token: str) -> str | None:
        """The client_id that minted `token`, or None for a token nobody minted."""
        return self._owners.get((kind, token))
