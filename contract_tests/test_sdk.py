"""MX's official Python SDK (mx-platform-python, v20111101) as a second real client: zero
deserialization errors through MX's documented journey."""
from __future__ import annotations

import pytest

mx_platform_python = pytest.importorskip("mx_platform_python", reason="mx-platform-python is in the test extra")

from mx_platform_python.api.institutions_api import InstitutionsApi  # noqa: E402
from mx_platform_python.api.members_api import MembersApi  # noqa: E402
from mx_platform_python.api.accounts_api import AccountsApi  # noqa: E402
from mx_platform_python.api.transactions_api import TransactionsApi  # noqa: E402
from mx_platform_python.api.users_api import UsersApi  # noqa: E402
from mx_platform_python.api.widgets_api import WidgetsApi  # noqa: E402
from mx_platform_python.models import (  # noqa: E402
    CredentialRequest, MemberCreateRequest, MemberCreateRequestBody, MemberResumeRequest, MemberResumeRequestBody,
    UserCreateRequest, UserCreateRequestBody, WidgetRequest, WidgetRequestBody,
)

pytestmark = pytest.mark.parity


@pytest.fixture
def sdk(mx):
    if mx.target.kind == "inprocess":
        pytest.skip("the SDK speaks HTTP through urllib3; use the sandbox or int-api target")
    auth = mx.http.auth
    username, password = (mx.client_id, "test-key") if mx.target.is_sandbox else (mx.target.client_id, mx.target.api_key)
    config = mx_platform_python.Configuration(host=mx.target.base_url, username=username, password=password)
    client = mx_platform_python.ApiClient(config)
    # The SDK sends no Accept-Version; MX requires it since 2026-08-12 (and so does the sandbox's
    # default `--versioning strict`), so an integration adds it, as here.
    client.set_default_header("Accept-Version", "v20111101")
    yield client
    client.close()
    del auth


def advance(mx, seconds: float) -> None:
    if mx.target.is_sandbox:
        mx.advance(seconds)
    else:  # int-api: real time, polling as MX recommends
        import time

        time.sleep(3)


def test_sdk_journey(mx, sdk):
    if mx.target.is_sandbox:
        mx.freeze(now="2026-04-01T12:00:00Z")
    users, members, institutions = UsersApi(sdk), MembersApi(sdk), InstitutionsApi(sdk)

    user = users.create_user(UserCreateRequestBody(user=UserCreateRequest(metadata="sdk-journey"))).user
    assert user.guid.startswith("USR-")
    assert users.read_user(user.guid).user.guid == user.guid

    mxbank = institutions.read_institution("mxbank").institution
    assert mxbank.code == "mxbank" and mxbank.supports_account_verification is True
    fields = institutions.list_institution_credentials("mxbank").credentials
    values = {"LOGIN": "mxuser", "PASSWORD": "challenge"}
    creds = [CredentialRequest(guid=f.guid, value=values[f.field_name]) for f in fields]

    member = members.create_member(user.guid, MemberCreateRequestBody(
        member=MemberCreateRequest(institution_code="mxbank", credentials=creds))).member
    assert member.connection_status == "CREATED"

    for _ in range(40):
        status = members.read_member_status(member.guid, user.guid).member
        if status.connection_status == "CHALLENGED":
            break
        advance(mx, 1)
    assert status.connection_status == "CHALLENGED"
    challenges = members.list_member_challenges(member.guid, user.guid).challenges
    assert challenges and challenges[0].type == "TEXT"
    answers = [CredentialRequest(guid=c.guid, value="correct") for c in challenges]
    resumed = members.resume_aggregation(member.guid, user.guid, MemberResumeRequestBody(
        member=MemberResumeRequest(challenges=answers))).member
    assert resumed.connection_status == "RESUMED"

    for _ in range(40):
        status = members.read_member_status(member.guid, user.guid).member
        if status.connection_status == "CONNECTED" and not status.is_being_aggregated:
            break
        advance(mx, 1)
    assert status.connection_status == "CONNECTED" and status.is_being_aggregated is False
    listed = members.list_members(user.guid).members
    assert [m.guid for m in listed] == [member.guid]
    assert members.read_member(member.guid, user.guid).member.guid == member.guid

    accounts = AccountsApi(sdk).list_user_accounts(user.guid, records_per_page=100).accounts
    assert len(accounts) == 6 and {a.member_guid for a in accounts} == {member.guid}
    page = TransactionsApi(sdk).list_transactions(user.guid, records_per_page=1000)
    assert len(page.transactions) > 100 and page.pagination.total_entries == len(page.transactions)
    account_guids = {a.guid for a in accounts}
    assert all(t.account_guid in account_guids and t.member_guid == member.guid for t in page.transactions)

    widget = WidgetsApi(sdk).request_widget_url(user.guid, WidgetRequestBody(
        widget_url=WidgetRequest(widget_type="connect_widget", mode="verification"))).widget_url
    assert widget.type == "connect_widget" and "/md/connect/" in widget.url


def test_sdk_reads_money_management(mx, sdk):
    """Default categories, tags, taggings and merchants deserialize in MX's own client."""
    from mx_platform_python.api.categories_api import CategoriesApi
    from mx_platform_python.api.merchants_api import MerchantsApi
    from mx_platform_python.api.taggings_api import TaggingsApi
    from mx_platform_python.api.tags_api import TagsApi
    from mx_platform_python.models import TagCreateRequest, TagCreateRequestBody, TaggingCreateRequest, TaggingCreateRequestBody

    from contract_tests.aggregated import connect

    if mx.target.is_sandbox:
        mx.freeze()
    bank = connect(mx, ["transactions"])
    defaults = CategoriesApi(sdk).list_default_categories(records_per_page=100).categories
    assert any(c.guid == "CAT-7829f71c-2e8c-afa5-2f55-fa3634b89874" for c in defaults)
    assert CategoriesApi(sdk).list_default_categories_by_user(bank.user).categories
    tag = TagsApi(sdk).create_tag(bank.user, TagCreateRequestBody(tag=TagCreateRequest(name="sdk"))).tag
    txn = bank.transactions()[0]
    tagging = TaggingsApi(sdk).create_tagging(bank.user, TaggingCreateRequestBody(
        tagging=TaggingCreateRequest(tag_guid=tag.guid, transaction_guid=txn["guid"]))).tagging
    assert TaggingsApi(sdk).list_taggings(bank.user).taggings[0].guid == tagging.guid
    assert TagsApi(sdk).list_tags(bank.user).tags[0].name == "sdk"
    merchant_guid = next(t["merchant_guid"] for t in bank.transactions() if t["merchant_guid"])
    assert MerchantsApi(sdk).read_merchant(merchant_guid).merchant.guid == merchant_guid
    assert MerchantsApi(sdk).list_merchants().merchants


def test_sdk_reads_budgets_and_goals(mx, sdk):
    """Budgets and goals deserialize in MX's own client, with the figures the sandbox computed."""
    from mx_platform_python.api.budgets_api import BudgetsApi
    from mx_platform_python.api.goals_api import GoalsApi
    from mx_platform_python.models import (
        BudgetCreateRequest, BudgetCreateRequestBody, BudgetUpdateRequest, BudgetUpdateRequestBody, GoalRequest,
        GoalRequestBody, RepositionRequest, RepositionRequestBody,
    )

    from contract_tests.aggregated import connect

    if mx.target.is_sandbox:
        mx.freeze(now="2026-04-15T12:00:00Z")
    bank = connect(mx, ["transactions"])
    food = "CAT-bd56d35a-a9a7-6e10-66c1-5b9cc1b6c81a"  # Food & Dining
    budgets = BudgetsApi(sdk)
    created = budgets.create_budget(bank.user, BudgetCreateRequestBody(
        budget=BudgetCreateRequest(category_guid=food, parent_guid="", amount=400))).budget
    assert created.guid.startswith("BGT-") and created.amount == 400 and created.name == "Food & Dining"
    read = budgets.read_specific_budget(bank.user, created.guid).budget
    assert read.transaction_total == created.transaction_total and read.percent_spent == created.percent_spent
    updated = budgets.update_specific_budget(bank.user, created.guid, BudgetUpdateRequestBody(
        budget=BudgetUpdateRequest(amount=450))).budget
    assert updated.amount == 450 and updated.revision == created.revision + 1
    budgets.list_all_budgets(bank.user)  # the SDK's model holds one `budget`; MX lists `budgets` (README)
    budgets.auto_generate_budgets(bank.user)

    checking = next(a for a in bank.accounts() if a["type"] == "CHECKING")
    goals = GoalsApi(sdk)
    made = [goals.create_goal(bank.user, GoalRequestBody(goal=GoalRequest(
        account_guid=checking["guid"], amount=amount, goal_type_name="SAVE_AMOUNT", meta_type_name="VACATION",
        name=f"Trip {amount}"))).goal for amount in (1_000_000, 2_000_000)]
    assert [g.position for g in made] == [1, 2]
    assert made[0].current_amount == max(0, checking["balance"]) and made[0].track_type_name == "SAVINGS_TRACK"
    assert goals.read_goal(made[1].guid, bank.user).goal.name == "Trip 2000000"
    moved = goals.reposition_goals(bank.user, RepositionRequestBody(goals=[RepositionRequest(guid=made[1].guid, position=1)]))
    assert [g.guid for g in moved.goals] == [made[1].guid, made[0].guid]
    listed = goals.list_goals("application/vnd.mx.api.v1+json", bank.user).goals
    assert [(g.guid, g.position) for g in listed] == [(made[1].guid, 1), (made[0].guid, 2)]
