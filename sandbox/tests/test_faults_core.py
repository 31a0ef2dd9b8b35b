"""The journal and fault core without HTTP: seeded probability, redaction, path matching."""
from __future__ import annotations

import json

import pytest

from sandbox.core.errors import BadRequest
from sandbox.core.events import ApiCalled, EventBus
from sandbox.core.institutions import Catalog
from sandbox.core.journal import BODY_LIMIT, PathMatcher, Query, RequestJournal, journal_body, redact
from sandbox.core.tenant import Fixtures, Tenant, TenantSettings

FIXTURES = Fixtures(Catalog.load())


def firings(seed: int, client_id: str = "t", n: int = 64) -> list[bool]:
    tenant = Tenant(client_id, FIXTURES, TenantSettings(seed=seed, clock_mode="frozen"))
    tenant.faults.add({"path": "/users", "status": 503, "probability": 0.3})
    return [tenant.faults.http_fault("GET", "/users", "/users", {}) is not None for _ in range(n)]


def test_probability_follows_the_seed_not_the_tenant():
    assert firings(1) == firings(1, "another-tenant")
    assert firings(1) != firings(2)
    assert 5 < sum(firings(1)) < 40  # about 30 % of 64


def test_redaction_of_credentials_mfa_answers_and_password_like_keys():
    body = {"member": {"credentials": [{"guid": "CRD-1", "value": "mxuser"}], "id": "keep"},
            "challenges": [{"guid": "CRD-2", "value": "correct"}],
            "user": {"password": "p", "api_key": "k", "pin": 1234, "shopping": "kept", "token_type": "x"}}
    assert redact(body) == {
        "member": {"credentials": [{"guid": "CRD-1", "value": "[REDACTED]"}], "id": "keep"},
        "challenges": [{"guid": "CRD-2", "value": "[REDACTED]"}],
        "user": {"password": "[REDACTED]", "api_key": "[REDACTED]", "pin": "[REDACTED]", "shopping": "kept",
                 "token_type": "[REDACTED]"}}


def test_long_bodies_are_cut():
    shown, text = journal_body({"metadata": "x" * (2 * BODY_LIMIT)}, json.dumps)
    assert isinstance(shown, str) and len(text) == BODY_LIMIT


@pytest.mark.parametrize("pattern, path, route, expected", [
    ("/users/{guid}/members", "/users/USR-1/members", "/users/{user_identifier}/members", True),
    ("/users/{guid}/members", "/users/USR-1/members/MBR-1", "/users/{user_identifier}/members/{member_identifier}", False),
    ("/users/USR-1", "/users/USR-1", "/users/{user_identifier}", True),
    ("/users/USR-1", "/users/USR-2", "/users/{user_identifier}", False),
    ("^/users/[^/]+$", "/users/USR-2", "", True),
    ("/users/a.b", "/users/axb", "", False),  # literal dots
])
def test_path_matching(pattern, path, route, expected):
    assert PathMatcher.parse(pattern).matches_path(path, route) is expected


def test_journal_keeps_a_bounded_window_with_stable_ids():
    bus = EventBus()
    journal = RequestJournal(bus, limit=3)
    for i in range(5):
        bus.publish(ApiCalled(float(i), "GET", f"/users/{i}", 200, "/users/{user_guid}"))
    found, more = journal.find(Query(), limit=10)
    assert [e["id"] for e in found] == [3, 4, 5] and not more and journal.dropped == 2
    assert journal.count(Query(after_id=4)) == 1


def test_pathological_regex_is_refused():
    with pytest.raises(BadRequest):
        PathMatcher.parse("^(a*)*b")
