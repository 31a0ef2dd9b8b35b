"""Merchants and their locations: one per merchant a profile's transactions name.

MX's merchant directory is global, so guids depend only on the merchant's name (as the generator's
`merchant_guid` makes them), and every `merchant_guid` on a generated transaction resolves here.
Websites, logos and the one location per merchant are derived deterministically from the name.
"""
from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass
from typing import Iterable

from ..data.generation import merchant_guid
from ..data.profiles import Profile
from ..errors import NotFound
from ..ids import stable_uuid

# A fixed instant for the directory's timestamps: merchants predate every user.
DIRECTORY_EPOCH = 1420070400.0  # 2015-01-01T00:00:00Z
_CITIES = (
    ("Lehi", "UT", "84043", 40.3916, -111.8508), ("Denver", "CO", "80202", 39.7392, -104.9903),
    ("Austin", "TX", "78701", 30.2672, -97.7431), ("Columbus", "OH", "43215", 39.9612, -82.9988),
    ("Portland", "OR", "97205", 45.5152, -122.6784), ("Raleigh", "NC", "27601", 35.7796, -78.6382),
)


@dataclass(frozen=True)
class MerchantLocation:
    guid: str
    merchant_guid: str
    street_address: str
    city: str
    state: str
    postal_code: str
    country: str
    latitude: float
    longitude: float
    phone_number: str


@dataclass(frozen=True)
class Merchant:
    guid: str
    name: str
    website_url: str
    logo_url: str
    location: MerchantLocation


@functools.lru_cache(maxsize=4096)  # one per merchant guid; the directory is a fixture of a few hundred
def location_guid(merchant: str) -> str:
    return f"MCL-{stable_uuid('merchant_location', merchant)}"


def _merchant(name: str) -> Merchant:
    guid = merchant_guid(name)
    slug = re.sub(r"[^a-z0-9]+", "", name.lower()) or "merchant"
    rng = random.Random(f"merchant|{name}")
    city, state, postal, lat, lon = rng.choice(_CITIES)
    location = MerchantLocation(
        guid=location_guid(guid), merchant_guid=guid, street_address=f"{rng.randint(100, 9999)} Main St",
        city=city, state=state, postal_code=postal, country="US",
        latitude=round(lat + rng.uniform(-0.05, 0.05), 6), longitude=round(lon + rng.uniform(-0.05, 0.05), 6),
        phone_number=f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}",
    )
    return Merchant(guid, name, f"https://www.{slug}.com", f"https://content.mx.com/logos/merchants/{guid}.png", location)


class MerchantDirectory:
    """Read-only, shared by every tenant: built once from the profiles."""

    def __init__(self, names: Iterable[str]) -> None:
        merchants = sorted({_merchant(n) for n in set(names)}, key=lambda m: (m.name, m.guid))
        self._by_guid = {m.guid: m for m in merchants}
        self._by_location = {m.location.guid: m.location for m in merchants}

    @classmethod
    def from_profiles(cls, profiles: dict[str, Profile]) -> "MerchantDirectory":
        return cls(
            rule.description
            for profile in profiles.values() for template in profile.accounts for rule in template.transactions
            if rule.mcc is not None
        )

    def list(self, name: str | None = None) -> list[Merchant]:
        merchants = list(self._by_guid.values())
        if name:
            merchants = [m for m in merchants if name.lower() in m.name.lower()]
        return merchants

    def get(self, guid: str) -> Merchant:
        found = self._by_guid.get(guid)
        if found is None:
            raise NotFound()
        return found

    def location(self, guid: str) -> MerchantLocation:
        found = self._by_location.get(guid)
        if found is None:
            raise NotFound()
        return found

    def location_of(self, merchant: str | None) -> str | None:
        """The merchant_location_guid a transaction at `merchant` carries."""
        found = self._by_guid.get(merchant or "")
        return found.location.guid if found else None
