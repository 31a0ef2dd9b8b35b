"""Processor grants without HTTP: scope parsing, one-time codes, bounds and cascades."""
from __future__ import annotations

import pytest

from sandbox.core.errors import BadRequest, Forbidden, Unauthorized, Unprocessable
from sandbox.core.institutions import Catalog
from sandbox.core.processor.grants import CODE_KIND, TOKEN_KIND, ProcessorTokens
from sandbox.core.processor.scope import parse_scope
from sandbox.core.tenant import Fixtures, Tenant, TenantSettings

FIXTURES = Fixtures(Catalog.load())


def verified_tenant() -> tuple[Tenant, str, str, list[str]]:
    """A tenant with one MX Bank member, connected and verified (jobs run on the frozen clock)."""
    tenant = Tenant("t", FIXTURES, TenantSettings(clock_mode="frozen"))
    user = tenant.users.create({}).guid
    fields = {"institution_code": "mxbank", "credentials": [
        {"guid": c.guid, "value": {"LOGIN": "mxuser", "PASSWORD": "password"}[c.field_name]}
        for c in tenant.catalog.get("mxbank").credentials]}
    member = tenant.lifecycle.create_member(user, fields, ["transactions", "account_verification"])
    for _ in range(20):
        tenant.clock.advance(60)
        tenant.settle()
    deposit = [a.guid for a in tenant.data.accounts(user) if a.type in ("CHECKING", "SAVINGS")]
    assert deposit and tenant.data.account_numbers(user, account_guid=deposit[0])
    return tenant, user, member.guid, deposit


def test_scope_round_trips_and_refuses_what_mx_would_not_issue():
    scope = parse_scope("user-guid:USR-1 member-guid:MBR-1 account-guid:ACT-1 account-guid:ACT-2 read-protected")
    assert scope.account_guids == ("ACT-1", "ACT-2") and parse_scope(scope.text()) == scope
    for bad in ["", "user-guid:USR-1 member-guid:MBR-1", "user-guid:USR-1 user-guid:USR-2 member-guid:MBR-1 account-guid:ACT-1",
                "user-guid:MBR-1 member-guid:MBR-1 account-guid:ACT-1", "colour:blue", "write-everything"]:
        with pytest.raises(BadRequest):
            parse_scope(bad)


def test_codes_are_one_time_and_tokens_cover_only_their_accounts():
    tenant, user, member, deposit = verified_tenant()
    grants = tenant.processor
    code = grants.issue_code(parse_scope(f"user-guid:{user} member-guid:{member} account-guid:{deposit[0]}"))
    assert tenant.tokens.owner(CODE_KIND, code.code) == "t"
    token = grants.exchange(code.code, "proc")
    with pytest.raises(BadRequest):
        grants.exchange(code.code, "proc")
    assert tenant.tokens.owner(CODE_KIND, code.code) is None and tenant.tokens.owner(TOKEN_KIND, token.token) == "t"
    assert [a.guid for a in grants.accounts(grants.resolve(token.token))] == [deposit[0]]
    with pytest.raises(Forbidden):
        grants.accounts(token, deposit[1])
    grants.revoke(token.token)
    with pytest.raises(Unauthorized):
        grants.resolve(token.token)


def test_unverified_accounts_get_no_code():
    tenant, user, member, _ = verified_tenant()
    card = next(a.guid for a in tenant.data.accounts(user) if a.type == "CREDIT_CARD")
    with pytest.raises(Unprocessable):
        tenant.processor.issue_code(parse_scope(f"user-guid:{user} member-guid:{member} account-guid:{card}"))


def test_grants_are_bounded_oldest_first():
    tenant, user, member, deposit = verified_tenant()
    grants = ProcessorTokens("t", tenant.clock, tenant.tokens, tenant.users, tenant.members, tenant.data, limit=3)
    scope = parse_scope(f"user-guid:{user} member-guid:{member} account-guid:{deposit[0]}")
    codes = []
    for _ in range(5):
        tenant.clock.advance(1)
        codes.append(grants.issue_code(scope).code)
    assert len(grants) == 3
    assert tenant.tokens.owner(CODE_KIND, codes[0]) is None and tenant.tokens.owner(CODE_KIND, codes[-1]) == "t"
    with pytest.raises(BadRequest):
        grants.exchange(codes[0], "proc")


def test_member_delete_forgets_codes_and_tokens():
    tenant, user, member, deposit = verified_tenant()
    scope = parse_scope(f"user-guid:{user} member-guid:{member} account-guid:{deposit[0]}")
    token = tenant.processor.exchange(tenant.processor.issue_code(scope).code, "proc")
    code = tenant.processor.issue_code(scope)
    tenant.lifecycle.delete_member(tenant.members.get(user, member))
    assert len(tenant.processor) == 0
    assert tenant.tokens.owner(TOKEN_KIND, token.token) is None and tenant.tokens.owner(CODE_KIND, code.code) is None
