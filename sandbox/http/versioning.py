"""API version negotiation, under one of two policies (docs/decisions.md "Version negotiation").

MX made `Accept-Version` mandatory on 2026-08-12 (its migration guide); before that a version in
`Accept` (`application/vnd.mx.api.v1+json`), or none at all, gave v20111101.

- `strict` (the default, MX since the cutoff): `Accept-Version: v20250224` or `v20111101` on
  every call; anything else is a 406.
- `lenient` (MX before the cutoff): `Accept-Version` still wins when sent; without it the answer is
  v20111101 in its media type, whatever `Accept` says.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..core.errors import NotAcceptable
from ..core.versions import SUPPORTED, V2011, V2025

__all__ = ["SUPPORTED", "V2011", "V2025", "POLICIES", "STRICT", "LENIENT", "negotiate", "requested_version",
           "media_type", "policy_of"]
V1_MEDIA_TYPE = "application/vnd.mx.api.v1+json"
# What MX's statement download sends and answers with (both specs).
V1_PDF_MEDIA_TYPE = "application/vnd.mx.api.v1+pdf"
STRICT = "strict"
LENIENT = "lenient"
POLICIES = (STRICT, LENIENT)
CUTOFF = "2026-08-12"


def negotiate(headers: Mapping[str, str], policy: str = STRICT) -> str:
    requested = (headers.get("accept-version") or "").strip()
    if requested:
        if requested in SUPPORTED:
            return requested
        raise NotAcceptable(
            f"Accept-Version '{requested}' is not a supported API version. Use {V2025} (or {V2011}).")
    if policy == LENIENT:
        return V2011
    raise NotAcceptable(
        f"An API version is required on every call since {CUTOFF}: send 'Accept-Version: {V2025}' "
        f"(or 'Accept-Version: {V2011}')."
    )


def requested_version(headers: Mapping[str, str], policy: str = STRICT) -> str | None:
    """The version a request asks for, or None: lets errors raised before negotiation (401, unknown
    route) answer in the media type the client expects."""
    try:
        return negotiate(headers, policy)
    except NotAcceptable:
        if V1_MEDIA_TYPE in (headers.get("accept") or ""):
            return V2011  # refused for want of Accept-Version, but answered in the type it asked for
        return None


def policy_of(app: Any) -> str:
    """The serving app's policy (`app.state.versioning`), strict when it has none."""
    return getattr(getattr(app, "state", None), "versioning", None) or STRICT


def media_type(version: str | None) -> str:
    return V1_MEDIA_TYPE if version == V2011 else "application/json"
