"""The request journal: every MX call a tenant made, to list, count and verify against.

A subscriber of the event bus, like the timeline: it indexes the last `JOURNAL_LIMIT` `ApiCalled`
events (the same objects the timeline holds) under increasing ids, so a client can page through
them with a cursor. One `PathMatcher` (a route template, a literal path or a `^regex`) serves the
list, the count, the near misses and the fault rules, so they all read a path the same way.
Bodies are redacted (`redact`) before anything keeps them.
"""
from __future__ import annotations

import difflib
import functools
import re
from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from .clock import format_instant
from .errors import BadRequest
from .events import ApiCalled, EventBus

JOURNAL_LIMIT = 5_000  # requests kept per tenant (older ones drop off; `dropped` says how many)
PAGE_LIMIT = 1_000  # most entries one GET /_sandbox/requests returns
DEFAULT_PAGE = 100
MAX_PATTERN_CHARS = 500
NEAR_MISSES = 10
# A quantified group that itself holds a quantifier, e.g. `(a+)+`: refused, it can backtrack for ever.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[*+}?](?:[^()\\]|\\.)*\)[*+{]")
_PARAM = re.compile(r"\{[^{}/]*\}")


@dataclass(frozen=True)
class PathMatcher:
    """`path` as a client gives it: `^...` is a regex (searched); otherwise a route template whose
    `{params}` match one segment each (`/users/{user_guid}/members`), or a literal path."""

    text: str
    regex: re.Pattern[str]
    is_regex: bool

    @classmethod
    def parse(cls, text: Any, name: str = "path") -> "PathMatcher":
        if not isinstance(text, str) or not text:
            raise BadRequest(f"{name} must be a non-empty string.")
        if len(text) > MAX_PATTERN_CHARS:
            raise BadRequest(f"{name} must be at most {MAX_PATTERN_CHARS} characters.")
        if text.startswith("^"):
            if _NESTED_QUANTIFIER.search(text) or re.search(r"\\[1-9]", text):
                raise BadRequest(f"{name}: nested quantifiers and backreferences are not allowed in a regex.")
            try:
                return cls(text, re.compile(text), True)
            except re.error as error:
                raise BadRequest(f"{name} is not a valid regular expression: {error}.") from None
        if not text.startswith("/"):
            raise BadRequest(f"{name} must start with / (a path or route template) or ^ (a regex).")
        parts = _PARAM.split(text)
        pattern = "[^/]+".join(re.escape(p) for p in parts)
        return cls(text, re.compile(pattern + r"\Z"), False)

    def matches(self, call: ApiCalled) -> bool:
        return self.matches_path(call.path, call.route)

    def matches_path(self, path: str, route: str) -> bool:
        if self.is_regex:
            return self.regex.search(path) is not None
        return _shape(self.text) == _shape(route) or self.regex.match(path) is not None

    def similarity(self, call: ApiCalled) -> float:
        """How close a call's path is to this one (0..1), for near misses."""
        mine = self.text if self.is_regex else _shape(self.text)
        theirs = _shape(call.route) if call.route else _ID_SEGMENT.sub("/{}", call.path)
        return max(difflib.SequenceMatcher(None, mine, theirs).ratio(),
                   difflib.SequenceMatcher(None, self.text, call.path).ratio())


@functools.lru_cache(maxsize=4096)  # route templates and rule paths: a few hundred in practice
def _shape(template: str) -> str:
    return _PARAM.sub("{}", template)


# A path segment that is an id rather than a word (USR-…, a number): how an unrouted call gets a shape.
_ID_SEGMENT = re.compile(r"/(?=[^/]*[0-9])[^/]+")


def status_filter(text: Any) -> Callable[[int | None], bool]:
    """`429`, `"429"` or a class such as `"5xx"`."""
    value = str(text).strip().lower()
    if re.fullmatch(r"[1-5]xx", value):
        return lambda status: status is not None and status // 100 == int(value[0])
    if re.fullmatch(r"[1-5][0-9][0-9]", value):
        return lambda status: status == int(value)
    raise BadRequest("status must be a status code (429) or a class (5xx).")


@dataclass(frozen=True)
class Query:
    method: str | None = None
    path: PathMatcher | None = None
    status: Callable[[int | None], bool] | None = None
    body_contains: str | None = None
    since: float | None = None
    after_id: int = 0

    def matches(self, call: ApiCalled) -> bool:
        return ((self.method is None or call.method == self.method)
                and (self.path is None or self.path.matches(call))
                and (self.status is None or self.status(call.status))
                and (self.body_contains is None or self.body_contains in call.body_json)
                and (self.since is None or call.at >= self.since))


class RequestJournal:
    def __init__(self, bus: EventBus, limit: int = JOURNAL_LIMIT) -> None:
        self._entries: deque[tuple[int, ApiCalled]] = deque(maxlen=limit)
        self._next = 1
        bus.subscribe(self._append, ApiCalled)

    def _append(self, event: Any) -> None:
        self._entries.append((self._next, event))
        self._next += 1

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def dropped(self) -> int:
        """Requests that fell off the front of the journal."""
        return self._next - 1 - len(self._entries)

    def _matching(self, query: Query) -> Iterable[tuple[int, ApiCalled]]:
        return ((i, e) for i, e in self._entries if i > query.after_id and query.matches(e))

    def find(self, query: Query, limit: int = DEFAULT_PAGE) -> tuple[list[dict[str, Any]], bool]:
        """Oldest first; `limit` entries at most and whether more match after them."""
        out: list[dict[str, Any]] = []
        for index, event in self._matching(query):
            if len(out) == limit:
                return out, True
            out.append(entry_json(index, event))
        return out, False

    def count(self, query: Query) -> int:
        return sum(1 for _ in self._matching(query))

    def near_misses(self, query: Query, limit: int = NEAR_MISSES) -> list[dict[str, Any]]:
        """Calls that almost matched, closest first, each with why it did not (one per distinct call)."""
        scored: dict[tuple[str, str, str], tuple[float, int, ApiCalled, str]] = {}
        similar: dict[tuple[str, str], float] = {}  # difflib is slow: once per distinct path
        for index, event in self._entries:
            if query.matches(event):
                continue
            reason, score = _miss(query, event, similar)
            if reason is None:
                continue
            key = (event.method, event.route or event.path, reason)
            if key not in scored or scored[key][1] < index:
                scored[key] = (score, index, event, reason)
        ranked = sorted(scored.values(), key=lambda s: (-s[0], -s[1]))[:limit]
        return [{**entry_json(index, event), "reason": reason} for _, index, event, reason in ranked]


def _miss(query: Query, call: ApiCalled, similar: dict[tuple[str, str], float]) -> tuple[str | None, float]:
    """Why `call` missed and how close it came; (None, 0) for calls not worth listing."""
    path_ok = query.path is None or query.path.matches(call)
    method_ok = query.method is None or call.method == query.method
    if path_ok and not method_ok:
        return f"method {call.method}, not {query.method}", 2.5
    if path_ok and method_ok:
        if query.body_contains is not None and query.body_contains not in call.body_json:
            return f"body does not contain {query.body_contains!r}", 3.0
        if query.status is not None and not query.status(call.status):
            return f"status {call.status}", 2.9
        return "before since/cursor", 0.5
    if query.path is None:
        return None, 0.0
    key = (call.route, call.path)
    if key not in similar:
        similar[key] = query.path.similarity(call)
    similarity = similar[key]
    if similarity < 0.6:
        return None, 0.0
    return ("similar path" + ("" if method_ok else f", method {call.method}")), 1.0 + similarity


def entry_json(index: int, call: ApiCalled) -> dict[str, Any]:
    return {"id": index, "at": format_instant(call.at), "method": call.method, "path": call.path,
            "route": call.route, "query": call.query, "body": call.body, "status": call.status,
            "duration_ms": call.duration_ms, "fault": call.fault}


BODY_LIMIT = 4_096  # characters of a request body kept (as compact JSON); longer ones are cut
REDACTED = "[REDACTED]"
# Keys whose values are secrets wherever they appear; `value` is also secret inside `credentials`
# and `challenges` items (MFA answers).
_SECRET_KEY = re.compile(r"(?i)(?:^|_)(?:password|passwd|passcode|secret|api_?key|token|pin|ssn)(?:$|_)")


def redact(body: Any, inside: str = "") -> Any:
    """A copy of a request body with credential values and password-like fields replaced."""
    if isinstance(body, dict):
        return {k: REDACTED if (_SECRET_KEY.search(k) and isinstance(v, (str, int, float)))
                or (k == "value" and inside in ("credentials", "challenges")) else redact(v, k)
                for k, v in body.items()}
    if isinstance(body, list):
        return [redact(item, inside) for item in body]
    return body


def journal_body(body: Any, dumps: Callable[[Any], str]) -> tuple[Any, str]:
    """(what the journal shows, its JSON text): the redacted body, or its first BODY_LIMIT characters."""
    if body is None:
        return None, ""
    clean = redact(body)
    text = dumps(clean)
    if len(text) > BODY_LIMIT:
        return text[:BODY_LIMIT] + "…", text[:BODY_LIMIT]
    return clean, text
