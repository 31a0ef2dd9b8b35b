"""Planning JSON: budgets, goals, spending plans and the monthly cash-flow profile.

The two versions agree except that v20111101 documents an iteration item's `item_type` as a
string. Goal fields the specs declare as non-nullable strings are left out while unset.
"""
from __future__ import annotations

from typing import Any

from ..core.clock import format_instant
from ..core.pfm.budgets import BudgetView
from ..core.pfm.cash_flow import CashFlowView
from ..core.pfm.goals import GoalView
from ..core.pfm.numbers import dollars
from ..core.pfm.spending_plans import ItemView, Iteration, PlanAccount, SpendingPlan
from ..core.versions import V2025


def budget_json(view: BudgetView) -> dict[str, Any]:
    budget = view.budget
    return {
        "amount": dollars(budget.amount),
        "category_guid": budget.category_guid,
        "created_at": format_instant(budget.created_at),
        "guid": budget.guid,
        "is_exceeded": view.is_exceeded,
        "is_off_track": view.is_off_track,
        "metadata": budget.metadata,
        "name": view.name,
        "off_track_percentage": view.off_track_percentage,
        "parent_guid": budget.parent_guid,
        "percent_spent": view.percent_spent,
        "projected_spending": dollars(view.projected_spending),
        "revision": budget.revision,
        "transaction_total": dollars(view.transaction_total),
        "updated_at": format_instant(budget.updated_at),
        "user_guid": budget.user_guid,
    }


def goal_json(view: GoalView) -> dict[str, Any]:
    goal = view.goal
    out: dict[str, Any] = {
        "account_guid": goal.account_guid,
        "amount": dollars(goal.amount),
        "current_amount": dollars(view.current_amount),
        "goal_type_name": goal.goal_type_name,
        "guid": goal.guid,
        "has_been_spent": goal.has_been_spent,
        "is_complete": goal.is_complete or view.current_amount >= goal.amount,
        "meta_type_name": goal.meta_type_name,
        "name": goal.name,
        "position": goal.position,
        "track_type_name": goal.track_type_name,
        "user_guid": goal.user_guid,
    }
    optional = {
        "completed_at": goal.completed_at,
        "projected_to_complete_at": view.projected_to_complete_at,
        "targeted_to_complete_at": goal.targeted_to_complete_at,
    }
    out.update({name: format_instant(value) for name, value in optional.items() if value is not None})
    if goal.metadata is not None:
        out["metadata"] = goal.metadata
    return out


def cash_flow_json(view: CashFlowView) -> dict[str, Any]:
    profile = view.profile
    return {
        "guid": profile.guid,
        "user_guid": profile.user_guid,
        "budgeted_income": dollars(view.budgeted_income),
        "budgeted_expenses": dollars(view.budgeted_expenses),
        "goals_contribution": dollars(view.goals_contribution),
        "estimated_goals_contribution": dollars(view.estimated_goals_contribution),
        "uses_estimated_goals_contribution": profile.uses_estimated_goals_contribution,
    }


def plan_json(plan: SpendingPlan, current_iteration_number: int) -> dict[str, Any]:
    return {
        "created_at": format_instant(plan.created_at),
        "current_iteration_number": current_iteration_number,
        "guid": plan.guid,
        "updated_at": format_instant(plan.updated_at),
        "user_guid": plan.user_guid,
    }


def iteration_json(iteration: Iteration) -> dict[str, Any]:
    return {
        "created_at": format_instant(iteration.created_at),
        "end_on": iteration.month.last.isoformat(),
        "guid": iteration.guid,
        "iteration_number": iteration.number,
        "spending_plan_guid": iteration.plan.guid,
        "start_on": iteration.month.first.isoformat(),
        "updated_at": format_instant(max(iteration.created_at, iteration.plan.updated_at)),
        "user_guid": iteration.plan.user_guid,
    }


def item_json(view: ItemView, version: str) -> dict[str, Any]:
    item = view.item
    return {
        "actual_amount": dollars(view.actual_amount),
        "category_guid": item.category_guid,
        "created_at": format_instant(item.created_at),
        "guid": item.guid,
        "item_type": item.item_type if version == V2025 else str(item.item_type),
        "planned_amount": dollars(item.planned_amount),
        "scheduled_payment_guid": None,
        "spending_plan_iteration_guid": view.iteration_guid,
        "top_level_category_guid": item.top_level_category_guid,
        "transaction_guids": view.transaction_guids,
        "updated_at": format_instant(item.updated_at),
        "user_guid": item.user_guid,
    }


def plan_account_json(plan_account: PlanAccount, client_guid: str) -> dict[str, Any]:
    return {
        "account_guid": plan_account.account.guid,
        "client_guid": client_guid,
        "created_at": format_instant(plan_account.created_at),
        "guid": plan_account.guid,
        "spending_plan_guid": plan_account.plan.guid,
        "updated_at": format_instant(max(plan_account.created_at, plan_account.plan.updated_at)),
        "user_guid": plan_account.plan.user_guid,
    }

