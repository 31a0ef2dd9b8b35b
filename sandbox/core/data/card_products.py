"""Credit card products for reward accounts, read from fixtures/credit_card_products.yml.

A product belongs to one profile's reward-earning account template, so every account generated
from that template (in any tenant) has the same product and the same `CCA-` guid.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...paths import FIXTURES_DIR
from ..errors import NotFound
from ..ids import stable_uuid
from ..yamlfile import EntryError, read_fixture
from .profiles import Profile

PRODUCTS_FILE = FIXTURES_DIR / "credit_card_products.yml"
FLAGS = ("has_cashback_rewards", "has_other_rewards", "has_travel_rewards", "has_zero_introductory_annual_fee",
         "has_zero_percent_introductory_rate", "has_zero_percent_introductory_rate_on_balance_transfer",
         "is_accepting_applicants", "is_active_credit_card_product", "is_small_business_card")
DURATIONS = ("duration_of_introductory_rate_on_balance_transfer", "duration_of_introductory_rate_on_purchases")


def product_guid(profile: str, account_key: str) -> str:
    return f"CCA-{stable_uuid('credit-card-product', profile, account_key)}"


@dataclass(frozen=True)
class CardProduct:
    guid: str
    profile: str
    account: str
    name: str
    annual_fee: float
    flags: dict[str, bool]
    durations: dict[str, int | None]


class CardProducts:
    def __init__(self, products: list[CardProduct]) -> None:
        self._by_guid = {p.guid: p for p in products}
        self._by_template = {(p.profile, p.account): p for p in products}

    @classmethod
    def load(cls, profiles: dict[str, Profile], path: Path = PRODUCTS_FILE) -> "CardProducts":
        return cls(read_fixture(path, lambda data: _parse(data, profiles)))

    def get(self, guid: str) -> CardProduct:
        found = self._by_guid.get(guid)
        if found is None:
            raise NotFound()
        return found

    def for_template(self, profile: str, account_key: str) -> CardProduct | None:
        return self._by_template.get((profile, account_key))

    def all(self) -> list[CardProduct]:
        return list(self._by_guid.values())


def _parse(data: Any, profiles: dict[str, Profile]) -> list[CardProduct]:
    if not isinstance(data, dict) or not isinstance(data.get("products"), list):
        raise ValueError("expected `products:` with a list of products")
    out = []
    for i, raw in enumerate(data["products"]):
        keys = ("products", i)
        if not isinstance(raw, dict):
            raise EntryError(keys, "expected a mapping")
        profile = profiles.get(str(raw.get("profile")))
        if profile is None:
            raise EntryError(keys, f"unknown profile {raw.get('profile')!r}")
        account = str(raw.get("account"))
        if account not in {r.account for r in profile.rewards}:
            raise EntryError(keys, f"account {account!r} earns no rewards in profile {profile.name!r}")
        fee = raw.get("annual_fee", 0)
        if isinstance(fee, bool) or not isinstance(fee, (int, float)) or fee < 0:
            raise EntryError(keys, "annual_fee must be a number, 0 or more")
        flags = {name: raw.get(name, False) for name in FLAGS}
        durations = {name: raw.get(name) for name in DURATIONS}
        if not all(isinstance(v, bool) for v in flags.values()):
            raise EntryError(keys, f"{', '.join(FLAGS)} must be true or false")
        if not all(v is None or (isinstance(v, int) and not isinstance(v, bool) and v >= 0) for v in durations.values()):
            raise EntryError(keys, "introductory durations are whole months")
        out.append(CardProduct(product_guid(profile.name, account), profile.name, account, str(raw.get("name") or ""),
                               float(fee), flags, durations))
    return out
