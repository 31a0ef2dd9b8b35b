"""Transaction rules: "transactions whose description contains X go to category Y (renamed Z)".

A rule applies to the user's matching transactions when it is created or changed, and to the
transactions every later aggregation brings (the component runs `apply` on `JobCompleted`). When
several rules match, the newest wins, so rules are applied oldest first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..clock import VirtualClock
from ..data.model import Transaction
from ..errors import BadRequest
from ..ids import GuidFactory
from .categories import CategoryStore
from .edits import recategorise
from .fields import check_room, owned, text

MAX_RULES = 200  # per user


@dataclass
class TransactionRule:
    guid: str
    user_guid: str
    category_guid: str
    match_description: str
    description: str | None
    created_at: float
    updated_at: float
    metadata: str | None = None

    def matches(self, txn: Transaction) -> bool:
        needle = self.match_description.lower()
        return needle in (txn.original_description or "").lower() or needle in txn.description.lower()


class RuleStore:
    def __init__(self, clock: VirtualClock, guids: GuidFactory, categories: CategoryStore) -> None:
        self.clock = clock
        self.guids = guids
        self.categories = categories
        self._rules: dict[str, dict[str, TransactionRule]] = {}  # user guid → guid → rule (creation order)

    def list(self, user_guid: str) -> list[TransactionRule]:
        return list(self._rules.get(user_guid, {}).values())

    def get(self, user_guid: str, guid: str) -> TransactionRule:
        return owned(self._rules, user_guid, guid)

    def _values(self, user_guid: str, fields: dict[str, Any], creating: bool) -> dict[str, Any]:
        values = {name: text(fields, name, required=creating and name != "description")
                  for name in ("category_guid", "match_description", "description", "metadata") if name in fields}
        if creating:
            for name in ("category_guid", "match_description"):
                if not values.get(name):
                    raise BadRequest(f"{name} is required.")
        if "match_description" in values and not (values["match_description"] or "").strip():
            raise BadRequest("match_description cannot be blank.")
        if values.get("category_guid") is not None:
            values["category_guid"] = self.categories.require(user_guid, values["category_guid"]).guid
        elif "category_guid" in values:
            del values["category_guid"]
        return values

    def create(self, user_guid: str, fields: dict[str, Any]) -> TransactionRule:
        values = self._values(user_guid, fields, creating=True)
        mine = self._rules.setdefault(user_guid, {})
        check_room(len(mine), MAX_RULES, "transaction rules")
        now = self.clock.now()
        rule = TransactionRule(self.guids.new("TXR"), user_guid, values["category_guid"], values["match_description"],
                               values.get("description"), now, now, values.get("metadata"))
        mine[rule.guid] = rule
        return rule

    def update(self, rule: TransactionRule, fields: dict[str, Any]) -> TransactionRule:
        for name, value in self._values(rule.user_guid, fields, creating=False).items():
            setattr(rule, name, value)
        rule.updated_at = self.clock.now()
        return rule

    def delete(self, rule: TransactionRule) -> None:
        self._rules.get(rule.user_guid, {}).pop(rule.guid, None)

    def drop_category(self, user_guid: str, category_guid: str) -> None:
        mine = self._rules.get(user_guid, {})
        for guid in [g for g, r in mine.items() if r.category_guid == category_guid]:
            del mine[guid]

    def drop_user(self, user_guid: str) -> None:
        self._rules.pop(user_guid, None)

    def apply(self, user_guid: str, transactions: Iterable[Transaction], only: TransactionRule | None = None) -> int:
        """Recategorise matching transactions; returns how many changed."""
        rules = [only] if only is not None else self.list(user_guid)
        if not rules:
            return 0
        now, changed = self.clock.now(), 0
        for txn in transactions:
            for rule in rules:
                if not rule.matches(txn):
                    continue
                category = self.categories.find(user_guid, rule.category_guid)
                if category is None:
                    continue
                if txn.category_guid != category.guid or (rule.description and txn.description != rule.description):
                    recategorise(txn, category, self.categories.get(user_guid, category.top_level_guid), now)
                    if rule.description:
                        txn.description = rule.description
                    changed += 1
        return changed
