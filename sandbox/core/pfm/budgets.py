"""Budgets: a monthly amount for one category, and what the user spent in it this calendar month.

A budget stores only its category, amount and metadata; spending, projection and the flags are
computed from the user's transactions when read (`BudgetView`), so they follow new aggregations,
recategorisations and the virtual clock. A top-level budget counts its subcategories' spending;
a subcategory budget hangs under the user's budget for its top-level category (`parent_guid`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..clock import VirtualClock
from ..errors import BadRequest, Conflict, Unprocessable
from ..ids import GuidFactory
from .categories import CategoryStore
from .fields import check_room, owned, text
from .numbers import cents
from .spending import Ledger, Month, average_in_dollars, elapsed_fraction

MAX_BUDGETS = 200  # per user
NOT_ENOUGH = "There aren't enough transactions to automatically create any budgets"


@dataclass
class Budget:
    guid: str
    user_guid: str
    category_guid: str
    amount: int  # cents per month
    created_at: float
    updated_at: float
    parent_guid: str | None = None  # the top-level budget of a subcategory budget
    metadata: str | None = None
    revision: int = 1


@dataclass(frozen=True)
class BudgetView:
    """A budget as read at one instant: its record plus this month's figures (cents)."""

    budget: Budget
    name: str
    transaction_total: int
    projected_spending: int

    @property
    def is_exceeded(self) -> bool:
        return self.transaction_total > self.budget.amount

    @property
    def is_off_track(self) -> bool:
        return self.projected_spending > self.budget.amount

    @property
    def percent_spent(self) -> float:
        amount = self.budget.amount
        return 0.0 if amount == 0 else round(self.transaction_total / amount * 100, 2)

    @property
    def off_track_percentage(self) -> float | None:
        amount = self.budget.amount
        if amount == 0:
            return None
        return round(max(0, self.projected_spending - amount) / amount * 100, 2)


class BudgetStore:
    def __init__(self, clock: VirtualClock, guids: GuidFactory, categories: CategoryStore) -> None:
        self.clock = clock
        self.guids = guids
        self.categories = categories
        self._budgets: dict[str, dict[str, Budget]] = {}  # user guid → guid → budget (creation order)

    def list(self, user_guid: str) -> list[Budget]:
        return list(self._budgets.get(user_guid, {}).values())

    def get(self, user_guid: str, guid: str) -> Budget:
        return owned(self._budgets, user_guid, guid)

    def view(self, budget: Budget, ledger: Ledger) -> BudgetView:
        now = self.clock.now()
        category = self.categories.find(budget.user_guid, budget.category_guid)
        total = ledger.spent(budget.category_guid, Month.of(now).days)
        projected = round(max(total, 0) / elapsed_fraction(now))
        return BudgetView(budget, category.name if category else "", total, projected)

    def _for_category(self, user_guid: str, category_guid: str) -> Budget | None:
        return next((b for b in self.list(user_guid) if b.category_guid == category_guid), None)

    def create(self, user_guid: str, fields: dict[str, Any], default_amount: int) -> Budget:
        """`default_amount` (cents) is used when the body has no `amount`: the caller derives it
        from recent spending."""
        category = self.categories.require(user_guid, text(fields, "category_guid", required=True))
        amount = cents(fields, "amount")
        metadata = text(fields, "metadata")
        parent_guid = None
        if category.parent_guid is not None:
            parent = self._for_category(user_guid, category.parent_guid)
            if parent is None:
                raise BadRequest("A subcategory budget needs a budget for its top-level category first.")
            given = text(fields, "parent_guid")
            if given is not None and given != parent.guid:
                raise BadRequest("parent_guid must be the budget of the category's top-level category.")
            parent_guid = parent.guid
        if self._for_category(user_guid, category.guid) is not None:
            raise Conflict("A budget for this category already exists.")
        mine = self._budgets.setdefault(user_guid, {})
        check_room(len(mine), MAX_BUDGETS, "budgets")
        now = self.clock.now()
        budget = Budget(self.guids.new("BGT"), user_guid, category.guid, default_amount if amount is None else amount,
                        now, now, parent_guid, metadata)
        mine[budget.guid] = budget
        return budget

    def update(self, budget: Budget, fields: dict[str, Any]) -> Budget:
        amount, metadata = cents(fields, "amount"), text(fields, "metadata")
        if amount is not None:
            budget.amount = amount
        if "metadata" in fields:
            budget.metadata = metadata
        budget.revision += 1
        budget.updated_at = self.clock.now()
        return budget

    def delete(self, budget: Budget) -> None:
        """A top-level budget takes its subcategory budgets with it."""
        mine = self._budgets.get(budget.user_guid, {})
        for guid in [g for g, b in mine.items() if g == budget.guid or b.parent_guid == budget.guid]:
            del mine[guid]

    def generate(self, user_guid: str, ledger: Ledger) -> list[Budget]:
        """MX's auto-generation: a top-level budget for every spending category with transactions in
        each of the two previous calendar months, at their average. Existing budgets are kept as
        they are and returned too; none qualifying is a 422."""
        active = ledger.active_top_levels(self.clock.now())
        if not active:
            raise Unprocessable(NOT_ENOUGH)
        out = []
        by_name = sorted(active.items(), key=lambda item: self.categories.get(user_guid, item[0]).name)
        for category_guid, total in by_name:
            existing = self._for_category(user_guid, category_guid)
            out.append(existing or self.create(user_guid, {"category_guid": category_guid}, average_in_dollars(total)))
        return out

    def drop_category(self, user_guid: str, category_guid: str) -> None:
        for budget in [b for b in self.list(user_guid) if b.category_guid == category_guid]:
            self.delete(budget)

    def drop_user(self, user_guid: str) -> None:
        self._budgets.pop(user_guid, None)

    def total(self, user_guid: str) -> int | None:
        """The sum of the user's top-level budgets (cents), None without any."""
        tops = [b.amount for b in self.list(user_guid) if b.parent_guid is None]
        return sum(tops) if tops else None
