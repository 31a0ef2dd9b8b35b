"""Managed data, merges and holdings deactivation in the core: what the lifecycle cascades forget."""
from __future__ import annotations

import pytest

from sandbox.core.data.merge import merge_accounts
from sandbox.core.errors import BadRequest
from sandbox.core.tenant import Fixtures, Tenant, TenantSettings
from sandbox.tests.test_data_core import CATALOG

ACCOUNT = {"id": "a", "name": "Held", "type": "CHECKING", "balance": 1}
TXN = {"amount": "1.00", "description": "x", "status": "POSTED", "type": "DEBIT",
       "posted_at": "2025-12-20T00:00:00Z", "transacted_at": "2025-12-19T00:00:00Z"}


def tenant() -> Tenant:
    return Tenant("t", Fixtures(CATALOG), TenantSettings(clock_mode="frozen"))


def test_a_merged_away_account_is_forgotten_with_its_member():
    t = tenant()
    user = t.users.create({"id": "u"}).guid
    member = t.members.create(user, {"institution_code": "mxbank", "credentials": [
        {"guid": f.guid, "value": v} for f, v in zip(CATALOG.get("mxbank").credentials, ("mxuser", "password"))]})
    t.clock.advance(3600)
    t.settle()
    first, second = t.data.accounts(user, member.guid)[:2]
    merge_accounts(t.data, user, {"account_guids": [first.guid, second.guid]})
    assert t.data._merged == {second.guid: member.guid}
    t.lifecycle.delete_member(member)
    assert t.data._merged == {} and t.data.accounts(user) == []


def test_deleting_a_user_forgets_its_deactivation_and_managed_records():
    t = tenant()
    user = t.users.create({"id": "u"})
    member = t.managed.create_member(user.guid, {"institution_code": "mxbank"})
    account = t.managed.create_account(member, ACCOUNT)
    t.managed.create_transaction(account, TXN)
    t.data.set_holdings_active(user.guid, False)
    t.lifecycle.delete_user(user)
    assert t.data.holdings_active(user.guid) and len(t.members) == 0 and t.data.transaction_count(account.guid) == 0


def test_a_bad_managed_field_changes_nothing():
    t = tenant()
    member = t.managed.create_member(t.users.create({"id": "u"}).guid, {"institution_code": "mxbank"})
    account = t.managed.create_account(member, ACCOUNT)
    for fields in ({"name": "New", "balance": "lots"}, {"name": None}, {"type": "PIGGY_BANK"}):
        with pytest.raises(BadRequest):
            t.managed.update_account(account, fields)
        assert (account.name, account.balance, account.type) == ("Held", 100, "CHECKING")
