"""What an institution answers to credentials and MFA answers, read from `fixtures/behaviors.yml`."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from ..institutions import FIXTURES_DIR, CredentialField, Institution
from .model import STATUS_IDS, Challenge
from ..yamlfile import EntryError, entry, read_fixture


@dataclass(frozen=True)
class Outcome:
    """Either a final connection_status or a challenge kind to issue."""

    status: str
    challenge: str | None = None

    @classmethod
    def parse(cls, text: str) -> "Outcome":
        if text.startswith("challenge:"):
            return cls("CHALLENGED", text.split(":", 1)[1])
        if text not in STATUS_IDS:
            raise ValueError(f"unknown outcome {text!r}")
        return cls(text)


@dataclass(frozen=True)
class Behavior:
    username: str | None
    wrong_username: Outcome
    passwords: dict[str, Outcome]
    answers: dict[str, Outcome]

    def for_credentials(self, institution: Institution, values: dict[str, str]) -> Outcome:
        """Credentials are matched by field name: the LOGIN field is the username, PASSWORD the password."""
        username = _value_of(institution.credentials, values, "LOGIN")
        password = _value_of(institution.credentials, values, "PASSWORD")
        if self.username is not None and username != self.username:
            return self.wrong_username
        return self.passwords.get(password or "", self.passwords["default"])

    def for_answers(self, answers: list[str]) -> Outcome:
        """The worst answer decides: any error answer wins over a right one."""
        outcomes = [self.answers.get(a, self.answers["default"]) for a in answers] or [self.answers["default"]]
        errors = [o for o in outcomes if o.status != "CONNECTED"]
        return errors[0] if errors else outcomes[0]


def username_of(institution: Institution, values: dict[str, str]) -> str | None:
    return _value_of(institution.credentials, values, "LOGIN")


def _value_of(fields: tuple[CredentialField, ...], values: dict[str, str], field_name: str) -> str | None:
    for field in fields:
        if field.field_name == field_name:
            return values.get(field.guid)
    return None


def _table(table: dict[str, Any], name: str) -> Behavior:
    with entry(name):
        return Behavior(
            username=table.get("username"),
            wrong_username=Outcome.parse(table.get("wrong_username", "DENIED")),
            passwords={k: Outcome.parse(v) for k, v in table["passwords"].items()},
            answers={k: Outcome.parse(v) for k, v in table["answers"].items()},
        )


class BehaviorBook:
    """All behavior tables, challenge templates and status messages."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._challenges: dict[str, dict[str, Any]] = data["challenges"]
        self._messages: dict[str, str] = data["messages"]
        self._tables = {name: _table(table, name) for name, table in data.items() if name not in ("challenges", "messages")}
        for name, table in self._tables.items():
            for outcome in [*table.passwords.values(), *table.answers.values()]:
                if outcome.challenge and outcome.challenge not in self._challenges:
                    raise EntryError((name,), f"unknown challenge kind {outcome.challenge!r}")

    @classmethod
    def load(cls, path: Path | None = None) -> "BehaviorBook":
        return read_fixture(path or FIXTURES_DIR / "behaviors.yml", cls)

    def table(self, institution: Institution) -> Behavior:
        return self._tables.get(institution.behavior, self._tables["generic"])

    def message(self, status: str | None, institution: Institution) -> str | None:
        template = self._messages.get(status or "")
        return template.format(institution=institution.name) if template else None

    def test_credentials(self, behavior: str = "mxbank") -> dict[str, Any]:
        """A table's rows for people (the console's menu, the widget page's hint): the username and,
        per password, what it leads to; `default` (any other password) comes last."""
        table = self._tables[behavior]
        rows = [{"password": password, "outcome": self._outcome_text(outcome)}
                for password, outcome in table.passwords.items() if password != "default"]
        rows.append({"password": None, "outcome": self._outcome_text(table.passwords["default"])})
        return {"username": table.username, "rows": rows}

    def _outcome_text(self, outcome: Outcome) -> str:
        return f"CHALLENGED ({self._challenges[outcome.challenge]['type']})" if outcome.challenge else outcome.status

    def has_challenge(self, kind: str) -> bool:
        return kind in self._challenges

    def challenges(self, kind: str, new_guid) -> list[Challenge]:
        """Fresh challenge objects (new guids) from the `kind` template."""
        spec = self._challenges[kind]
        return [
            Challenge(
                guid=new_guid("CRD"),
                type=spec["type"],
                label=spec["label"],
                field_name=spec.get("field_name"),
                image_data=spec.get("image_data"),
                options=[{"guid": new_guid("CRD"), **o} for o in spec.get("options", [])],
                image_options=[{"guid": new_guid("CRD"), **o} for o in spec.get("image_options", [])],
            )
        ]


@functools.lru_cache(maxsize=1)
def default_book() -> BehaviorBook:
    return BehaviorBook.load()
