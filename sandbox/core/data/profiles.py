"""Data profiles: what an institution's accounts look like, loaded from `fixtures/profiles/*.yml`.

Profiles are data so QA can change balances, merchants, categories, amounts and frequencies
without touching code. Each file is validated on load; a mistake fails loudly with its path.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..institutions import FIXTURES_DIR
from .model import DEBT_TYPES
from .routing_numbers import is_valid_aba
from ..yamlfile import describe, read_fixture

T = TypeVar("T")

ACCOUNT_TYPES = frozenset({
    "ANY", "CASH", "CHECKING", "CHECKING_LINE_OF_CREDIT", "CREDIT_CARD", "LOAN", "LINE_OF_CREDIT",
    "SAVINGS", "INVESTMENT", "MORTGAGE", "INSURANCE", "PREPAID", "PROPERTY",
})
FLAGS = frozenset({
    "is_bill_pay", "is_direct_deposit", "is_expense", "is_fee", "is_income", "is_overdraft_fee",
    "is_payroll_advance", "is_recurring", "is_subscription",
})


def _cents(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: expected a number, got {value!r}")
    return round(value * 100)


def _range(raw: Any, where: str) -> tuple[int, int]:
    """`[low, high]` dollars (or one number) → inclusive cents range."""
    if isinstance(raw, list):
        if len(raw) not in (1, 2):
            raise ValueError(f"{where}: give one number or [low, high]")
        low, high = raw[0], raw[-1]
    else:
        low = high = raw
    lo, hi = _cents(low, where), _cents(high, where)
    if lo > hi or lo < 0:
        raise ValueError(f"{where}: bad range {raw!r}")
    return lo, hi


@dataclass(frozen=True)
class TransactionRule:
    """One recurring kind of transaction: a merchant, a category, an amount range, a frequency."""

    description: str
    type: str  # CREDIT | DEBIT
    amount: tuple[int, int]
    category: str
    top_level_category: str
    original_description: str | None = None
    per_day: float = 0.0  # expected count per day (Poisson)
    every_days: int = 0  # fixed cadence, phase drawn per member
    day_of_month: int = 0  # monthly on this day (the last day in shorter months)
    mcc: int | None = None
    memo: str | None = None
    flags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HoldingTemplate:
    symbol: str
    description: str
    holding_type: str
    price: tuple[int, int]  # cents per unit
    weight: float


@dataclass(frozen=True)
class AccountTemplate:
    key: str
    type: str
    name: str
    balance: tuple[int, int]
    subtype: str | None = None
    credit_limit: int | None = None
    original_balance: tuple[int, int] | None = None
    minimum_payment: tuple[int, int] | None = None
    apr: float | None = None
    apy: float | None = None
    interest_rate: float | None = None
    day_payment_is_due: int | None = None
    term_months: int | None = None
    owners: int = 0  # how many account owners identify returns (deposit accounts only)
    statements: bool = True
    when_supported: str | None = None  # only when the institution supports this product
    transactions: tuple[TransactionRule, ...] = ()
    holdings: tuple[HoldingTemplate, ...] = ()


@dataclass(frozen=True)
class RewardTemplate:
    account: str
    description: str
    unit_type: str
    balance_type: str
    balance: tuple[int, int]  # whole units, not cents
    expires_in_days: int = 365


@dataclass(frozen=True)
class Profile:
    name: str
    history_days: int
    extended_history_days: int
    statement_months: int
    accounts: tuple[AccountTemplate, ...]
    owners: tuple[dict[str, str], ...]
    rewards: tuple[RewardTemplate, ...] = ()
    routing_number: str | None = None

    def account(self, key: str) -> AccountTemplate:
        return next(a for a in self.accounts if a.key == key)


def _rule(raw: dict[str, Any], where: str) -> TransactionRule:
    kind = raw.get("type")
    if kind not in ("CREDIT", "DEBIT"):
        raise ValueError(f"{where}: type must be CREDIT or DEBIT")
    flags = frozenset(raw.get("flags", []))
    if flags - FLAGS:
        raise ValueError(f"{where}: unknown flags {sorted(flags - FLAGS)}")
    rule = TransactionRule(
        description=str(raw["description"]),
        type=kind,
        amount=_range(raw["amount"], f"{where}.amount"),
        category=str(raw["category"]),
        top_level_category=str(raw.get("top_level_category", raw["category"])),
        original_description=raw.get("original_description"),
        per_day=float(raw.get("per_day", 0)),
        every_days=int(raw.get("every_days", 0)),
        day_of_month=int(raw.get("day_of_month", 0)),
        mcc=raw.get("mcc"),
        memo=raw.get("memo"),
        flags=flags,
    )
    schedules = [bool(rule.per_day), bool(rule.every_days), bool(rule.day_of_month)]
    if sum(schedules) != 1:
        raise ValueError(f"{where}: give exactly one of per_day, every_days, day_of_month")
    if not 0 <= rule.day_of_month <= 31 or rule.per_day < 0 or rule.every_days < 0:
        raise ValueError(f"{where}: frequency out of range")
    return rule


def _holding(raw: dict[str, Any], where: str) -> HoldingTemplate:
    return HoldingTemplate(
        symbol=str(raw["symbol"]),
        description=str(raw["description"]),
        holding_type=str(raw.get("holding_type", "EQUITY")),
        price=_range(raw["price"], f"{where}.price"),
        weight=float(raw.get("weight", 1)),
    )


def _optional_range(raw: dict[str, Any], name: str, where: str) -> tuple[int, int] | None:
    return _range(raw[name], f"{where}.{name}") if raw.get(name) is not None else None


def _account(raw: dict[str, Any], where: str) -> AccountTemplate:
    kind = raw.get("type")
    if kind not in ACCOUNT_TYPES:
        raise ValueError(f"{where}: unknown account type {kind!r}")
    key = str(raw["key"])
    rules = tuple(_rule(r, f"{where}.transactions[{i}]") for i, r in enumerate(raw.get("transactions", [])))
    holdings = tuple(_holding(h, f"{where}.holdings[{i}]") for i, h in enumerate(raw.get("holdings", [])))
    if holdings and kind != "INVESTMENT":
        raise ValueError(f"{where}: only INVESTMENT accounts have holdings")
    owners = int(raw.get("owners", 0))
    if owners and kind not in ("CHECKING", "SAVINGS"):
        raise ValueError(f"{where}: account owners exist only on CHECKING and SAVINGS accounts")
    limit = raw.get("credit_limit")
    return AccountTemplate(
        key=key,
        type=kind,
        name=str(raw.get("name", key.replace("_", " ").title())),
        balance=_range(raw["balance"], f"{where}.balance"),
        subtype=raw.get("subtype"),
        credit_limit=_cents(limit, f"{where}.credit_limit") if limit is not None else None,
        original_balance=_optional_range(raw, "original_balance", where),
        minimum_payment=_optional_range(raw, "minimum_payment", where),
        apr=raw.get("apr"),
        apy=raw.get("apy"),
        interest_rate=raw.get("interest_rate"),
        day_payment_is_due=raw.get("day_payment_is_due"),
        term_months=raw.get("term_months"),
        owners=owners,
        statements=bool(raw.get("statements", True)),
        when_supported=raw.get("when_supported"),
        transactions=rules,
        holdings=holdings,
    )


def _reward(raw: dict[str, Any], where: str) -> RewardTemplate:
    low, high = raw["balance"] if isinstance(raw["balance"], list) else (raw["balance"], raw["balance"])
    return RewardTemplate(
        account=str(raw["account"]),
        description=str(raw["description"]),
        unit_type=str(raw.get("unit_type", "POINTS")),
        balance_type=str(raw.get("balance_type", "TOTAL_BALANCE")),
        balance=(int(low), int(high)),
        expires_in_days=int(raw.get("expires_in_days", 365)),
    )


def _named(parse: Callable[[dict[str, Any], str], T], raw: dict[str, Any], where: str) -> T:
    """A missing key or a wrong type inside one account or reward names that entry, as the other checks do."""
    try:
        return parse(raw, where)
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"{where}: {describe(error)}") from None


def parse_profile(raw: dict[str, Any], where: str) -> Profile:
    accounts = tuple(_named(_account, a, f"{where}: accounts[{i}]") for i, a in enumerate(raw.get("accounts", [])))
    keys = [a.key for a in accounts]
    if not accounts or len(set(keys)) != len(keys):
        raise ValueError(f"{where}: accounts must be non-empty with unique keys")
    rewards = tuple(_named(_reward, r, f"{where}: rewards[{i}]") for i, r in enumerate(raw.get("rewards", [])))
    for reward in rewards:
        if reward.account not in keys:
            raise ValueError(f"{where}: reward names unknown account {reward.account!r}")
    routing = raw.get("routing_number")
    if routing is not None and not is_valid_aba(str(routing)):
        raise ValueError(f"{where}: routing_number {routing!r} fails the ABA checksum")
    owners = tuple({k: str(v) for k, v in o.items()} for o in raw.get("owners", []))
    if any(a.owners for a in accounts) and not owners:
        raise ValueError(f"{where}: accounts have owners but the profile lists no people")
    profile = Profile(
        name=str(raw["name"]),
        history_days=int(raw.get("history_days", 90)),
        extended_history_days=int(raw.get("extended_history_days", 730)),
        statement_months=int(raw.get("statement_months", 3)),
        accounts=accounts,
        owners=owners,
        rewards=rewards,
        routing_number=str(routing) if routing is not None else None,
    )
    if not 0 < profile.history_days <= profile.extended_history_days:
        raise ValueError(f"{where}: need 0 < history_days <= extended_history_days")
    return profile


@functools.lru_cache(maxsize=None)
def load_profiles(directory: Path = FIXTURES_DIR / "profiles") -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for path in sorted(directory.glob("*.yml")):
        profile = read_fixture(path, lambda raw: parse_profile(raw, str(path)))
        profiles[profile.name] = profile
    return profiles


def is_debt(template: AccountTemplate) -> bool:
    return template.type in DEBT_TYPES


def check_catalog(profiles: dict[str, Profile], profile_names: set[str]) -> None:
    """Fail at start-up, not on a member's first job, when an institution names no known profile."""
    missing = sorted(profile_names - set(profiles))
    if missing:
        raise ValueError(f"institutions name unknown data profiles {missing}; known: {sorted(profiles)}")
