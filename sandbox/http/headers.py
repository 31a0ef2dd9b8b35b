"""A request's headers as a plain dict, built once per request and kept in its scope.

Starlette's `Headers.get` scans the raw header list and re-encodes the name on every lookup; the
request path asks for the same few headers (authorization, accept-version, accept, x-request-id,
the webhook cause headers) several times per call, so one dict is cheaper than many scans.
"""
from __future__ import annotations

from starlette.types import Scope

_KEY = "mx_sandbox.headers"


def header_map(scope: Scope) -> dict[str, str]:
    """Lower-case name → value; for a repeated header the first one wins, as with `Headers.get`."""
    found = scope.get(_KEY)
    if found is None:
        found = scope[_KEY] = {k.decode("latin-1"): v.decode("latin-1") for k, v in reversed(scope["headers"])}
    return found
