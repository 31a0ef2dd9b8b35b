"""Enhance transactions: categorise and clean up descriptions a partner posts, storing nothing.

The knowledge is the profiles' own: each profile transaction rule teaches its cleaned description,
category, flags and merchant under two keys (its description and the leading words of its original
description). A posted description matches the longest key it contains as whole words; failing
that, a merchant category code a profile uses gives that rule's category; failing that, a credit
is Income and a debit Uncategorized. The same input always gives the same answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ..data.generation import merchant_guid
from ..data.profiles import Profile, TransactionRule
from ..errors import BadRequest
from .categories import Category, DefaultCategories
from .fields import text

MAX_ENHANCE = 100  # transactions per request
# `categorized_by` / `described_by`: how the answer was found (sandbox codes, see docs/decisions.md)
BY_DESCRIPTION, BY_MCC, BY_DEFAULT = 1, 2, 0
_WORDS = re.compile(r"[A-Z&']+")


def _key(value: str) -> str:
    """Upper-case words without digits or punctuation: `STARBUCKS STORE 10455` → `STARBUCKS STORE`."""
    return " ".join(_WORDS.findall(value.upper()))


@dataclass(frozen=True)
class Enhanced:
    id: str
    original_description: str
    description: str
    category: Category
    top_level: Category
    type: str | None
    amount: float | None
    memo: str | None
    extended_transaction_type: str | None
    merchant_category_code: int | None
    merchant_guid: str | None
    flags: frozenset[str]
    categorized_by: int
    described_by: int


class Enhancer:
    def __init__(self, profiles: Iterable[Profile], defaults: DefaultCategories) -> None:
        self.defaults = defaults
        self._by_key: dict[str, TransactionRule] = {}
        self._by_mcc: dict[int, TransactionRule] = {}
        rules = [r for p in sorted(profiles, key=lambda p: p.name) for a in p.accounts for r in a.transactions]
        for rule in rules:
            for key in (_key(rule.description), _key(rule.original_description or "")):
                if key:
                    self._by_key.setdefault(key, rule)
            if rule.mcc is not None:
                self._by_mcc.setdefault(rule.mcc, rule)
        self._keys = sorted(self._by_key, key=lambda k: (-len(k), k))

    def _match(self, description: str) -> TransactionRule | None:
        padded = f" {_key(description)} "
        return next((self._by_key[k] for k in self._keys if f" {k} " in padded), None)

    def _category(self, rule: TransactionRule | None, kind: str | None) -> tuple[Category, Category]:
        if rule is not None:
            category = self.defaults.named(rule.top_level_category, rule.category)
        else:
            name = "Income" if kind == "CREDIT" else "Uncategorized"
            category = self.defaults.named(name, name)
        top = self.defaults.by_guid[category.top_level_guid]
        return category, top

    def enhance(self, items: Any) -> list[Enhanced]:
        if not isinstance(items, list) or not items or len(items) > MAX_ENHANCE:
            raise BadRequest(f"transactions must be a list of 1 to {MAX_ENHANCE} objects.")
        return [self._one(item, f"transactions[{i}]") for i, item in enumerate(items)]

    def _one(self, item: Any, where: str) -> Enhanced:
        if not isinstance(item, dict):
            raise BadRequest(f"{where} must be an object.")
        description = str(text(item, "description", required=True))
        ident = str(text(item, "id", required=True))
        kind = item.get("type")
        if kind is not None and kind not in ("CREDIT", "DEBIT"):
            raise BadRequest(f"{where}.type must be CREDIT or DEBIT.")
        amount, mcc = item.get("amount"), item.get("merchant_category_code")
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, (int, float))):
            raise BadRequest(f"{where}.amount must be a number.")
        if mcc is not None and (isinstance(mcc, bool) or not isinstance(mcc, int)):
            raise BadRequest(f"{where}.merchant_category_code must be an integer.")
        rule = self._match(description)
        described_by = BY_DESCRIPTION if rule is not None else BY_DEFAULT
        categorized_by = described_by
        if rule is None and mcc is not None and mcc in self._by_mcc:
            rule, categorized_by = self._by_mcc[mcc], BY_MCC
        category, top = self._category(rule, kind)
        flags = set(rule.flags) if rule is not None else set()
        if kind == "DEBIT" and top.name not in ("Transfer", "Income"):
            flags.add("is_expense")
        if kind == "CREDIT" and top.name == "Income":
            flags.add("is_income")
        matched = described_by == BY_DESCRIPTION
        clean = rule.description if matched and rule is not None else description.strip().title()
        return Enhanced(
            id=ident, original_description=description, description=clean, category=category, top_level=top,
            type=kind, amount=amount, memo=text(item, "memo"),
            extended_transaction_type=text(item, "extended_transaction_type"), merchant_category_code=mcc,
            merchant_guid=merchant_guid(rule.description) if matched and rule is not None and rule.mcc is not None else None,
            flags=frozenset(flags), categorized_by=categorized_by, described_by=described_by,
        )
