"""Planning without HTTP: months, the user-delete cascade, and reposition's placement rule."""
from __future__ import annotations

from datetime import date

import pytest

from sandbox.core.clock import parse_instant
from sandbox.core.errors import BadRequest
from sandbox.core.institutions import Catalog
from sandbox.core.pfm.spending import Month, average_in_dollars, elapsed_fraction
from sandbox.core.tenant import Fixtures, Tenant, TenantSettings

FIXTURES = Fixtures(Catalog.load())
FOOD = "CAT-bd56d35a-a9a7-6e10-66c1-5b9cc1b6c81a"


@pytest.fixture
def tenant() -> Tenant:
    return Tenant("planning", FIXTURES, TenantSettings(clock_mode="frozen", start=parse_instant("2026-04-15T12:00:00Z")))


def connected_user(tenant: Tenant) -> str:
    user = tenant.users.create({})
    fields = {f.field_name: f.guid for f in tenant.catalog.get("mxbank").credentials}
    creds = [{"guid": fields["LOGIN"], "value": "mxuser"}, {"guid": fields["PASSWORD"], "value": "password"}]
    tenant.lifecycle.create_member(user.guid, {"institution_code": "mxbank", "credentials": creds})
    tenant.clock.advance(10)
    tenant.settle()
    return user.guid


def test_generated_amounts_round_half_up_to_whole_dollars():
    assert [average_in_dollars(c) for c in (45701, 45699, 45700, 45900, 0, -500)] == [22900, 22800, 22900, 23000, 0, 0]


def test_months_shift_across_years_and_projections_start_after_a_day():
    march = Month.of(parse_instant("2026-03-31T23:59:59Z"))
    assert (march.first, march.last) == (date(2026, 3, 1), date(2026, 3, 31))
    assert march.shift(-3) == Month(2025, 12) and march.shift(10) == Month(2027, 1)
    assert Month(2024, 2).last == date(2024, 2, 29)
    assert elapsed_fraction(parse_instant("2026-04-01T00:00:01Z")) == pytest.approx(1 / 30)
    assert elapsed_fraction(parse_instant("2026-04-16T00:00:00Z")) == pytest.approx(0.5)


def test_deleting_a_user_deletes_their_planning(tenant):
    user = connected_user(tenant)
    planning = tenant.pfm.planning
    planning.create_budget(user, {"category_guid": FOOD, "amount": 100})
    account = next(a for a in tenant.data.accounts(user) if a.type == "SAVINGS")
    planning.create_goal(user, {"account_guid": account.guid, "amount": 10, "goal_type_name": "SAVE_AMOUNT",
                                "meta_type_name": "VACATION", "name": "x"})
    plan = planning.plans.create(user)
    planning.plans.create_item(plan, {"planned_amount": 5})
    first_profile = planning.cash_flow.get(user).guid
    tenant.lifecycle.delete_user(tenant.users.get(user))
    assert not planning.budgets.list(user) and not planning.goals.list(user) and not planning.plans.list(user)
    assert planning.cash_flow.get(user).guid != first_profile  # the old profile went with the user


def test_a_budget_without_an_amount_takes_the_two_previous_months_average(tenant):
    user = connected_user(tenant)
    planning = tenant.pfm.planning
    ledger = planning.ledger(user)
    now = Month.of(tenant.clock.now())
    total = sum(ledger.spent(FOOD, now.shift(-n).days) for n in (1, 2))
    budget = planning.create_budget(user, {"category_guid": FOOD})
    assert budget.amount % 100 == 0 and abs(budget.amount - total / 2) <= 50 and budget.amount > 0


def test_reposition_is_checked_before_anything_moves(tenant):
    user = connected_user(tenant)
    planning = tenant.pfm.planning
    account = next(a for a in tenant.data.accounts(user) if a.type == "SAVINGS").guid
    goals = [planning.create_goal(user, {"account_guid": account, "amount": 10, "goal_type_name": "SAVE_AMOUNT",
                                         "meta_type_name": "VACATION", "name": n}).guid for n in "abc"]
    with pytest.raises(BadRequest):
        planning.goals.reposition(user, [{"guid": goals[2], "position": 1}, {"guid": "GOL-x", "position": 2}])
    assert [g.guid for g in planning.goals.list(user)] == goals
    moved = planning.goals.reposition(user, [{"guid": goals[0], "position": 3}, {"guid": goals[2], "position": 3}])
    assert [g.guid for g in moved] == [goals[1], goals[2], goals[0]]  # taken: the next free place, else the last
