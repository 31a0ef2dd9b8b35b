"""Request parsing that never lets bad input reach the core as a crash."""
from __future__ import annotations

import json
import math
import re
from typing import Any

from starlette.requests import Request

from ..core.errors import BadRequest, MXError

# Input limits (docs/decisions.md "Input limits"): every string from a body, a form, a query or a
# path passes `check_text` before a handler sees it, so nothing unencodable or unbounded is stored.
MAX_BODY_BYTES = 1024 * 1024
MAX_ID_CHARS = 255  # a path segment, a field name, and JSON ids (`id`, `guid`, `*_id`, `*_guid`)
MAX_TEXT_CHARS = 10_000  # any other JSON string value, e.g. `metadata`
MAX_QUERY_CHARS = 2048  # one query-string value
MAX_QUERY_FIELDS = 100
MAX_JSON_DEPTH = 32  # MX bodies nest three or four levels
MAX_JSON_VALUES = 10_000  # MX bodies hold tens; bounds the walk below to a few milliseconds
MAX_JSON_INT = 2**63 - 1
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")  # NUL, and lone surrogates (not encodable as UTF-8)


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
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise UnsupportedMediaType("Content-Type must be application/json.")
    try:
        body = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise BadRequest(f"The request body is nested more than {MAX_JSON_DEPTH} levels deep.") from None
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    check_json(body)
    return body


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: Python's json accepts them, JSON does not


def check_text(value: str, what: str, limit: int = MAX_ID_CHARS) -> str:
    """`value` unchanged if it is storable: at most `limit` characters, no NUL, no lone surrogate."""
    if len(value) > limit:
        raise BadRequest(f"{what} is longer than {limit} characters.")
    bad = _UNSTORABLE.search(value)
    if bad is not None:
        problem = "a NUL character" if bad.group() == "\x00" else "a character that cannot be encoded as UTF-8"
        raise BadRequest(f"{what} contains {problem}.")
    return value


def _is_id(name: str) -> bool:
    return name in ("id", "guid") or name.endswith(("_id", "_guid"))


def check_json(body: Any) -> None:
    """Depth, field names, strings and numbers of a decoded body; iterative, so depth costs no stack."""
    pending: list[tuple[Any, int, str]] = [(body, 1, "")]
    values = 1
    while pending:
        value, depth, name = pending.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise BadRequest(f"The request body is nested more than {MAX_JSON_DEPTH} levels deep.")
            values += len(value)
            if values > MAX_JSON_VALUES:
                raise BadRequest(f"The request body holds more than {MAX_JSON_VALUES} values.")
        if isinstance(value, dict):
            for key, item in value.items():
                check_text(key, "A field name")
                pending.append((item, depth + 1, key))
        elif isinstance(value, list):
            pending.extend((item, depth + 1, name) for item in value)
        elif isinstance(value, str):
            check_text(value, f"'{name}'" if name else "A value", MAX_ID_CHARS if _is_id(name) else MAX_TEXT_CHARS)
        elif isinstance(value, float) and not math.isfinite(value):
            raise BadRequest(f"'{name}' is out of range.")
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_JSON_INT:
            raise BadRequest(f"'{name}' is out of range.")


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


# Rails' boolean casting, which MX's servers use (docs/decisions.md "Boolean query parameters"):
# ActiveModel's FALSE_VALUES and ActiveRecord 4's TRUE_VALUES, in any case. Rails reads any other
# non-blank value as true; the sandbox refuses it, so `is_manual=no` is a 400, not a silent true.
QUERY_TRUE = frozenset({"true", "t", "1", "on"})
QUERY_FALSE = frozenset({"false", "f", "0", "off"})


def query_bool(value: str | None, name: str) -> bool | None:
    """A boolean query parameter; absent or blank → None (Rails casts "" to nil)."""
    if value is None or value == "":
        return None
    folded = value.lower()
    if folded in QUERY_TRUE:
        return True
    if folded in QUERY_FALSE:
        return False
    raise BadRequest(f"{name} must be a boolean: true or false (also t/f, 1/0, on/off, any case).")


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
