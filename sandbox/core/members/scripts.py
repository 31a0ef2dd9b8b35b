"""Scripted behaviour from scenario files: members signing in with username `scenario:<name>`.

A scenario's `behavior:` block says how such a member answers sign-ins and MFA, how long its
phases take and how its connection evolves later (`timeline`), so QA can drive the same journey
through the API, the headless widget or the real widget page by typing those credentials.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from .behavior import Outcome
from .model import STATUS_IDS
from ..yamlfile import FixtureError, entry, read_fixture

USERNAME_PREFIX = "scenario:"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: Any) -> float:
    """`90`, `90s`, `15m`, `2h`, `2d` → seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 30s, 15m, 2h, 2d)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def describe_duration(seconds: float) -> str:
    """Seconds in words for failure messages: `45 s`, `2 min`, `1 h 30 min`, `2 d`."""
    parts = []
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            whole, seconds = divmod(seconds, size)
            parts.append(f"{whole:g} {unit}")
    if seconds or not parts:
        parts.append(f"{seconds:g} s")
    return " ".join(parts)


@dataclass(frozen=True)
class TimelineEntry:
    after: float  # seconds after the first successful connection
    connection_status: str
    is_being_aggregated: bool = False


@dataclass(frozen=True)
class Script:
    name: str
    sign_in: Outcome
    challenges: tuple[str, ...] = ()
    answers: dict[str, Outcome] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    timeline: tuple[TimelineEntry, ...] = ()

    def first_outcome(self) -> Outcome:
        if self.challenges:
            return Outcome("CHALLENGED", self.challenges[0])
        return self.sign_in

    def after_answer(self, value: str, answered: int) -> Outcome:
        """Outcome of answering challenge number `answered` (1-based) with `value`."""
        outcome = self.answers.get(value) or self.answers.get("default") or (
            Outcome("CONNECTED") if value == "correct" else Outcome("REJECTED"))
        if outcome.status == "CONNECTED" and answered < len(self.challenges):
            return Outcome("CHALLENGED", self.challenges[answered])
        return outcome


def script_from(name: str, raw: dict[str, Any]) -> Script:
    timeline = []
    for entry in raw.get("timeline", []) or []:
        status = entry["connection_status"]
        if status not in STATUS_IDS:
            raise ValueError(f"unknown connection_status {status!r}")
        timeline.append(TimelineEntry(parse_duration(entry["after"]), status, bool(entry.get("is_being_aggregated", False))))
    return Script(
        name=name,
        sign_in=Outcome.parse(str(raw.get("sign_in", "CONNECTED"))),
        challenges=tuple(raw.get("challenges", []) or []),
        answers={str(k): Outcome.parse(str(v)) for k, v in (raw.get("answers") or {}).items()},
        timings={k: parse_duration(v) for k, v in (raw.get("timings") or {}).items()},
        timeline=tuple(sorted(timeline, key=lambda e: e.after)),
    )


def _script_in(data: Any) -> Script | None:
    """A scenario file's `behavior:` block, if it has one."""
    if not isinstance(data, dict) or not isinstance(data.get("behavior"), dict):
        return None
    with entry("behavior"):
        return script_from(str(data["name"]), data["behavior"])


class ScriptBook:
    """Every scenario's scripted behaviour, by scenario name; shared read-only by all tenants."""

    def __init__(self, scripts: dict[str, Script] | None = None) -> None:
        self._scripts = dict(scripts or {})
        self.problems: list[str] = []

    @classmethod
    def load(cls, directory: Path | None) -> "ScriptBook":
        book = cls()
        if directory is None or not directory.is_dir():
            return book
        for path in sorted(directory.rglob("*.yml")):
            try:
                script = read_fixture(path, _script_in)
            except FixtureError as error:
                book.problems.append(str(error))
                continue
            if script is not None:
                book._scripts[script.name] = script
        return book

    def names(self) -> list[str]:
        return sorted(self._scripts)

    def get(self, name: str) -> Script | None:
        return self._scripts.get(name)

    def for_username(self, username: str | None) -> Script | None:
        if username and username.startswith(USERNAME_PREFIX):
            return self._scripts.get(username[len(USERNAME_PREFIX):])
        return None
