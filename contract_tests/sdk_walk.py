"""Every operation MX's official Python SDK (mx-platform-python, v20111101) has for the resources the
sandbox serves, called the way an integration calls it, in an order that keeps each one valid.

`operations()` reads the SDK's own API classes, so an operation a new SDK adds is noticed;
`STEPS` says how to call each one (the money-management ones are in sdk_steps_pfm.py, the guids they
share in sdk_world.py). contract_tests/test_sdk_versioning.py runs the walk under both
versioning policies and checks each outcome against contract_tests/implemented_operations.yml.
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any, Callable

import mx_platform_python.api as sdk_apis
from mx_platform_python import models as m
from mx_platform_python.api import (
    AccountsApi, AchReturnApi, BudgetsApi, CategoriesApi, GoalsApi, InsightsApi, InstitutionsApi, InvestmentHoldingsApi,
    ManagedDataApi, MembersApi, MicrodepositsApi, NotificationsApi, ProcessorTokenApi, RewardsApi, SpendingPlanApi,
    StatementsApi, TaggingsApi, TagsApi, TransactionsApi, UsersApi, VerifiableCredentialsApi, WidgetsApi,
)

from contract_tests.conformance import implemented
from contract_tests.sdk_steps_pfm import PFM_STEPS
from contract_tests.sdk_world import V1_ACCEPT, Api, World, keep
from contract_tests.spec import load_spec

_CALL = re.compile(r"def (\w+)_with_http_info\(.*?call_api\(\s*'([^']+)', '(\w+)'", re.S)


@dataclass(frozen=True)
class SdkOperation:
    name: str  # the SDK method, e.g. delete_member
    api: type
    method: str
    path: str
    operation_id: str | None  # in MX's v20111101 spec; None when the spec lacks the path


def operations() -> dict[str, SdkOperation]:
    """Every operation of every SDK API class (resource) of which the sandbox serves at least one."""
    spec_paths = load_spec("v20111101")["paths"]
    served = implemented("v20111101")
    out = {}
    for api in (getattr(sdk_apis, name) for name in dir(sdk_apis) if name.endswith("Api")):
        ops = [SdkOperation(name, api, method, path, spec_paths.get(path, {}).get(method.lower(), {}).get("operationId"))
               for name, path, method in _CALL.findall(inspect.getsource(api))]
        if any(op.operation_id in served for op in ops):
            out.update((op.name, op) for op in ops)
    return out


def _creds(w: World, password: str) -> list[m.CredentialRequest]:
    values = {"LOGIN": "mxuser", "PASSWORD": password}
    return [m.CredentialRequest(guid=g, value=values[f]) for f, g in w.credential_guids.items()]


def _manual_transaction(a: Api, w: World) -> Any:
    """The SDK expects the created record unwrapped, reads MX's `{"transaction": {...}}` as an empty
    record (README "Known differences"), so the new guid comes from the account's list."""
    created = a(TransactionsApi).create_manual_transaction(
        w.user, w.manual_account, transaction_create_request_body=m.TransactionCreateRequestBody(
            transaction=m.TransactionCreateRequest(amount=3.5, var_date="2026-04-01", description="Lemonade",
                                                   type="DEBIT")))
    listed = a(TransactionsApi).list_transactions_by_account(w.manual_account, w.user, from_date="2026-01-01")
    w.manual_transaction = listed.transactions[0].guid
    return created


def _microdeposit(a: Api, w: World) -> Any:
    """The SDK reads `micro_deposit` as a list (its spec's `items` without `type`); MX's samples and
    the sandbox answer one object, so the SDK cannot read it and the guid comes from the list."""
    try:
        return a(MicrodepositsApi).create_microdeposit(w.user, microdeposit_request_body=m.MicrodepositRequestBody(
            micro_deposit=m.MicrodepositElements(account_number="333322221111", account_type="CHECKING",
                                                 routing_number="091000019", email="walker@example.com",
                                                 first_name="Wal", last_name="Ker")))
    finally:
        listed = a(MicrodepositsApi).list_user_microdeposits(w.user).micro_deposits or []
        w.microdeposit = listed[0].guid if listed else w.microdeposit


def _managed(w: World, depth: int = 0) -> tuple[str, ...]:
    """The SDK's path arguments for a managed member (0), its account (1) or transaction (2):
    account, member, transaction, user, each when present."""
    account = (w.managed_account,) if depth else ()
    txn = (w.managed_transaction,) if depth == 2 else ()
    return (*account, w.managed_member, *txn, w.user)


MANAGED_TXN = dict(amount="61.11", description="Grocer", status="POSTED", type="DEBIT",
                   transacted_at="2026-03-30T12:00:00Z", posted_at="2026-03-31T06:00:00Z")


def _bearer(w: World) -> dict[str, str]:
    """The SDK's per-call auth override: processor operations take the processor's token."""
    return {"type": "bearer", "in": "header", "key": "Authorization", "value": f"Bearer {w.processor_token}"}


def _scope(w: World) -> str:
    return f"user-guid:{w.user} member-guid:{w.member} account-guid:{w.account} read-protected"


# Operations whose MX-documented answer the SDK cannot read into its model (README, "Known differences").
SDK_CANNOT_READ = frozenset({"create_microdeposit", "read_user_microdeposit", "verify_microdeposit"})


# (sdk method, call, advance virtual seconds afterwards so the next job is not refused as a conflict)
STEPS: list[tuple[str, Callable[[Api, World], Any], float]] = [
    # institutions
    ("list_institutions", lambda a, w: a(InstitutionsApi).list_institutions(
        name="mx", supports_account_verification=True, supports_account_identification=False), 0),
    ("list_favorite_institutions", lambda a, w: a(InstitutionsApi).list_favorite_institutions(iso_country_code=["US"]), 0),
    ("read_institution", lambda a, w: a(InstitutionsApi).read_institution("mxbank"), 0),
    ("list_institution_credentials", lambda a, w: a(InstitutionsApi).list_institution_credentials("mxbank"), 0),
    # users
    ("create_user", lambda a, w: keep(w, "new_user", a(UsersApi).create_user(
        m.UserCreateRequestBody(user=m.UserCreateRequest(metadata="sdk-walk"))).user.guid), 0),
    ("list_users", lambda a, w: a(UsersApi).list_users(is_disabled=False), 0),
    ("read_user", lambda a, w: a(UsersApi).read_user(w.user), 0),
    ("update_user", lambda a, w: a(UsersApi).update_user(
        w.user, m.UserUpdateRequestBody(user=m.UserUpdateRequest(metadata="walked"))), 0),
    # members (reads)
    ("list_members", lambda a, w: a(MembersApi).list_members(w.user), 0),
    ("read_member", lambda a, w: a(MembersApi).read_member(w.member, w.user), 0),
    ("read_member_status", lambda a, w: a(MembersApi).read_member_status(w.member, w.user), 0),
    ("list_member_credentials", lambda a, w: a(MembersApi).list_member_credentials(w.member, w.user), 0),
    ("list_member_challenges", lambda a, w: a(MembersApi).list_member_challenges(w.challenged, w.user), 0),
    ("request_o_auth_window_uri", lambda a, w: a(WidgetsApi).request_o_auth_window_uri(w.oauth_member, w.user), 0),
    # accounts
    ("list_user_accounts", lambda a, w: a(AccountsApi).list_user_accounts(w.user, is_manual=False), 0),
    ("list_member_accounts", lambda a, w: a(AccountsApi).list_member_accounts(w.user, w.member), 0),
    ("read_account", lambda a, w: a(AccountsApi).read_account(w.account, w.user), 0),
    ("read_account_by_member", lambda a, w: a(AccountsApi).read_account_by_member(w.account, w.member, w.user), 0),
    ("update_account_by_member", lambda a, w: a(AccountsApi).update_account_by_member(
        w.account, w.member, w.user,
        account_update_request_body=m.AccountUpdateRequestBody(account=m.AccountUpdateRequest(is_hidden=True))), 0),
    ("create_manual_account", lambda a, w: keep(w, "manual_account", a(AccountsApi).create_manual_account(
        w.user, m.AccountCreateRequestBody(account=m.AccountCreateRequest(
            account_type="SAVINGS", name="Piggy bank", balance=12.5))).account.guid), 0),
    ("list_account_numbers_by_account", lambda a, w: a(AccountsApi).list_account_numbers_by_account(w.account, w.user), 0),
    ("list_account_numbers_by_member", lambda a, w: a(AccountsApi).list_account_numbers_by_member(w.member, w.user), 0),
    ("list_account_owners_by_member", lambda a, w: a(AccountsApi).list_account_owners_by_member(w.member, w.user), 0),
    # transactions
    ("list_transactions", lambda a, w: a(TransactionsApi).list_transactions(w.user, from_date="2000-01-01"), 0),
    ("list_transactions_by_member", lambda a, w: a(TransactionsApi).list_transactions_by_member(w.member, w.user), 0),
    ("list_transactions_by_account", lambda a, w: a(TransactionsApi).list_transactions_by_account(w.account, w.user), 0),
    ("read_transaction", lambda a, w: a(TransactionsApi).read_transaction(w.user, w.transaction), 0),
    ("create_manual_transaction", lambda a, w: _manual_transaction(a, w), 0),
    ("update_transaction", lambda a, w: a(TransactionsApi).update_transaction(
        w.user, w.transaction, m.TransactionUpdateRequestBody(transaction=m.TransactionUpdateRequest(memo="x"))), 0),
    ("update_transaction_by_account", lambda a, w: a(TransactionsApi).update_transaction_by_account(
        w.user, w.member, w.account, w.transaction,
        m.TransactionUpdateRequestBody(transaction=m.TransactionUpdateRequest(memo="x"))), 0),
    ("create_split_transactions", lambda a, w: a(TransactionsApi).create_split_transactions(
        w.transaction, w.user, split_transaction_request_body=m.SplitTransactionRequestBody(
            transactions=m.SplitTransactionRequest(amount=1))), 0),
    ("delete_split_transactions", lambda a, w: a(TransactionsApi).delete_split_transactions(w.transaction, w.user), 0),
    ("delete_transaction_rule", lambda a, w: a(TransactionsApi).delete_transaction_rule(w.rule, w.user), 0),
    ("enhance_transactions", lambda a, w: a(TransactionsApi).enhance_transactions(m.EnhanceTransactionsRequestBody(
        transactions=[m.EnhanceTransactionsRequest(id="t1", description="COFFEE")])), 0),
    ("list_transactions_by_tag", lambda a, w: a(TransactionsApi).list_transactions_by_tag(w.user, w.tag), 0),
    ("repeating_transactions", lambda a, w: keep(w, "repeating", a(TransactionsApi).repeating_transactions(
        w.user).repeating_transactions[0].guid), 0),
    ("specific_repeating_transaction", lambda a, w: a(TransactionsApi).specific_repeating_transaction(w.user, w.repeating), 0),
    # insights and notifications
    ("list_insights_user", lambda a, w: keep(w, "insight", a(InsightsApi).list_insights_user(w.user).insights[0].guid), 0),
    ("list_insights_by_account", lambda a, w: a(InsightsApi).list_insights_by_account(w.account, w.user), 0),
    ("list_insights_by_transaction", lambda a, w: a(InsightsApi).list_insights_by_transaction(w.transaction, w.user), 0),
    ("read_insight_user", lambda a, w: a(InsightsApi).read_insight_user(w.user, w.insight), 0),
    ("update_insight", lambda a, w: a(InsightsApi).update_insight(w.user, w.insight, m.InsightUpdateRequestBody(
        insight=m.InsightUpdateRequest(has_been_displayed=True))), 0),
    ("list_accounts_insight", lambda a, w: a(InsightsApi).list_accounts_insight(w.user, w.insight), 0),
    ("list_categories_insight", lambda a, w: a(InsightsApi).list_categories_insight(w.user, w.insight), 0),
    ("list_merchants_insight", lambda a, w: a(InsightsApi).list_merchants_insight(w.user, w.insight), 0),
    ("list_scheduled_payments_insight", lambda a, w: a(InsightsApi).list_scheduled_payments_insight(w.user, w.insight), 0),
    ("list_transactions_insight", lambda a, w: a(InsightsApi).list_transactions_insight(w.user, w.insight), 0),
    ("create_notification", lambda a, w: keep(w, "notification", a(NotificationsApi).create_notification(
        w.user, content="Walked", subject="Walk").notification.guid), 0),
    ("list_notifications", lambda a, w: a(NotificationsApi).list_notifications(w.user), 0),
    ("read_notifications", lambda a, w: a(NotificationsApi).read_notifications(w.user, w.notification), 0),
    # holdings, statements, rewards
    ("list_holdings", lambda a, w: a(InvestmentHoldingsApi).list_holdings(w.user), 0),
    ("list_holdings_by_member", lambda a, w: a(InvestmentHoldingsApi).list_holdings_by_member(w.member, w.user), 0),
    ("list_holdings_by_account", lambda a, w: a(InvestmentHoldingsApi).list_holdings_by_account(w.investment_account, w.user), 0),
    ("read_holding", lambda a, w: a(InvestmentHoldingsApi).read_holding(w.holding, w.user), 0),
    ("deactivate_user", lambda a, w: a(InvestmentHoldingsApi).deactivate_user(w.user), 0),
    ("list_statements_by_member", lambda a, w: a(StatementsApi).list_statements_by_member(w.member, w.user), 0),
    ("read_statement_by_member", lambda a, w: a(StatementsApi).read_statement_by_member(w.member, w.statement, w.user), 0),
    ("download_statement_pdf", lambda a, w: a(StatementsApi).download_statement_pdf(w.member, w.statement, w.user), 0),
    ("list_rewards", lambda a, w: a(RewardsApi).list_rewards(w.user, w.member), 0),
    ("read_rewards", lambda a, w: a(RewardsApi).read_rewards(w.user, w.member, w.reward), 0),
    ("credit_card", lambda a, w: a(RewardsApi).credit_card(w.card_product), 0),
    # processor hand-off: codes (the client), reads with the processor's token, ACH returns, credentials
    ("request_authorization_code", lambda a, w: a(ProcessorTokenApi).request_authorization_code(
        m.AuthorizationCodeRequestBody(authorization_code=m.AuthorizationCodeRequest(scope=_scope(w)))), 0),
    ("deprecated_request_payment_processor_authorization_code", lambda a, w: a(
        ProcessorTokenApi).deprecated_request_payment_processor_authorization_code(
        m.PaymentProcessorAuthorizationCodeRequestBody(payment_processor_authorization_code=m.
            PaymentProcessorAuthorizationCodeRequest(user_guid=w.user, member_guid=w.member, account_guid=w.account))), 0),
    ("list_tokens", lambda a, w: a(ProcessorTokenApi).list_tokens(), 0),
    ("request_account_number", lambda a, w: a(ProcessorTokenApi).request_account_number(_request_auth=_bearer(w)), 0),
    ("read_account_balance", lambda a, w: a(ProcessorTokenApi).read_account_balance(_request_auth=_bearer(w)), 0),
    ("get_account_owner_info", lambda a, w: a(ProcessorTokenApi).get_account_owner_info(_request_auth=_bearer(w)), 0),
    ("check_real_time_account_balance", lambda a, w: a(ProcessorTokenApi).check_real_time_account_balance(
        _request_auth=_bearer(w)), 30),
    ("create_ach_return", lambda a, w: keep(w, "ach_return", a(AchReturnApi).create_ach_return(
        m.ACHReturnCreateRequestBody(ach_return=m.ACHReturnCreateRequest(
            user_guid=w.user, member_guid=w.member, account_guid=w.account, id="sdk-walk-1", return_code="R01"))
    ).ach_return.guid), 0),
    ("list_ach_retruns", lambda a, w: a(AchReturnApi).list_ach_retruns(return_code="R01"), 0),
    ("read_ach_retrun", lambda a, w: a(AchReturnApi).read_ach_retrun(w.ach_return), 0),
    ("get_identity_data", lambda a, w: a(VerifiableCredentialsApi).get_identity_data(w.user, w.member), 0),
    ("get_accounts_data", lambda a, w: a(VerifiableCredentialsApi).get_accounts_data(w.user, w.member), 0),
    ("get_transactions_data", lambda a, w: a(VerifiableCredentialsApi).get_transactions_data(
        w.user, w.account, start_time="2026-01-01", end_time="2026-03-31"), 0),
    # managed data
    ("list_managed_institutions", lambda a, w: a(ManagedDataApi).list_managed_institutions(records_per_page=10), 0),
    ("create_managed_member", lambda a, w: keep(w, "managed_member", a(ManagedDataApi).create_managed_member(
        w.user, m.ManagedMemberCreateRequestBody(member=m.ManagedMemberCreateRequest(institution_code="mxbank"))
    ).member.guid), 0),
    ("list_managed_members", lambda a, w: a(ManagedDataApi).list_managed_members(w.user), 0),
    ("read_managed_member", lambda a, w: a(ManagedDataApi).read_managed_member(*_managed(w)), 0),
    ("update_managed_member", lambda a, w: a(ManagedDataApi).update_managed_member(*_managed(w),
        m.ManagedMemberUpdateRequestBody(member=m.ManagedMemberUpdateRequest(name="Held"))), 0),
    ("create_managed_account", lambda a, w: keep(w, "managed_account", a(ManagedDataApi).create_managed_account(
        *_managed(w), m.ManagedAccountCreateRequestBody(account=m.ManagedAccountCreateRequest(
            id="held-1", name="Held checking", type="CHECKING", balance=10.5))).account.guid), 0),
    ("list_managed_accounts", lambda a, w: a(ManagedDataApi).list_managed_accounts(*_managed(w)), 0),
    ("read_managed_account", lambda a, w: a(ManagedDataApi).read_managed_account(*_managed(w, 1)), 0),
    ("update_managed_account", lambda a, w: a(ManagedDataApi).update_managed_account(
        *_managed(w, 1),
        m.ManagedAccountUpdateRequestBody(account=m.ManagedAccountUpdateRequest(balance=11))), 0),
    ("create_managed_transaction", lambda a, w: keep(w, "managed_transaction", a(ManagedDataApi).create_managed_transaction(
        *_managed(w, 1), m.ManagedTransactionCreateRequestBody(
            transaction=m.ManagedTransactionCreateRequest(**MANAGED_TXN))).transaction.guid), 0),
    ("list_managed_transactions", lambda a, w: a(ManagedDataApi).list_managed_transactions(
        *_managed(w, 1)), 0),
    ("read_managed_transaction", lambda a, w: a(ManagedDataApi).read_managed_transaction(
        *_managed(w, 2)), 0),
    ("update_managed_transaction", lambda a, w: a(ManagedDataApi).update_managed_transaction(
        *_managed(w, 2),
        m.ManagedTransactionUpdateRequestBody(transaction=m.ManagedTransactionUpdateRequest(memo="walked"))), 0),
    ("delete_managed_transaction", lambda a, w: a(ManagedDataApi).delete_managed_transaction(
        *_managed(w, 2)), 0),
    ("delete_managed_account", lambda a, w: a(ManagedDataApi).delete_managed_account(*_managed(w, 1)), 0),
    ("delete_managed_member", lambda a, w: a(ManagedDataApi).delete_managed_member(w.managed_member, V1_ACCEPT, w.user), 0),
    # widgets
    ("request_widget_url", lambda a, w: a(WidgetsApi).request_widget_url(w.user, m.WidgetRequestBody(
        widget_url=m.WidgetRequest(widget_type="connect_widget"))), 0),
    ("request_connect_widget_url", lambda a, w: a(WidgetsApi).request_connect_widget_url(
        w.user, m.ConnectWidgetRequestBody(config=m.ConnectWidgetRequest(mode="aggregation"))), 0),
    *PFM_STEPS,  # categories, merchants, tags, taggings, rules; budgets, goals, spending plans, cash flow
    # jobs, one at a time
    ("aggregate_member", lambda a, w: a(MembersApi).aggregate_member(w.member, w.user, include_holdings=True), 30),
    ("check_balances", lambda a, w: a(MembersApi).check_balances(w.member, w.user), 30),
    ("identify_member", lambda a, w: a(MembersApi).identify_member(w.member, w.user), 30),
    ("verify_member", lambda a, w: a(MembersApi).verify_member(w.member, w.user), 30),
    ("extend_history", lambda a, w: a(TransactionsApi).extend_history(w.member, w.user), 30),
    ("fetch_statements", lambda a, w: a(StatementsApi).fetch_statements(w.member, w.user), 30),
    ("fetch_rewards", lambda a, w: a(RewardsApi).fetch_rewards(w.user, w.member), 30),
    ("update_member", lambda a, w: a(MembersApi).update_member(w.member, w.user, m.MemberUpdateRequestBody(
        member=m.MemberUpdateRequest(metadata="walked"))), 30),
    ("resume_aggregation", lambda a, w: a(MembersApi).resume_aggregation(w.challenged, w.user, m.MemberResumeRequestBody(
        member=m.MemberResumeRequest(challenges=[m.CredentialRequest(guid=g, value="correct") for g in w.challenges]))), 30),
    ("create_member", lambda a, w: a(MembersApi).create_member(w.user, m.MemberCreateRequestBody(
        member=m.MemberCreateRequest(institution_code="mxbank", credentials=_creds(w, "another")))), 30),
    # microdeposits
    ("create_microdeposit", lambda a, w: _microdeposit(a, w), 130),
    ("list_user_microdeposits", lambda a, w: a(MicrodepositsApi).list_user_microdeposits(w.user), 0),
    ("read_user_microdeposit", lambda a, w: a(MicrodepositsApi).read_user_microdeposit(w.microdeposit, w.user), 0),
    ("list_user_verifications", lambda a, w: a(MicrodepositsApi).list_user_verifications(w.user), 0),
    ("verify_microdeposit", lambda a, w: a(MicrodepositsApi).verify_microdeposit(
        w.microdeposit, microdeposit_verify_request_body=m.MicrodepositVerifyRequestBody(
            micro_deposit=m.MicrodepositVerifyRequest(deposit_amount_1=0.01, deposit_amount_2=0.02))), 0),
    # deletes, last (those whose SDK signature takes an Accept value get MX's v1 media type)
    ("delete_spending_plan_account", lambda a, w: a(SpendingPlanApi).delete_spending_plan_account(
        w.user, w.spending_plan, w.plan_account), 0),
    ("delete_spending_plan_iteration_item", lambda a, w: a(SpendingPlanApi).delete_spending_plan_iteration_item(
        w.user, w.spending_plan, w.iteration_item), 0),
    ("delete_spending_plan", lambda a, w: a(SpendingPlanApi).delete_spending_plan(w.user, w.spending_plan), 0),
    ("delete_goal", lambda a, w: a(GoalsApi).delete_goal(w.goal, w.user, V1_ACCEPT), 0),
    ("delete_budget", lambda a, w: a(BudgetsApi).delete_budget(w.user, w.budget), 0),
    ("delete_tagging", lambda a, w: a(TaggingsApi).delete_tagging(w.tagging, w.user), 0),
    ("delete_tag", lambda a, w: a(TagsApi).delete_tag(w.new_tag, V1_ACCEPT, w.user), 0),
    ("delete_category", lambda a, w: a(CategoriesApi).delete_category(w.custom_category, w.user), 0),
    ("delete_microdeposit", lambda a, w: a(MicrodepositsApi).delete_microdeposit(w.microdeposit, w.user), 0),
    ("delete_manual_transactions", lambda a, w: a(TransactionsApi).delete_manual_transactions(w.user, w.manual_transaction), 0),
    ("delete_manual_account", lambda a, w: a(AccountsApi).delete_manual_account(w.manual_account, V1_ACCEPT, w.user), 0),
    ("delete_member", lambda a, w: a(MembersApi).delete_member(w.member, w.user), 0),
    ("delete_user", lambda a, w: a(UsersApi).delete_user(V1_ACCEPT, w.new_user), 0),
]
