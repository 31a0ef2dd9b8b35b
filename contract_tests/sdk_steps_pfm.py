"""The SDK walk's money-management steps, in the order they stay valid: default and custom
categories, merchants, tags, taggings and rules, then budgets, goals, spending plans and the monthly
cash flow profile. contract_tests/sdk_walk.py splices them into its STEPS."""
from __future__ import annotations

from typing import Any, Callable

from mx_platform_python import models as m
from mx_platform_python.api import (
    BudgetsApi, CategoriesApi, GoalsApi, MerchantsApi, MonthlyCashFlowProfileApi, SpendingPlanApi, TaggingsApi,
    TagsApi, TransactionRulesApi,
)

from contract_tests.sdk_world import V1_ACCEPT, Api, World, keep

PFM_STEPS: list[tuple[str, Callable[[Api, World], Any], float]] = [
    # PFM: categories, merchants, tags, taggings, rules
    ("list_default_categories", lambda a, w: a(CategoriesApi).list_default_categories(), 0),
    ("read_default_category", lambda a, w: a(CategoriesApi).read_default_category(w.category), 0),
    ("list_default_categories_by_user", lambda a, w: a(CategoriesApi).list_default_categories_by_user(w.user), 0),
    ("create_category", lambda a, w: keep(w, "custom_category", a(CategoriesApi).create_category(
        w.user, m.CategoryCreateRequestBody(category=m.CategoryCreateRequest(name="Walks", parent_guid=w.top_category))
    ).category.guid), 0),
    ("list_categories", lambda a, w: a(CategoriesApi).list_categories(w.user), 0),
    ("read_category", lambda a, w: a(CategoriesApi).read_category(w.custom_category, w.user), 0),
    ("update_category", lambda a, w: a(CategoriesApi).update_category(
        w.custom_category, w.user, m.CategoryUpdateRequestBody(category=m.CategoryUpdateRequest(name="Long walks"))), 0),
    ("list_merchants", lambda a, w: a(MerchantsApi).list_merchants(name="a"), 0),
    ("read_merchant", lambda a, w: a(MerchantsApi).read_merchant(w.merchant), 0),
    ("read_merchant_location", lambda a, w: a(MerchantsApi).read_merchant_location(w.merchant_location), 0),
    ("create_tag", lambda a, w: keep(w, "new_tag", a(TagsApi).create_tag(
        w.user, m.TagCreateRequestBody(tag=m.TagCreateRequest(name="walked"))).tag.guid), 0),
    ("list_tags", lambda a, w: a(TagsApi).list_tags(w.user), 0),
    ("read_tag", lambda a, w: a(TagsApi).read_tag(w.new_tag, w.user), 0),
    ("update_tag", lambda a, w: a(TagsApi).update_tag(
        w.new_tag, w.user, m.TagUpdateRequestBody(tag=m.TagUpdateRequest(name="walked far"))), 0),
    ("create_tagging", lambda a, w: keep(w, "tagging", a(TaggingsApi).create_tagging(w.user, m.TaggingCreateRequestBody(
        tagging=m.TaggingCreateRequest(tag_guid=w.tag, transaction_guid=w.transaction))).tagging.guid), 0),
    ("list_taggings", lambda a, w: a(TaggingsApi).list_taggings(w.user), 0),
    ("read_tagging", lambda a, w: a(TaggingsApi).read_tagging(w.tagging, w.user), 0),
    ("update_tagging", lambda a, w: a(TaggingsApi).update_tagging(w.tagging, w.user, m.TaggingUpdateRequestBody(
        tagging=m.TaggingUpdateRequest(tag_guid=w.new_tag))), 0),
    ("create_transaction_rule", lambda a, w: keep(w, "new_rule", a(TransactionRulesApi).create_transaction_rule(
        w.user, m.TransactionRuleCreateRequestBody(transaction_rule=m.TransactionRuleCreateRequest(
            category_guid=w.category, match_description="lemonade"))).transaction_rule.guid), 0),
    ("list_transaction_rules", lambda a, w: a(TransactionRulesApi).list_transaction_rules(w.user), 0),
    ("read_transaction_rule", lambda a, w: a(TransactionRulesApi).read_transaction_rule(w.new_rule, w.user), 0),
    ("update_transaction_rule", lambda a, w: a(TransactionRulesApi).update_transaction_rule(
        w.new_rule, w.user, m.TransactionRuleUpdateRequestBody(transaction_rule=m.TransactionRuleUpdateRequest(
            description="Lemonade stand"))), 0),
    # PFM planning: budgets, goals, spending plans, monthly cash flow
    ("create_budget", lambda a, w: keep(w, "budget", a(BudgetsApi).create_budget(w.user, m.BudgetCreateRequestBody(
        budget=m.BudgetCreateRequest(category_guid=w.top_category, parent_guid="none", amount=500))).budget.guid), 0),
    ("list_all_budgets", lambda a, w: a(BudgetsApi).list_all_budgets(w.user), 0),
    ("read_specific_budget", lambda a, w: a(BudgetsApi).read_specific_budget(w.user, w.budget), 0),
    ("update_specific_budget", lambda a, w: a(BudgetsApi).update_specific_budget(w.user, w.budget, m.BudgetUpdateRequestBody(
        budget=m.BudgetUpdateRequest(amount=600))), 0),
    ("auto_generate_budgets", lambda a, w: a(BudgetsApi).auto_generate_budgets(w.user), 0),
    ("create_goal", lambda a, w: keep(w, "goal", a(GoalsApi).create_goal(w.user, m.GoalRequestBody(goal=m.GoalRequest(
        account_guid=w.account, amount=100000, goal_type_name="SAVE_AMOUNT", meta_type_name="VACATION", name="Walk")
    )).goal.guid), 0),
    ("list_goals", lambda a, w: a(GoalsApi).list_goals(V1_ACCEPT, w.user), 0),
    ("read_goal", lambda a, w: a(GoalsApi).read_goal(w.goal, w.user), 0),
    ("update_goal", lambda a, w: a(GoalsApi).update_goal(w.goal, w.user, m.UpdateGoalRequestBody(
        goal=m.UpdateGoalRequest(name="Long walk"))), 0),
    ("reposition_goals", lambda a, w: a(GoalsApi).reposition_goals(w.user, m.RepositionRequestBody(
        goals=[m.RepositionRequest(guid=w.goal, position=1)])), 0),
    ("create_spending_plan", lambda a, w: keep(w, "spending_plan", a(SpendingPlanApi).create_spending_plan(w.user).guid), 0),
    ("list_spending_plans", lambda a, w: a(SpendingPlanApi).list_spending_plans(w.user), 0),
    ("read_spending_plan_user", lambda a, w: a(SpendingPlanApi).read_spending_plan_user(w.user, w.spending_plan), 0),
    ("list_spending_plan_iterations", lambda a, w: a(SpendingPlanApi).list_spending_plan_iterations(w.user, w.spending_plan), 0),
    ("read_current_spending_plan_iteration", lambda a, w: a(SpendingPlanApi).read_current_spending_plan_iteration(
        w.user, w.spending_plan), 0),
    ("read_spending_plan_iteration", lambda a, w: a(SpendingPlanApi).read_spending_plan_iteration(w.user, w.spending_plan, 1), 0),
    ("create_spending_plan_iteration_item", lambda a, w: keep(w, "iteration_item", a(
        SpendingPlanApi).create_spending_plan_iteration_item(w.spending_plan, w.user, m.SpendingPlanIterationItemCreateRequestBody(
            planned_amount=100, category_guid=w.category)).guid), 0),
    ("list_spending_plan_iteration_items", lambda a, w: a(SpendingPlanApi).list_spending_plan_iteration_items(
        w.user, w.spending_plan), 0),
    ("read_spending_plan_iteration_item", lambda a, w: a(SpendingPlanApi).read_spending_plan_iteration_item(
        w.user, w.spending_plan, w.iteration_item), 0),
    ("update_spending_plan_iteration_item", lambda a, w: a(SpendingPlanApi).update_spending_plan_iteration_item(
        w.user, w.spending_plan, w.iteration_item, m.SpendingPlanIterationItemCreateRequestBody(planned_amount=120)), 0),
    ("list_spending_plan_accounts", lambda a, w: keep(w, "plan_account", a(SpendingPlanApi).list_spending_plan_accounts(
        w.user, w.spending_plan).spending_plan_accounts[0].guid), 0),
    ("read_spending_plan_account", lambda a, w: a(SpendingPlanApi).read_spending_plan_account(
        w.user, w.spending_plan, w.plan_account), 0),
    ("read_monthly_cash_flow_profile", lambda a, w: a(MonthlyCashFlowProfileApi).read_monthly_cash_flow_profile(w.user), 0),
    ("update_monthly_cash_flow_profile", lambda a, w: a(MonthlyCashFlowProfileApi).update_monthly_cash_flow_profile(
        w.user, m.MonthlyCashFlowProfileRequestBody(institution=m.MonthlyCashFlowProfileRequest(goals_contribution=50))), 0),
]
