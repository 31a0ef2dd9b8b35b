"""The data core without HTTP: routing numbers, profiles, determinism, the ledger, filters."""
from __future__ import annotations

import random
from datetime import date

import pytest

from sandbox.core.data.generation import DAY, date_day, day_of, effect
from sandbox.core.data.profiles import load_profiles, parse_profile
from sandbox.core.data.queries import DATE_FORMAT_MESSAGE, parse_day, transaction_query
from sandbox.core.data.routing_numbers import is_valid_aba, make_aba
from sandbox.core.data.store import DataStore, _statement_bounds
from sandbox.core.errors import BadRequest
from sandbox.core.institutions import Catalog
from sandbox.core.members.model import Member
from sandbox.core.members.job_types import JOB_TYPES
from sandbox.core.tenant import FROZEN_EPOCH, Fixtures, Tenant, TenantSettings

CATALOG = Catalog.load()
EVERYTHING = frozenset({"transactions", "investments"})


def make_store(seed: int = 0, tenant: str = "t") -> tuple[DataStore, Tenant]:
    owner = Tenant(tenant, Fixtures(CATALOG), TenantSettings(seed=seed, clock_mode="frozen"))
    return owner.data, owner


def member(guid: str = "MBR-1", code: str = "mxbank", products: frozenset[str] = EVERYTHING) -> Member:
    return Member(guid=guid, user_guid="USR-1", institution=CATALOG.get(code), created_at=FROZEN_EPOCH, products=products)


def everything_of(store: DataStore) -> list:
    query = transaction_query(lambda name: "2000-01-01" if name == "from_date" else None, FROZEN_EPOCH)
    return [(t.guid, t.amount, t.description, t.day) for t in store.transactions("USR-1", query)]


@pytest.mark.parametrize("number", ["091000019", "011000015", "122105278", "325070760"])
def test_valid_routing_numbers(number):
    assert is_valid_aba(number)


@pytest.mark.parametrize("number", ["091000018", "09100001", "0910000190", "09100001x", "130000006", ""])
def test_invalid_routing_numbers(number):
    assert not is_valid_aba(number)


def test_generated_routing_numbers_pass_the_checksum():
    rng = random.Random(7)
    assert all(is_valid_aba(make_aba(rng)) for _ in range(500))


def test_every_institution_has_a_profile():
    profiles = load_profiles()
    assert {i.profile for i in CATALOG.all()} <= set(profiles)


@pytest.mark.parametrize("broken, message", [
    ({"type": "SIDEWAYS"}, "CREDIT or DEBIT"),
    ({"per_day": 0.5, "day_of_month": 3}, "exactly one"),
    ({"amount": [10, 5]}, "bad range"),
    ({"flags": ["is_awesome"]}, "unknown flags"),
])
def test_profile_mistakes_fail_loudly(broken, message):
    rule = {"description": "x", "type": "DEBIT", "amount": [1, 2], "category": "c", "per_day": 1, **broken}
    raw = {"name": "p", "accounts": [{"key": "a", "type": "CHECKING", "balance": 10, "transactions": [rule]}]}
    with pytest.raises(ValueError, match=message):
        parse_profile(raw, "test.yml")


def test_same_seed_and_member_same_data_other_seed_differs():
    a, _ = make_store(seed=1)
    b, _ = make_store(seed=1)
    c, _ = make_store(seed=2)
    for store in (a, b, c):
        store.produce(member(), JOB_TYPES["aggregate"], FROZEN_EPOCH)
    assert everything_of(a) == everything_of(b)
    assert everything_of(a) != everything_of(c)
    assert [x.balance for x in a.accounts("USR-1")] == [x.balance for x in b.accounts("USR-1")]


def test_later_aggregation_only_adds_new_postings_and_balances_follow():
    store, _ = make_store()
    m = member()
    first = store.produce(m, JOB_TYPES["aggregate"], FROZEN_EPOCH)
    seen = set(everything_of(store))
    balances = {a.guid: a.balance for a in store.accounts("USR-1")}
    assert first["transactions_created_count"] == len(seen) > 800

    later = FROZEN_EPOCH + 2 * DAY
    store.produce(m, JOB_TYPES["check_balance"], later - DAY)
    assert set(everything_of(store)) == seen
    counts = store.produce(m, JOB_TYPES["aggregate"], later)
    query = transaction_query(lambda name: "2000-01-01" if name == "from_date" else None, later)
    new = [t for t in store.transactions("USR-1", query) if (t.guid, t.amount, t.description, t.day) not in seen]
    assert counts["transactions_created_count"] == len(new) > 0
    assert all(FROZEN_EPOCH < t.posted_at <= later for t in new)
    for account in store.accounts("USR-1"):
        moved = sum(effect(account, t) for t in new if t.account_guid == account.guid)
        assert account.balance - balances[account.guid] == moved


def test_products_decide_what_exists():
    store, _ = make_store()
    verification_only = member(products=frozenset({"account_verification"}))
    counts = store.produce(verification_only, JOB_TYPES["verify"], FROZEN_EPOCH)
    assert counts["transactions_created_count"] == 0 and everything_of(store) == []
    assert len(store.account_numbers("USR-1", "MBR-1")) == 2
    assert store.holdings("USR-1") == [] and store.account_owners("USR-1", "MBR-1") == []


def test_standard_profile_has_an_investment_account_only_where_supported():
    store, _ = make_store()
    store.produce(member("MBR-a", "synth_aspen_bank"), JOB_TYPES["aggregate"], FROZEN_EPOCH)
    store.produce(member("MBR-f", "synth_foxglove_federal_credit_union"), JOB_TYPES["aggregate"], FROZEN_EPOCH)
    assert "INVESTMENT" not in {a.type for a in store.accounts("USR-1", "MBR-a")}
    assert "INVESTMENT" in {a.type for a in store.accounts("USR-1", "MBR-f")}
    assert store.holdings("USR-1", "MBR-f") and not store.holdings("USR-1", "MBR-a")


def test_statement_periods_are_whole_months_and_balances_chain():
    days = [date_day(date(2025, 11, 1)), date_day(date(2025, 11, 30)), date_day(date(2025, 12, 1)), date_day(date(2025, 12, 31))]
    assert _statement_bounds(FROZEN_EPOCH, 2) == [(days[0], days[1]), (days[2], days[3])]  # FROZEN_EPOCH is 2026-01-01
    store, _ = make_store()
    store.produce(member(), JOB_TYPES["fetch_statements"], FROZEN_EPOCH)
    statements = store.statements("USR-1", "MBR-1")
    assert len(statements) == 6 * 3
    assert all(s.pdf.startswith(b"%PDF-") for s in statements)


def test_deleting_a_member_removes_its_data():
    store, _ = make_store()
    store.produce(member("MBR-1"), JOB_TYPES["aggregate"], FROZEN_EPOCH)
    store.produce(member("MBR-2"), JOB_TYPES["fetch_rewards"], FROZEN_EPOCH)
    store.drop_member("MBR-1")
    assert {a.member_guid for a in store.accounts("USR-1")} == {"MBR-2"}
    remaining = everything_of(store)
    assert remaining and all(store.transaction("USR-1", guid).member_guid == "MBR-2" for guid, *_ in remaining)
    store.drop_user("USR-1")
    assert store.accounts("USR-1") == [] and everything_of(store) == [] and store.rewards("USR-1", "MBR-2") == []


@pytest.mark.parametrize("value", ["1666936800", "2025-2-01", "2025-02-30", "02/01/2025", "2025-02-01T00:00:00"])
def test_dates_are_yyyy_mm_dd_only(value):
    with pytest.raises(BadRequest, match=DATE_FORMAT_MESSAGE):
        parse_day(value)


def test_updated_at_filters_come_in_pairs():
    with pytest.raises(BadRequest):
        transaction_query({"from_updated_at": "2025-01-01"}.get, FROZEN_EPOCH)
    query = transaction_query({}.get, FROZEN_EPOCH)
    assert (query.from_day, query.to_day) == (day_of(FROZEN_EPOCH) - 120, day_of(FROZEN_EPOCH) + 5)
