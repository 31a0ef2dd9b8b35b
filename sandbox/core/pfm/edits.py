"""Changing a stored transaction's category and text: by the user (update) or by a rule."""
from __future__ import annotations

from typing import Any

from ..data.model import Transaction
from ..errors import BadRequest
from .categories import Category, CategoryStore
from .fields import text

UPDATABLE = ("description", "memo", "metadata", "category_guid")


def recategorise(txn: Transaction, category: Category, top: Category, at: float) -> None:
    txn.category_guid = category.guid
    txn.category = category.name
    txn.top_level_category_guid = top.guid
    txn.top_level_category = top.name
    txn.updated_at = at


def update_transaction(txn: Transaction, fields: dict[str, Any], categories: CategoryStore, at: float,
                       require_description: bool) -> Transaction:
    """Validate every field first, then apply: a bad field changes nothing."""
    values = {name: text(fields, name) for name in UPDATABLE if name in fields}
    if require_description and not values.get("description"):
        raise BadRequest("description is required.")
    category = None
    if values.get("category_guid") is not None:
        category = categories.require(txn.user_guid, values["category_guid"])
    if "description" in values and not (values["description"] or "").strip():
        raise BadRequest("description cannot be blank.")
    for name in ("description", "memo", "metadata"):
        if name in values:
            setattr(txn, name, values[name])
    if category is not None:
        recategorise(txn, category, categories.get(txn.user_guid, category.top_level_guid), at)
    txn.updated_at = at
    return txn
