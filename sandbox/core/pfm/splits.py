"""Splitting a transaction into children that share its amount, and undoing it.

A split leaves the parent in place with `has_been_split` set; each child is a transaction of its own
(listed, readable, taggable) whose `parent_guid` names the parent, on the same account and date,
with its own amount, category, description and memo. The children's amounts always add up to the
parent's: the parts a request names, plus one remainder child in the parent's category when they
fall short. A parent with children, or a child, cannot be split; unsplitting deletes the children.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any

from ..data.model import Transaction
from ..data.store import DataStore
from ..errors import BadRequest
from ..ids import GuidFactory
from .categories import Category, CategoryStore
from .edits import recategorise
from .fields import text

MAX_PARTS = 20  # children per split


def _cents(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value * 100):
        raise BadRequest("amount must be a number.")
    cents = round(value * 100)
    if cents <= 0:
        raise BadRequest("amount must be greater than zero.")
    return cents


def _parts(body: Any) -> list[dict[str, Any]]:
    """MX's spec shows one part as an object; a list of parts is taken too."""
    parts = body if isinstance(body, list) else [body]
    if not parts or len(parts) > MAX_PARTS or not all(isinstance(p, dict) for p in parts):
        raise BadRequest(f"transactions must be an object or a list of 1 to {MAX_PARTS} objects.")
    return parts


class Splitter:
    def __init__(self, guids: GuidFactory, data: DataStore, categories: CategoryStore) -> None:
        self.guids = guids
        self.data = data
        self.categories = categories

    def split(self, parent: Transaction, body: Any, now: float) -> list[Transaction]:
        """Validate every part first, then store the children: a bad part changes nothing."""
        if parent.parent_guid is not None:
            raise BadRequest("A split transaction cannot be split again.")
        if parent.has_been_split:
            raise BadRequest("The transaction has already been split; delete its split first.")
        wanted = []
        for part in _parts(body):
            guid = text(part, "category_guid")
            category = self.categories.require(parent.user_guid, guid) if guid is not None else None
            wanted.append((_cents(part.get("amount")), category, text(part, "description"), text(part, "memo")))
        total = sum(amount for amount, *_ in wanted)
        if total > parent.amount:
            raise BadRequest("The split amounts add up to more than the transaction's amount.")
        if total == parent.amount and len(wanted) < 2:
            raise BadRequest("A split needs at least two parts; give an amount below the transaction's.")
        if total < parent.amount:
            wanted.append((parent.amount - total, None, None, None))
        children = [self._child(parent, amount, category, description, memo, now)
                    for amount, category, description, memo in wanted]
        parent.has_been_split = True
        parent.updated_at = now
        self.data.add_derived(children)
        return children

    def _child(self, parent: Transaction, amount: int, category: Category | None, description: str | None,
               memo: str | None, now: float) -> Transaction:
        child = dataclasses.replace(
            parent, guid=self.guids.new("TRN"), amount=amount, description=description or parent.description,
            memo=memo, metadata=None, seq=-1, created_at=now, updated_at=now, parent_guid=parent.guid,
            has_been_split=False,
        )
        if category is not None:
            recategorise(child, category, self.categories.get(parent.user_guid, category.top_level_guid), now)
        return child

    def children(self, parent: Transaction) -> list[Transaction]:
        found = [t for t in self.data.all_transactions(parent.user_guid) if t.parent_guid == parent.guid]
        return sorted(found, key=lambda t: t.guid)

    def unsplit(self, parent: Transaction, now: float) -> None:
        """MX answers 204 whether or not the transaction had children."""
        self.data.remove_derived([t.guid for t in self.children(parent)])
        if parent.has_been_split:
            parent.has_been_split = False
            parent.updated_at = now
