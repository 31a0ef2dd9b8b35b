"""Request parsing that never lets bad input reach the core as a crash."""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from ..core.errors import BadRequest, MXError

MAX_BODY_BYTES = 1024 * 1024


class PayloadTooLarge(MXError):
    status = 413


class UnsupportedMediaType(MXError):
    status = 415


async def read_json(request: Request) -> dict[str, Any] | None:
    """The JSON object body, None when there is none. Oversized, non-JSON or non-object → 4xx."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge("The request body is larger than 1 MiB.")
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise PayloadTooLarge("The request body is larger than 1 MiB.")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        return None
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType("Content-Type must be application/json.")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    return body


def require_object(body: dict[str, Any] | None, key: str, allow_empty: bool = False) -> dict[str, Any]:
    """`body[key]` as an object, e.g. the `user` in `{"user": {...}}`."""
    if body is None:
        raise BadRequest("A request body is required.")
    value = body.get(key)
    if value is None:
        raise BadRequest(f"The '{key}' object is required.")
    if not isinstance(value, dict):
        raise BadRequest(f"'{key}' must be an object.")
    if not value and not allow_empty:
        raise BadRequest(f"The '{key}' object cannot be empty.")
    return value


def query_bool(value: str | None, name: str) -> bool | None:
    if value is None or value == "":
        return None
    if value in ("true", "false"):
        return value == "true"
    raise BadRequest(f"{name} must be true or false.")


def field_of(obj: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
    """A typed optional field; the wrong JSON type is a 400, never a crash later."""
    value = obj.get(name, default)
    if value is None:
        return default
    if kind is int and isinstance(value, bool):
        raise BadRequest(f"{name} must be an integer.")
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise BadRequest(f"{name} has the wrong type (expected {names}).")
    return value
