"""The scope string of an authorization code, as MX writes it:
`user-guid:USR-… member-guid:MBR-… account-guid:ACT-… read-protected`.

The sandbox asks for one user, one member and at least one account (docs/decisions.md, "Processor
tokens"); the words that are not `name:value` pairs are features, of which MX documents one.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import BadRequest

FEATURES = frozenset({"read-protected"})
MAX_SCOPE_ACCOUNTS = 50
_PREFIXES = {"user-guid": "USR-", "member-guid": "MBR-", "account-guid": "ACT-"}


@dataclass(frozen=True)
class Scope:
    user_guid: str
    member_guid: str
    account_guids: tuple[str, ...]
    features: tuple[str, ...] = ("read-protected",)

    def text(self) -> str:
        parts = [f"user-guid:{self.user_guid}", f"member-guid:{self.member_guid}"]
        parts += [f"account-guid:{guid}" for guid in self.account_guids]
        return " ".join(parts + list(self.features))

    def covers(self, account_guid: str) -> bool:
        return account_guid in self.account_guids


def parse_scope(text: str) -> Scope:
    """A scope string → Scope; anything MX would not issue a code for is a 400 naming the problem."""
    found: dict[str, list[str]] = {name: [] for name in _PREFIXES}
    features: list[str] = []
    for word in text.split():
        name, sep, value = word.partition(":")
        if not sep:
            if word not in FEATURES:
                raise BadRequest(f"'{word}' is not a scope feature. Use read-protected.")
            if word not in features:
                features.append(word)
            continue
        if name not in _PREFIXES:
            raise BadRequest(f"'{name}' is not a scope field. Use user-guid, member-guid and account-guid.")
        if not value.startswith(_PREFIXES[name]) or len(value) > 64:
            raise BadRequest(f"{name} must be a {_PREFIXES[name]} guid.")
        if value not in found[name]:
            found[name].append(value)
    for name in ("user-guid", "member-guid"):
        if len(found[name]) != 1:
            raise BadRequest(f"The scope must name exactly one {name}.")
    accounts = found["account-guid"]
    if not accounts:
        raise BadRequest("The scope must name at least one account-guid.")
    if len(accounts) > MAX_SCOPE_ACCOUNTS:
        raise BadRequest(f"The scope may name at most {MAX_SCOPE_ACCOUNTS} accounts.")
    return Scope(found["user-guid"][0], found["member-guid"][0], tuple(accounts), tuple(features or ["read-protected"]))
