"""The URL and header half of the input limits, checked once for every route before routing (by
http/front.py).

Bodies are checked where they are read (`parsing.read_json`, the consent form); the URL is checked
here, so path parameters and query values of MX routes, the widget page and the OAuth pages all obey
the same `parsing` limits without each route remembering to.
"""
from __future__ import annotations

from itertools import chain
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.types import Scope

from ..core.errors import BadRequest, MXError
from .parsing import MAX_ID_CHARS, MAX_QUERY_CHARS, MAX_QUERY_FIELDS, check_text

MAX_TARGET_BYTES = 8 * 1024  # path and query string, as sent (percent-encoded)
MAX_HEADER_BYTES = 8 * 1024  # all header names and values together
MAX_HEADERS = 100


# The common case: a plain path of short segments (only these bytes, nothing to decode).
_PLAIN_BYTES = b"/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-"


def _is_plain(raw_path: bytes) -> bool:
    """`(/[A-Za-z0-9_.~-]{0,MAX_ID_CHARS})*`, without a regex (bytes.translate runs in C)."""
    if raw_path[:1] not in (b"/", b"") or raw_path.translate(None, _PLAIN_BYTES):
        return False
    return len(raw_path) <= MAX_ID_CHARS or max(map(len, raw_path.split(b"/"))) <= MAX_ID_CHARS


def check_request_head(scope: Scope) -> None:
    """An over-long URL is 414, over-large headers 431, bad text in the URL 400."""
    headers = scope["headers"]
    if len(headers) > MAX_HEADERS or sum(map(len, chain.from_iterable(headers))) > MAX_HEADER_BYTES:
        raise MXError(f"The request headers exceed {MAX_HEADERS} fields or {MAX_HEADER_BYTES} bytes.", 431)
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogatepass")
    raw_path = raw_path.split(b"?", 1)[0]  # some servers (httpx's ASGI transport) include the query
    query: bytes = scope.get("query_string", b"")
    if len(raw_path) + len(query) > MAX_TARGET_BYTES:
        raise MXError(f"The request URL is longer than {MAX_TARGET_BYTES} bytes.", 414)
    if not _is_plain(raw_path):
        for segment in raw_path.split(b"/"):
            check_text(_utf8(unquote_to_bytes(segment), "A path segment"), "A path segment", MAX_ID_CHARS)
    if not query:
        return
    try:
        fields = parse_qsl(query.decode("latin-1"), keep_blank_values=True, errors="strict",
                           max_num_fields=MAX_QUERY_FIELDS)
    except UnicodeDecodeError:
        raise BadRequest("A query parameter is not valid UTF-8.") from None
    except ValueError:
        raise BadRequest(f"A request may have at most {MAX_QUERY_FIELDS} query parameters.") from None
    for name, value in fields:
        check_text(name, "A query parameter name", MAX_ID_CHARS)
        check_text(value, f"The query parameter '{name}'", MAX_QUERY_CHARS)


def _utf8(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(f"{what} is not valid UTF-8.") from None
