"""HTTP Basic `client_id:api_key`. Each client_id is a tenant."""
from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Mapping

import yaml

from ..core.errors import Unauthorized

UNAUTHORIZED_MESSAGE = "Unauthorized. Check your client_id and api_key."
MAX_CLIENT_ID_CHARS = 255  # as for every other id (docs/decisions.md, "Input limits")


def load_credentials(path: Path) -> dict[str, str]:
    """A YAML/JSON file: either {client_id: api_key} or a list of {client_id, api_key}."""
    data = yaml.safe_load(path.read_text())
    if isinstance(data, dict):
        return {str(k): str(v) for k, v in data.items()}
    return {str(item["client_id"]): str(item["api_key"]) for item in data or []}


def client_id_from(headers: Mapping[str, str], allowed: dict[str, str] | None) -> str:
    header = headers.get("authorization") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise Unauthorized(UNAUTHORIZED_MESSAGE)
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Unauthorized(UNAUTHORIZED_MESSAGE) from None
    client_id, sep, api_key = decoded.partition(":")
    if not sep or not client_id or not api_key:
        raise Unauthorized(UNAUTHORIZED_MESSAGE)
    if len(client_id) > MAX_CLIENT_ID_CHARS or "\x00" in client_id:  # it names a stored tenant
        raise Unauthorized(UNAUTHORIZED_MESSAGE)
    if allowed is not None and allowed.get(client_id) != api_key:
        raise Unauthorized(UNAUTHORIZED_MESSAGE)
    return client_id
