"""MX's default categories (data in `fixtures/categories.yml`) and each user's custom categories.

Default categories are global: the same guids for every tenant, as at MX. A custom category hangs
under a default top-level category; transactions, rules and budgets may point at either kind.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..clock import VirtualClock
from ..errors import BadRequest, NotFound
from ..ids import GuidFactory
from ..institutions import FIXTURES_DIR
from ..yamlfile import load_yaml
from .fields import check_room, owned, text

MAX_CUSTOM_CATEGORIES = 500  # per user
UNKNOWN_CATEGORY_MESSAGE = "The category_guid does not match a default category or one of the user's categories."


@dataclass
class Category:
    guid: str
    name: str
    parent_guid: str | None = None
    is_default: bool = True
    is_income: bool = False
    user_guid: str | None = None
    metadata: str | None = None
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def top_level_guid(self) -> str:
        return self.parent_guid or self.guid


@dataclass(frozen=True)
class DefaultCategories:
    """The read-only book: by guid, and by (top-level name, name) for generation."""

    by_guid: dict[str, Category]
    by_name: dict[tuple[str, str], Category] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = FIXTURES_DIR / "categories.yml") -> "DefaultCategories":
        by_guid: dict[str, Category] = {}
        by_name: dict[tuple[str, str], Category] = {}
        for top in load_yaml(path)["categories"]:
            income = bool(top.get("is_income", False))
            parent = Category(str(top["guid"]), str(top["name"]), is_income=income)
            entries = [parent] + [
                Category(str(sub["guid"]), str(sub["name"]), parent.guid, is_income=income)
                for sub in top.get("subcategories") or []
            ]
            for category in entries:
                if category.guid in by_guid:
                    raise ValueError(f"{path}: category guid {category.guid} appears twice")
                by_guid[category.guid] = category
                by_name[(parent.name, category.name)] = category
        return cls(by_guid, by_name)

    def named(self, top_level: str, name: str) -> Category:
        found = self.by_name.get((top_level, name))
        if found is None:
            raise ValueError(f"no default category {name!r} under {top_level!r} in fixtures/categories.yml")
        return found

    def ordered(self) -> list[Category]:
        """Top-level categories by name, each followed by its subcategories by name."""
        tops = sorted((c for c in self.by_guid.values() if c.parent_guid is None), key=lambda c: c.name)
        out: list[Category] = []
        for top in tops:
            out.append(top)
            out.extend(sorted((c for c in self.by_guid.values() if c.parent_guid == top.guid), key=lambda c: c.name))
        return out


@functools.lru_cache(maxsize=1)
def default_categories() -> DefaultCategories:
    return DefaultCategories.load()


class CategoryStore:
    """Custom categories per user, and the resolver every part uses to read any category guid."""

    def __init__(self, clock: VirtualClock, guids: GuidFactory, defaults: DefaultCategories) -> None:
        self.clock = clock
        self.guids = guids
        self.defaults = defaults
        self._custom: dict[str, dict[str, Category]] = {}  # user guid → guid → category

    def find(self, user_guid: str, guid: str) -> Category | None:
        return self.defaults.by_guid.get(guid) or self._custom.get(user_guid, {}).get(guid)

    def get(self, user_guid: str, guid: str) -> Category:
        found = self.find(user_guid, guid)
        if found is None:
            raise NotFound()
        return found

    def require(self, user_guid: str, guid: Any, name: str = "category_guid") -> Category:
        """A category guid given in a body or a filter: unknown is a 400 naming the field."""
        if not isinstance(guid, str):
            raise BadRequest(f"{name} must be a string.")
        found = self.find(user_guid, guid)
        if found is None:
            raise BadRequest(UNKNOWN_CATEGORY_MESSAGE.replace("category_guid", name))
        return found

    def listing(self, user_guid: str) -> list[Category]:
        """Defaults, then the user's own, as MX's listCategories returns them."""
        return self.defaults.ordered() + list(self._custom.get(user_guid, {}).values())

    def custom(self, user_guid: str, guid: str) -> Category:
        return owned(self._custom, user_guid, guid)

    def create(self, user_guid: str, fields: dict[str, Any]) -> Category:
        name = text(fields, "name", required=True)
        parent = self.require(user_guid, text(fields, "parent_guid", required=True), "parent_guid")
        if parent.parent_guid is not None or not parent.is_default:
            raise BadRequest("parent_guid must be a default top-level category.")
        metadata = text(fields, "metadata")
        mine = self._custom.setdefault(user_guid, {})
        check_room(len(mine), MAX_CUSTOM_CATEGORIES, "custom categories")
        now = self.clock.now()
        category = Category(self.guids.new("CAT"), str(name), parent.guid, is_default=False, is_income=parent.is_income,
                            user_guid=user_guid, metadata=metadata, created_at=now, updated_at=now)
        mine[category.guid] = category
        return category

    def update(self, category: Category, fields: dict[str, Any]) -> Category:
        name, metadata = text(fields, "name"), text(fields, "metadata")
        if name is not None and not name.strip():
            raise BadRequest("name cannot be blank.")
        if name is not None:
            category.name = name
        if "metadata" in fields:
            category.metadata = metadata
        category.updated_at = self.clock.now()
        return category

    def delete(self, category: Category) -> None:
        self._custom.get(category.user_guid or "", {}).pop(category.guid, None)

    def drop_user(self, user_guid: str) -> None:
        self._custom.pop(user_guid, None)

    def matcher(self, user_guid: str, guids: Iterable[str], top_level: Iterable[str]):
        """A test on (category guid) for the list filters; every guid is checked first."""
        wanted = {self.require(user_guid, g).guid for g in guids}
        tops = set()
        for g in top_level:
            category = self.require(user_guid, g, "top_level_category_guid")
            if category.parent_guid is not None:
                raise BadRequest("top_level_category_guid must be a top-level category; use category_guid for a subcategory.")
            tops.add(category.guid)

        def keep(category_guid: str | None) -> bool:
            if wanted and category_guid not in wanted:
                return False
            if tops:
                found = self.find(user_guid, category_guid or "")
                return found is not None and found.top_level_guid in tops
            return True

        return keep
