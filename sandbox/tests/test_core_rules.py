"""The state machines behind members, OAuth and microdeposits, driven directly on a frozen tenant."""
from __future__ import annotations

import pytest

from sandbox.core.errors import BadRequest
from sandbox.core.events import DomainEvent
from sandbox.core.institutions import Catalog
from sandbox.core.members.jobs import BACKGROUND_CATCHUP_DAYS
from sandbox.core.oauth import GRANT_RETENTION_SECONDS, STATE_KIND, StateGone
from sandbox.core.tenant import Fixtures, Tenant, TenantSettings

FIXTURES = Fixtures(Catalog.load())


@pytest.fixture
def tenant() -> Tenant:
    return Tenant("rules", FIXTURES, TenantSettings(clock_mode="frozen"))


def advance(tenant: Tenant, seconds: float) -> None:
    tenant.clock.advance(seconds)
    tenant.settle()


def mxbank(tenant: Tenant, password: str, products: list[str] | None = None):
    user = tenant.users.create({})
    fields = {f.field_name: f.guid for f in tenant.catalog.get("mxbank").credentials}
    creds = [{"guid": fields["LOGIN"], "value": "mxuser"}, {"guid": fields["PASSWORD"], "value": password}]
    return tenant.lifecycle.create_member(user.guid, {"institution_code": "mxbank", "credentials": creds}, products)


def statuses(tenant: Tenant, member_guid: str) -> list[str]:
    return [e.data["new"] for e in tenant.timeline.query(type_="connection_status", member_guid=member_guid)]


def test_challenge_then_correct_answer_connects_and_produces_data(tenant):
    member = mxbank(tenant, "challenge")
    advance(tenant, 2)
    assert member.connection_status == "CHALLENGED" and member.is_being_aggregated
    tenant.members.jobs.resume(member, [(member.challenges[0].guid, "correct")], tenant.clock.now())
    advance(tenant, 10)
    assert statuses(tenant, member.guid) == ["CREATED", "CHALLENGED", "RESUMED", "CONNECTED"]
    assert not member.is_being_aggregated and member.has_processed_transactions
    completed = tenant.timeline.query(type_="job_completed")
    assert completed[0].data["counts"]["transactions_created_count"] == len(
        tenant.data.all_transactions(member.user_guid))


def test_premium_products_queue_follow_up_jobs_from_the_table(tenant):
    member = mxbank(tenant, "password", ["transactions", "account_verification", "statements"])
    advance(tenant, 30)
    jobs = [e.data["job_type"] for e in tenant.timeline.query(type_="job_completed")]
    assert jobs == ["aggregate", "verify", "fetch_statements"]
    assert tenant.data.account_numbers(member.user_guid) and tenant.data.statements(member.user_guid, member.guid)


def test_three_denials_in_a_row_prevent(tenant):
    member = mxbank(tenant, "INVALID")
    for _ in range(2):
        advance(tenant, 5)
        tenant.members.jobs.request(member, "aggregate", tenant.clock.now())
    advance(tenant, 5)
    assert statuses(tenant, member.guid)[-1] == "PREVENTED"
    assert tenant.members.jobs.request(member, "aggregate", tenant.clock.now()) is False


def test_background_catch_up_after_a_long_jump_is_bounded(tenant):
    member = mxbank(tenant, "password")
    advance(tenant, 10)
    advance(tenant, 5 * 365 * 86400)
    background = [e for e in tenant.timeline.query(type_="job_started") if e.data["is_background"]]
    assert BACKGROUND_CATCHUP_DAYS - 1 <= len(background) <= BACKGROUND_CATCHUP_DAYS + 1
    assert not member.is_being_aggregated


def test_deleting_a_member_cascades_in_one_operation(tenant):
    member = mxbank(tenant, "password")
    advance(tenant, 10)
    seen: list[DomainEvent] = []
    tenant.bus.subscribe(seen.append)
    tenant.lifecycle.delete_member(member)
    assert not tenant.data.accounts(member.user_guid) and len(tenant.members) == 0
    assert [e.type for e in seen] == ["deleted"]


def oauth_member(tenant: Tenant, **options):
    user = tenant.users.create({})
    return tenant.lifecycle.create_member(user.guid, {"institution_code": "mx_bank_oauth", "is_oauth": True},
                                          oauth_options=options)


def state_of(member) -> str:
    return member.oauth_window_uri.split("state=")[1].split("&")[0]


def test_an_oauth_state_works_once(tenant):
    member = oauth_member(tenant)
    state = state_of(member)
    tenant.oauth.complete(state, "mx_bank_oauth", "authorize")
    with pytest.raises(StateGone):
        tenant.oauth.complete(state, "mx_bank_oauth", "deny")
    assert member.connection_status == "CONNECTED"


def test_an_oauth_state_expires_and_is_superseded_then_pruned(tenant):
    member = oauth_member(tenant)
    first = state_of(member)
    tenant.oauth.reissue(member, {})
    with pytest.raises(StateGone, match="newer"):
        tenant.oauth.live_grant(first)
    second = state_of(member)
    advance(tenant, 601)
    with pytest.raises(StateGone, match="expired"):
        tenant.oauth.live_grant(second)
    advance(tenant, GRANT_RETENTION_SECONDS)
    tenant.oauth.reissue(member, {})  # issuing prunes spent grants and forgets their tokens
    assert tenant.tokens.owner(STATE_KIND, first) is None and len(tenant.oauth.grants) == 1


def test_a_bad_redirect_url_creates_nothing(tenant):
    with pytest.raises(BadRequest):
        oauth_member(tenant, referral_source="APP", client_redirect_url="javascript:alert(1)")
    assert len(tenant.members) == 0


def test_microdeposits_arrive_then_verify_or_prevent(tenant):
    user = tenant.users.create({})
    fields = {"account_number": "333344445555", "routing_number": "091000019", "account_type": "CHECKING",
              "email": "qa@example.com", "first_name": "Q", "last_name": "A"}
    right = tenant.microdeposits.create(user.guid, fields)
    wrong = tenant.microdeposits.create(user.guid, fields)
    assert right.status == "INITIATED"
    advance(tenant, 10)
    assert right.status == "REQUESTED"
    advance(tenant, 110)
    assert right.status == wrong.status == "DEPOSITED"
    tenant.microdeposits.verify(right, *(c / 100 for c in right.amounts))
    assert right.status == "VERIFIED"
    for _ in range(3):
        tenant.microdeposits.verify(wrong, 0.01, 0.01)
    assert wrong.status == "PREVENTED"
