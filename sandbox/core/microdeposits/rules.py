"""What a microdeposit request must look like, read from `fixtures/microdeposits.yml` (data QA may edit).

Validation errors stop a microdeposit from being created (400), as MX's integration environment does.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from ..errors import BadRequest
from ..institutions import FIXTURES_DIR
from ..yamlfile import EntryError, read_fixture

ACCOUNT_TYPES = ("CHECKING", "SAVINGS")  # ACH deposits go to demand and savings accounts only
NAME_FIELDS = ("first_name", "last_name")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_DIGITS = re.compile(r"^[0-9]+$")
# ABA prefixes: 00 (US government), 01-12 (Federal Reserve districts), 21-32 (thrifts),
# 61-72 (electronic), 80 (traveler's cheques).
_ABA_PREFIXES = {0, *range(1, 13), *range(21, 33), *range(61, 73), 80}
_ABA_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7, 1)


class BlockedRoutingNumber(BadRequest):
    """A checksum-valid routing number on the block list; `reason` is what the widget reports."""

    def __init__(self, routing_number: str, reason: str) -> None:
        super().__init__(f"Microdeposits cannot be sent to routing number {routing_number} ({reason}).")
        self.routing_number = routing_number
        self.reason = reason


def aba_checksum_ok(number: str) -> bool:
    """Nine digits, a known Federal Reserve prefix, and the 3-7-1 weighted sum divisible by 10."""
    if len(number) != 9 or not _DIGITS.match(number) or int(number[:2]) not in _ABA_PREFIXES:
        return False
    return sum(int(d) * w for d, w in zip(number, _ABA_WEIGHTS)) % 10 == 0


def _name_ok(value: str) -> bool:
    """1-50 characters: letters, with single spaces, hyphens, apostrophes or periods between them."""
    if not 1 <= len(value) <= 50 or not any(c.isalpha() for c in value):
        return False
    return all(c.isalpha() or c in " '-." for c in value)


@dataclass(frozen=True)
class MicrodepositRules:
    requested_seconds: float
    deposited_seconds: float
    retention_seconds: float
    max_verify_attempts: int
    max_accounts_per_email: int
    valid_account_prefix: str
    blocked_routing_numbers: dict[str, str]
    routing_institutions: dict[str, str]
    min_cents: int
    max_cents: int

    @classmethod
    def load(cls, path: Path | None = None) -> "MicrodepositRules":
        return read_fixture(path or FIXTURES_DIR / "microdeposits.yml", cls._parse)

    @classmethod
    def _parse(cls, data: dict[str, Any]) -> "MicrodepositRules":
        timings, amounts = data["timings"], data["amounts"]
        rules = cls(
            requested_seconds=float(timings["requested_seconds"]),
            deposited_seconds=float(timings["deposited_seconds"]),
            retention_seconds=float(timings["retention_days"]) * 86400,
            max_verify_attempts=int(data["max_verify_attempts"]),
            max_accounts_per_email=int(data["max_accounts_per_email"]),
            valid_account_prefix=str(data["valid_account_prefix"]),
            blocked_routing_numbers={str(k): str(v) for k, v in (data.get("blocked_routing_numbers") or {}).items()},
            routing_institutions={str(k): str(v) for k, v in (data.get("routing_institutions") or {}).items()},
            min_cents=int(amounts["min_cents"]),
            max_cents=int(amounts["max_cents"]),
        )
        if not 1 <= rules.min_cents < rules.max_cents <= 99:
            raise EntryError(("amounts",), "need 1 <= min_cents < max_cents <= 99")
        return rules

    # -- field checks ----------------------------------------------------------------------------
    def check_routing_number(self, number: str) -> None:
        if not aba_checksum_ok(number):
            raise BadRequest("routing_number must be a valid nine-digit ABA routing number.")
        reason = self.blocked_routing_numbers.get(number)
        if reason:
            raise BlockedRoutingNumber(number, reason)

    def account_fields(self, fields: dict[str, Any]) -> dict[str, str]:
        """account_number, routing_number and account_type: all required, all checked."""
        missing = [n for n in ("account_number", "routing_number", "account_type") if not fields.get(n)]
        if missing:
            raise BadRequest(f"Missing microdeposit fields: {', '.join(missing)}.")
        number, routing, kind = (_string(fields, n) for n in ("account_number", "routing_number", "account_type"))
        if not _DIGITS.match(number) or len(number) > 17:
            raise BadRequest("account_number must be 1 to 17 digits.")
        if kind not in ACCOUNT_TYPES:
            raise BadRequest("account_type must be CHECKING or SAVINGS.")
        self.check_routing_number(routing)
        return {"account_number": number, "routing_number": routing, "account_type": kind}

    def person_fields(self, fields: dict[str, Any], required: bool) -> dict[str, str]:
        """first_name, last_name, email and account_name, checked when present (or required)."""
        out: dict[str, str] = {}
        names = (*NAME_FIELDS, "email") if required else ()
        missing = [n for n in names if not fields.get(n)]
        if missing:
            raise BadRequest(f"Missing microdeposit fields: {', '.join(missing)}.")
        for name in NAME_FIELDS:
            if fields.get(name) is not None:
                value = _string(fields, name)
                if not _name_ok(value):
                    raise BadRequest(f"{name} must be 1 to 50 letters, without digits or special characters.")
                out[name] = value
        if fields.get("email") is not None:
            email = _string(fields, "email")
            if len(email) > 254 or not _EMAIL.match(email):
                raise BadRequest("email must be a valid email address.")
            out["email"] = email
        if fields.get("account_name") is not None:
            account_name = _string(fields, "account_name")
            if not 1 <= len(account_name) <= 50:
                raise BadRequest("account_name must be 1 to 50 characters.")
            out["account_name"] = account_name
        return out


def _string(fields: dict[str, Any], name: str) -> str:
    value = fields.get(name)
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a string.")
    return value


@functools.lru_cache(maxsize=1)
def default_rules() -> MicrodepositRules:
    return MicrodepositRules.load()
