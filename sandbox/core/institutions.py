"""The institution catalog, loaded from `fixtures/institutions.yml` (data QA may edit)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable


from .clock import format_instant, parse_instant
from .errors import NotFound

# Product names as the v20250224 widget `data_request.products` spells them.
PRODUCTS = (
    "transactions",
    "transaction_history",
    "account_verification",
    "identity_verification",
    "statements",
    "investments",
    "rewards",
)
# v20250224 `GET /institutions?supported_products=` spells transaction_history as `history`.
FILTER_ALIASES = {"history": "transaction_history"}

from ..paths import FIXTURES_DIR  # noqa: E402  (re-exported: the core's data folder)
from .yamlfile import entry, read_fixture


@dataclass(frozen=True)
class CredentialField:
    guid: str
    field_name: str
    label: str
    type: str
    display_order: int


@dataclass(frozen=True)
class Institution:
    code: str
    guid: str
    name: str
    url: str
    iso_country_code: str
    products: frozenset[str]
    supports_oauth: bool
    credentials: tuple[CredentialField, ...]
    maintenance: bool = False
    throttled: bool = True
    timings: dict[str, float] = field(default_factory=dict)
    profile: str = "standard"
    behavior: str = "generic"
    created_at: str = "2020-01-01T00:00:00Z"

    def supports(self, product: str) -> bool:
        return FILTER_ALIASES.get(product, product) in self.products

    def timing(self, name: str, default: float) -> float:
        return float(self.timings.get(name, default))


def _credential(raw: dict[str, Any], order: int) -> CredentialField:
    return CredentialField(
        guid=raw["guid"],
        field_name=raw.get("field_name", "LOGIN"),
        label=raw.get("label", "Username"),
        type=raw.get("type", "TEXT"),
        display_order=int(raw.get("display_order", order)),
    )


def _instant(value: Any, code: str) -> str:
    """Any ISO 8601 time QA writes (YAML may hand over a datetime) → the one `_at` format."""
    try:
        return format_instant(parse_instant(str(value).replace(" ", "T")))
    except (ValueError, OverflowError):
        raise ValueError(f"institution {code}: created_at {value!r} is not an ISO 8601 time") from None


def _institution(raw: dict[str, Any], defaults: dict[str, Any]) -> Institution:
    products = frozenset(raw.get("products", defaults.get("products", ["transactions"])))
    unknown = products - set(PRODUCTS)
    if unknown:
        raise ValueError(f"unknown products {sorted(unknown)}")
    timings = {**defaults.get("timings", {}), **raw.get("timings", {})}
    creds = raw.get("credentials")
    if creds is None:
        creds = [] if raw.get("supports_oauth") else defaults.get("credentials", [])
    return Institution(
        code=raw["code"],
        guid=raw["guid"],
        name=raw["name"],
        url=raw.get("url", f"https://{raw['code']}.example.com"),
        iso_country_code=raw.get("iso_country_code", "US"),
        products=products,
        supports_oauth=bool(raw.get("supports_oauth", False)),
        credentials=tuple(_credential(c, i + 1) for i, c in enumerate(creds)),
        maintenance=bool(raw.get("maintenance", False)),
        throttled=bool(raw.get("throttled", True)),
        timings=timings,
        profile=raw.get("profile", "standard"),
        behavior=raw.get("behavior", "generic"),
        created_at=_instant(raw.get("created_at", "2020-01-01T00:00:00Z"), raw["code"]),
    )


class Catalog:
    """Read-only, shared by all tenants."""

    def __init__(self, institutions: Iterable[Institution], favorites: Iterable[str] = ()) -> None:
        self._by_code = {i.code: i for i in institutions}
        self._by_guid = {i.guid: i for i in self._by_code.values()}
        self._favorites = tuple(favorites)
        unknown = [code for code in self._favorites if code not in self._by_code]
        if unknown:
            raise ValueError(f"favorites: unknown institution codes {unknown}")

    @classmethod
    def load(cls, path: Path | None = None) -> "Catalog":
        return read_fixture(path or FIXTURES_DIR / "institutions.yml", cls._parse)

    @classmethod
    def _parse(cls, data: dict[str, Any]) -> "Catalog":
        defaults = data.get("defaults", {})
        institutions = []
        for index, raw in enumerate(data["institutions"]):
            with entry("institutions", index):
                institutions.append(_institution(raw, defaults))
        return cls(institutions, data.get("favorites") or ())

    def favorites(self, countries: list[str] | None = None) -> list[Institution]:
        """The partner's favorites, most popular first (MX sets them per client; the catalog's `favorites:`)."""
        found = [self._by_code[code] for code in self._favorites]
        return [i for i in found if not countries or i.iso_country_code in countries]

    def all(self) -> list[Institution]:
        return sorted(self._by_code.values(), key=lambda i: (i.name.lower(), i.code))

    def get(self, code: str) -> Institution:
        try:
            return self._by_code[code]
        except KeyError:
            raise NotFound() from None

    def get_by_code_or_guid(self, identifier: str) -> Institution:
        found = self._by_code.get(identifier) or self._by_guid.get(identifier)
        if found is None:
            raise NotFound()
        return found

    def search(
        self,
        name: str | None = None,
        countries: list[str] | None = None,
        products: list[str] | None = None,
    ) -> list[Institution]:
        """`name` is a case-insensitive substring of the name or code; products must all be supported."""
        needle = (name or "").strip().lower()
        wanted = [FILTER_ALIASES.get(p, p) for p in products or []]
        out = []
        for inst in self.all():
            if needle and needle not in inst.name.lower() and needle not in inst.code.lower():
                continue
            if countries and inst.iso_country_code not in countries:
                continue
            if any(p not in inst.products for p in wanted):
                continue
            out.append(inst)
        return out
