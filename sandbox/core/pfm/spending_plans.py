"""Spending plans: monthly iterations of planned amounts, measured against the user's transactions.

- Iteration 1 is the calendar month the plan was made in; the current iteration is the month of
  the virtual now, so advancing the clock over a month boundary starts the next one. When the
  current iteration is first used, it starts with copies of the latest earlier iteration's items.
- A plan's accounts are the user's spending accounts (checking, savings, cards, lines of credit,
  prepaid, cash) as they are now, less the ones removed from the plan.
- An item's `actual_amount` and `transaction_guids` come from the iteration's transactions on the
  plan's accounts: by `category_guid`, else `top_level_category_guid`; an item with neither takes
  the transactions of its kind (income for INCOME items, spending otherwise) that no categorised
  item of the iteration claims.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..clock import VirtualClock
from ..data.model import Account, Transaction
from ..errors import BadRequest, NotFound
from ..ids import GuidFactory, stable_uuid
from .categories import CategoryStore
from .fields import check_room, owned, text
from .numbers import cents
from .spending import Ledger, Month, signed

MAX_PLANS = 10  # per user
MAX_ITEMS = 200  # per iteration
MAX_ITERATIONS_KEPT = 240  # iterations with items per plan (20 years of months)
ITEM_TYPES = {0: "RECURRING_EXPENSE", 1: "PLANNED_EXPENSE", 2: "OTHER_EXPENSE", 3: "INCOME"}
INCOME_ITEM = 3
PLAN_ACCOUNT_TYPES = frozenset({"CHECKING", "SAVINGS", "CREDIT_CARD", "LINE_OF_CREDIT", "CHECKING_LINE_OF_CREDIT",
                                "PREPAID", "CASH"})


@dataclass
class IterationItem:
    guid: str
    user_guid: str
    plan_guid: str
    iteration_number: int
    item_type: int
    planned_amount: int  # cents
    created_at: float
    updated_at: float
    category_guid: str | None = None
    top_level_category_guid: str | None = None


@dataclass
class SpendingPlan:
    guid: str
    user_guid: str
    created_at: float
    updated_at: float
    start: Month
    excluded_accounts: set[str] = field(default_factory=set)
    items: dict[int, dict[str, IterationItem]] = field(default_factory=dict)  # iteration number → guid → item


@dataclass(frozen=True)
class Iteration:
    guid: str
    plan: SpendingPlan
    number: int
    month: Month
    created_at: float


@dataclass(frozen=True)
class PlanAccount:
    guid: str
    plan: SpendingPlan
    account: Account
    created_at: float


@dataclass(frozen=True)
class ItemView:
    item: IterationItem
    iteration_guid: str
    actual_amount: int  # cents
    transaction_guids: list[str]


class SpendingPlanStore:
    def __init__(self, clock: VirtualClock, guids: GuidFactory, categories: CategoryStore) -> None:
        self.clock = clock
        self.guids = guids
        self.categories = categories
        self._plans: dict[str, dict[str, SpendingPlan]] = {}  # user guid → guid → plan

    # -- plans -------------------------------------------------------------------------------
    def list(self, user_guid: str) -> list[SpendingPlan]:
        return list(self._plans.get(user_guid, {}).values())

    def get(self, user_guid: str, guid: str) -> SpendingPlan:
        return owned(self._plans, user_guid, guid)

    def create(self, user_guid: str) -> SpendingPlan:
        mine = self._plans.setdefault(user_guid, {})
        check_room(len(mine), MAX_PLANS, "spending plans")
        now = self.clock.now()
        plan = SpendingPlan(self.guids.new("SPL"), user_guid, now, now, Month.of(now))
        mine[plan.guid] = plan
        return plan

    def delete(self, plan: SpendingPlan) -> None:
        self._plans.get(plan.user_guid, {}).pop(plan.guid, None)

    def drop_user(self, user_guid: str) -> None:
        self._plans.pop(user_guid, None)

    def drop_category(self, user_guid: str, category_guid: str) -> None:
        """Items on a deleted custom category fall back to its top-level category."""
        for plan in self.list(user_guid):
            for items in plan.items.values():
                for item in items.values():
                    if item.category_guid == category_guid:
                        item.category_guid = None

    # -- iterations ----------------------------------------------------------------------------
    def current_number(self, plan: SpendingPlan) -> int:
        return max(1, Month.of(self.clock.now()).index() - plan.start.index() + 1)

    def iteration(self, plan: SpendingPlan, number: int) -> Iteration:
        if not 1 <= number <= self.current_number(plan):
            raise NotFound()
        month = plan.start.shift(number - 1)
        return Iteration(f"SPN-{stable_uuid('spending_plan_iteration', plan.guid, number)}", plan, number, month,
                         max(plan.created_at, month.start))

    def iterations(self, plan: SpendingPlan) -> list[Iteration]:
        return [self.iteration(plan, n) for n in range(1, self.current_number(plan) + 1)]

    # -- items (of the current iteration) -----------------------------------------------------
    def current_items(self, plan: SpendingPlan) -> dict[str, IterationItem]:
        number = self.current_number(plan)
        if number not in plan.items:
            earlier = [n for n in plan.items if n < number]
            copied: dict[str, IterationItem] = {}
            now = self.clock.now()
            for item in plan.items[max(earlier)].values() if earlier else []:
                copy = IterationItem(self.guids.new("SPI"), item.user_guid, plan.guid, number, item.item_type,
                                     item.planned_amount, now, now, item.category_guid, item.top_level_category_guid)
                copied[copy.guid] = copy
            plan.items[number] = copied
            for old in sorted(plan.items)[:-MAX_ITERATIONS_KEPT]:
                del plan.items[old]
        return plan.items[number]

    def item(self, plan: SpendingPlan, guid: str) -> IterationItem:
        found = self.current_items(plan).get(guid)
        if found is None:
            raise NotFound()
        return found

    def _item_values(self, user_guid: str, fields: dict[str, Any], creating: bool) -> dict[str, Any]:
        values: dict[str, Any] = {"planned_amount": cents(fields, "planned_amount", required=creating)}
        raw_type = fields.get("item_type")
        if raw_type is not None:
            if isinstance(raw_type, str) and raw_type.strip().isdigit():
                raw_type = int(raw_type)  # v20111101 documents it as a string
            if not isinstance(raw_type, int) or isinstance(raw_type, bool) or raw_type not in ITEM_TYPES:
                raise BadRequest("item_type must be 0 (RECURRING_EXPENSE), 1 (PLANNED_EXPENSE), 2 (OTHER_EXPENSE) or 3 (INCOME).")
            values["item_type"] = int(raw_type)
        if fields.get("scheduled_payment_guid") is not None:
            raise BadRequest("scheduled_payment_guid is not supported: the sandbox's scheduled payments live only in insights.")
        category = top = None
        if fields.get("category_guid") is not None:
            category = self.categories.require(user_guid, text(fields, "category_guid"))
        if fields.get("top_level_category_guid") is not None:
            top = self.categories.require(user_guid, text(fields, "top_level_category_guid"), "top_level_category_guid")
            if top.parent_guid is not None:
                raise BadRequest("top_level_category_guid must be a top-level category.")
        if category is not None and top is not None and category.top_level_guid != top.guid:
            raise BadRequest("category_guid is not under top_level_category_guid.")
        if category is not None:
            values["category_guid"], values["top_level_category_guid"] = category.guid, category.top_level_guid
            values.setdefault("item_type", INCOME_ITEM if category.is_income else 1)
        elif top is not None:
            values["category_guid"], values["top_level_category_guid"] = None, top.guid
            values.setdefault("item_type", INCOME_ITEM if top.is_income else 1)
        return values

    def create_item(self, plan: SpendingPlan, fields: dict[str, Any]) -> IterationItem:
        values = self._item_values(plan.user_guid, fields, creating=True)
        items = self.current_items(plan)
        check_room(len(items), MAX_ITEMS, "items in a spending plan iteration")
        now = self.clock.now()
        item = IterationItem(self.guids.new("SPI"), plan.user_guid, plan.guid, self.current_number(plan),
                             values.get("item_type", 2), values["planned_amount"], now, now,
                             values.get("category_guid"), values.get("top_level_category_guid"))
        items[item.guid] = item
        plan.updated_at = now
        return item

    def update_item(self, plan: SpendingPlan, item: IterationItem, fields: dict[str, Any]) -> IterationItem:
        values = self._item_values(plan.user_guid, fields, creating=False)
        for name, value in values.items():
            if value is not None or name == "category_guid":
                setattr(item, name, value)
        item.updated_at = plan.updated_at = self.clock.now()
        return item

    def delete_item(self, plan: SpendingPlan, item: IterationItem) -> None:
        self.current_items(plan).pop(item.guid, None)
        plan.updated_at = self.clock.now()

    def views(self, plan: SpendingPlan, items: Iterable[IterationItem], ledger: Ledger,
              accounts: list[Account]) -> list[ItemView]:
        """The items with what the iteration's transactions on the plan's accounts add up to."""
        iteration = self.iteration(plan, self.current_number(plan))
        included = {a.account.guid for a in self.accounts(plan, accounts)}
        window = [t for t in ledger.within(iteration.month.days) if t.account_guid in included]
        every = list(self.current_items(plan).values())
        claimed = {t.guid for t in window for i in every if _matches(i, t)}
        out = []
        for item in items:
            if item.category_guid or item.top_level_category_guid:
                found = [t for t in window if _matches(item, t)]
            else:
                kind = "income" if item.item_type == INCOME_ITEM else "spending"
                found = [t for t in window if t.guid not in claimed and ledger.kind(t) == kind]
            sign = -1 if item.item_type == INCOME_ITEM else 1
            found.sort(key=lambda t: (t.day, t.transacted_at, t.guid))
            out.append(ItemView(item, iteration.guid, sign * sum(signed(t) for t in found), [t.guid for t in found]))
        return out

    # -- plan accounts -------------------------------------------------------------------------
    def accounts(self, plan: SpendingPlan, user_accounts: list[Account]) -> list[PlanAccount]:
        return [
            PlanAccount(f"SPA-{stable_uuid('spending_plan_account', plan.guid, a.guid)}", plan, a,
                        max(plan.created_at, a.created_at))
            for a in user_accounts
            if a.type in PLAN_ACCOUNT_TYPES and a.guid not in plan.excluded_accounts
        ]

    def account(self, plan: SpendingPlan, user_accounts: list[Account], guid: str) -> PlanAccount:
        found = next((a for a in self.accounts(plan, user_accounts) if a.guid == guid), None)
        if found is None:
            raise NotFound()
        return found

    def remove_account(self, plan_account: PlanAccount) -> None:
        plan_account.plan.excluded_accounts.add(plan_account.account.guid)
        plan_account.plan.updated_at = self.clock.now()

    def prune(self, user_guid: str, has_account) -> None:
        """Forget removals of accounts that no longer exist (their member was deleted)."""
        for plan in self.list(user_guid):
            plan.excluded_accounts = {g for g in plan.excluded_accounts if has_account(g)}


def _matches(item: IterationItem, txn: Transaction) -> bool:
    if item.category_guid:
        return txn.category_guid == item.category_guid
    return bool(item.top_level_category_guid) and txn.top_level_category_guid == item.top_level_category_guid
