"""Planning over the aggregated data: budgets, goals, spending plans and the monthly cash-flow profile.

One place joins the stores to the user's accounts and transactions (the `Ledger`), so every route
reads amounts computed the same way. Cascades: a deleted member's goals and plan-account removals
go (`prune`), a deleted custom category's budgets go, a deleted user's everything goes.
"""
from __future__ import annotations

from typing import Any

from ..clock import VirtualClock
from ..data.model import Account
from ..data.store import DataStore
from ..errors import BadRequest, NotFound
from ..ids import GuidFactory
from .budgets import Budget, BudgetStore, BudgetView
from .cash_flow import CashFlowStore, CashFlowView
from .categories import CategoryStore
from .goals import Goal, GoalStore, GoalView
from .spending import Ledger, Month, average_in_dollars, counted
from .spending_plans import IterationItem, ItemView, SpendingPlan, SpendingPlanStore


class Planning:
    def __init__(self, clock: VirtualClock, guids: GuidFactory, data: DataStore, categories: CategoryStore) -> None:
        self.clock = clock
        self.data = data
        self.categories = categories
        self.budgets = BudgetStore(clock, guids, categories)
        self.goals = GoalStore(clock, guids)
        self.plans = SpendingPlanStore(clock, guids, categories)
        self.cash_flow = CashFlowStore(guids)

    def ledger(self, user_guid: str) -> Ledger:
        return Ledger(self.categories.defaults, self.data.all_transactions(user_guid))

    # -- budgets -------------------------------------------------------------------------------
    def budget_views(self, user_guid: str, budgets: list[Budget]) -> list[BudgetView]:
        ledger = self.ledger(user_guid)
        return [self.budgets.view(b, ledger) for b in budgets]

    def create_budget(self, user_guid: str, fields: dict[str, Any]) -> Budget:
        """Without an `amount`, the category's average over the two previous calendar months."""
        default = 0
        guid = fields.get("category_guid")
        if fields.get("amount") is None and isinstance(guid, str):
            month = Month.of(self.clock.now())
            ledger = self.ledger(user_guid)
            default = average_in_dollars(sum(ledger.spent(guid, month.shift(-n).days) for n in (1, 2)))
        return self.budgets.create(user_guid, fields, default)

    def generate_budgets(self, user_guid: str) -> list[Budget]:
        return self.budgets.generate(user_guid, self.ledger(user_guid))

    # -- goals ---------------------------------------------------------------------------------
    def _account_reader(self, user_guid: str):
        def read(guid: str) -> Account:
            try:
                return self.data.account(user_guid, guid)
            except NotFound:
                raise BadRequest("account_guid does not match one of the user's accounts.") from None
        return read

    def _account(self, goal: Goal) -> Account | None:
        try:
            return self.data.account(goal.user_guid, goal.account_guid)
        except NotFound:
            return None

    def goal_views(self, user_guid: str, goals: list[Goal]) -> list[GoalView]:
        transactions = counted(self.data.all_transactions(user_guid))
        return [self.goals.view(g, self._account(g), transactions) for g in goals]

    def create_goal(self, user_guid: str, fields: dict[str, Any]) -> Goal:
        return self.goals.create(user_guid, fields, self._account_reader(user_guid))

    def update_goal(self, goal: Goal, fields: dict[str, Any]) -> Goal:
        return self.goals.update(goal, fields, self._account_reader(goal.user_guid), self._account(goal))

    # -- spending plans ------------------------------------------------------------------------
    def item_views(self, plan: SpendingPlan, items: list[IterationItem]) -> list[ItemView]:
        return self.plans.views(plan, items, self.ledger(plan.user_guid), self.data.accounts(plan.user_guid))

    def plan_accounts(self, plan: SpendingPlan):
        return self.plans.accounts(plan, self.data.accounts(plan.user_guid))

    def plan_account(self, plan: SpendingPlan, guid: str):
        return self.plans.account(plan, self.data.accounts(plan.user_guid), guid)

    # -- monthly cash flow ---------------------------------------------------------------------
    def cash_flow_view(self, user_guid: str) -> CashFlowView:
        income, spending = self.ledger(user_guid).monthly_average(self.clock.now())
        budgeted = self.budgets.total(user_guid)
        return CashFlowView(self.cash_flow.get(user_guid), max(0, income), max(0, spending if budgeted is None else budgeted))

    # -- cascades ------------------------------------------------------------------------------
    def prune(self, user_guid: str) -> None:
        existing = {a.guid for a in self.data.accounts(user_guid)}
        self.goals.prune(user_guid, existing.__contains__)
        self.plans.prune(user_guid, existing.__contains__)

    def drop_category(self, user_guid: str, category_guid: str) -> None:
        self.budgets.drop_category(user_guid, category_guid)
        self.plans.drop_category(user_guid, category_guid)

    def drop_user(self, user_guid: str) -> None:
        self.budgets.drop_user(user_guid)
        self.goals.drop_user(user_guid)
        self.plans.drop_user(user_guid)
        self.cash_flow.drop_user(user_guid)
