"""API version negotiation, as MX does it.

`Accept-Version: v20250224` selects v20250224; `Accept: application/vnd.mx.api.v1+json` (or the
statement download's `application/vnd.mx.api.v1+pdf`) without an Accept-Version selects v20111101
(answered with that media type). Anything else is a 406.
"""
from __future__ import annotations

from typing import Mapping

from ..core.errors import NotAcceptable
from ..core.versions import SUPPORTED, V2011, V2025

__all__ = ["SUPPORTED", "V2011", "V2025", "negotiate", "requested_version", "media_type"]
V1_MEDIA_TYPE = "application/vnd.mx.api.v1+json"
# What MX's statement download sends and answers with (both specs).
V1_PDF_MEDIA_TYPE = "application/vnd.mx.api.v1+pdf"


def negotiate(headers: Mapping[str, str]) -> str:
    requested = (headers.get("accept-version") or "").strip()
    if requested:
        if requested in SUPPORTED:
            return requested
        raise NotAcceptable(f"Accept-Version '{requested}' is not a supported API version. Use {V2025}.")
    accept = headers.get("accept") or ""
    if V1_MEDIA_TYPE in accept or V1_PDF_MEDIA_TYPE in accept:
        return V2011
    raise NotAcceptable(
        f"An API version is required: send 'Accept-Version: {V2025}' "
        f"(or 'Accept: {V1_MEDIA_TYPE}' for v20111101)."
    )


def requested_version(headers: Mapping[str, str]) -> str | None:
    """The version a request asks for, or None: lets errors raised before negotiation (401, unknown
    route) answer in the media type the client expects."""
    try:
        return negotiate(headers)
    except NotAcceptable:
        return None


def media_type(version: str | None) -> str:
    return V1_MEDIA_TYPE if version == V2011 else "application/json"
