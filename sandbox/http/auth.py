"""HTTP Basic `client_id:api_key`. Each client_id is a tenant."""
from __future__ import annotations

import base64
import functools
import binascii
from pathlib import Path
from typing import Any, Mapping

from ..core.errors import Unauthorized
from ..core.yamlfile import EntryError, read_fixture

UNAUTHORIZED_MESSAGE = "Unauthorized. Check your client_id and api_key."
MAX_CLIENT_ID_CHARS = 255  # as for every other id (docs/decisions.md, "Input limits")


def load_credentials(path: Path) -> dict[str, str]:
    """A YAML/JSON file: either {client_id: api_key} or a list of {client_id, api_key}. Anything that
    would silently refuse or admit the wrong clients (an empty file, `tenantA:` with no key) stops start-up."""
    return read_fixture(path, _pairs)


def _pairs(data: Any) -> dict[str, str]:
    if isinstance(data, dict):
        pairs = [((key,), key, value) for key, value in data.items()]
    elif isinstance(data, list):
        pairs = [((i,), _field(item, i, "client_id"), _field(item, i, "api_key")) for i, item in enumerate(data)]
    elif data is None:
        raise ValueError("the file is empty: list `client_id: api_key` pairs (an empty file would refuse everyone)")
    else:
        raise ValueError("expected `client_id: api_key` lines or a list of {client_id, api_key}")
    if not pairs:
        raise ValueError("no `client_id: api_key` pairs (an empty list would refuse everyone)")
    return {_text(keys, client_id, "client_id"): _text(keys, api_key, "api_key") for keys, client_id, api_key in pairs}


def _field(item: Any, index: int, name: str) -> Any:
    if not isinstance(item, dict):
        raise EntryError((index,), "expected a mapping with client_id and api_key")
    return item.get(name)


def _text(keys: tuple[Any, ...], value: Any, name: str) -> str:
    """Strings and numbers only: YAML reads `tenantA:` as null and `key: no` as false."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise EntryError(keys, f"{name} must be a non-empty string, got {value!r}")
    if name == "client_id" and ":" in str(value):
        raise EntryError(keys, "a client_id cannot contain ':' (HTTP Basic splits on it)")
    return str(value)


def client_id_from(headers: Mapping[str, str], allowed: dict[str, str] | None) -> str:
    client_id, api_key = _basic(headers.get("authorization") or "")
    if allowed is not None and allowed.get(client_id) != api_key:
        raise Unauthorized(UNAUTHORIZED_MESSAGE)
    return client_id


def credentials_from(headers: Mapping[str, str], allowed: dict[str, str] | None) -> tuple[str, str]:
    """(client_id, api_key) of a valid request: for work the server then does on the caller's behalf."""
    client_id = client_id_from(headers, allowed)
    return client_id, _basic(headers.get("authorization") or "")[1]


def basic_credentials(headers: Mapping[str, str]) -> tuple[str, str]:
    """The `(id, key)` pair of a Basic header, unchecked against any file (a processor's
    `processor_id:api_key`: processors are not tenants); a missing or malformed header is a 401."""
    return _basic(headers.get("authorization") or "")


@functools.lru_cache(maxsize=4096)  # a client sends the same header on every call: decode it once
def _basic(header: str) -> tuple[str, str]:
    """`Basic base64(client_id:api_key)` → (client_id, api_key); refusals raise (and are not cached)."""
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
    return client_id, api_key
