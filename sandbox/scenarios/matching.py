"""Small matchers: JSON subsets, count expressions, ordered event subsequences."""
from __future__ import annotations

import operator
import re
from typing import Any

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq, "": operator.eq}
_COUNT = re.compile(r"^\s*(>=|<=|==|>|<)?\s*(\d+)\s*$")


def subset_mismatch(expected: Any, actual: Any, path: str = "") -> str | None:
    """The path of the first place where `actual` does not contain `expected`, else None."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return path or "(root)"
        for key, value in expected.items():
            found = subset_mismatch(value, actual.get(key), f"{path}.{key}" if path else key)
            if found:
                return found
        return None
    if isinstance(expected, list):  # same length, each item a subset of its counterpart
        if not isinstance(actual, list) or len(actual) != len(expected):
            return path or "(root)"
        for index, (want, got) in enumerate(zip(expected, actual)):
            found = subset_mismatch(want, got, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if expected == actual else (path or "(root)")


def check_count(total: int, expectation: str | int) -> bool:
    match = _COUNT.match(str(expectation))
    if not match:
        raise ValueError(f"not a count expectation: {expectation!r} (use e.g. '>= 1' or 6)")
    return _OPS[match.group(1) or ""](total, int(match.group(2)))


def _matches(matcher: Any, event: dict[str, Any]) -> bool:
    if isinstance(matcher, str):
        kind, _, rest = matcher.partition(":")
        if event["kind"] != kind:
            return False
        if kind == "member":  # member:CONNECTED matches a transition into that status
            return (event["type"] == "connection_status" and event["data"].get("new") == rest) or event["type"] == rest
        return event["type"] == rest
    if event["kind"] != matcher["kind"] or ("type" in matcher and event["type"] != matcher["type"]):
        return False
    return subset_mismatch(matcher.get("data", {}), event["data"]) is None


def match_subsequence(matchers: list[Any], events: list[dict[str, Any]]) -> Any:
    """None when the matchers occur in order among the events; else the first one that did not."""
    position = 0
    for matcher in matchers:
        while position < len(events) and not _matches(matcher, events[position]):
            position += 1
        if position == len(events):
            return matcher
        position += 1
    return None
