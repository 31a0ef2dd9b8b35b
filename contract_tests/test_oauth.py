"""OAuth members through the API alone: create → oauth_window_uri → the bank's consent page → redirect.

The consent page is driven like a browser (contract_tests/consent.py): read the HTML form, press
Authorize / Deny / Cancel, look at where the redirect goes, then at the member.
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from contract_tests.consent import browse, consent, press, redirect_target
from contract_tests.journeys import connected, create_member, frozen_user, mxbank_credentials, status, wait_for
from contract_tests.spec import assert_valid
from contract_tests.test_conventions import assert_mx_error

pytestmark = pytest.mark.sandbox_only
OAUTH_BANK = "mx_bank_oauth"


@pytest.fixture
def user(mx):
    return frozen_user(mx, id="oauth-tests")


def create_oauth_member(mx, user, code=OAUTH_BANK, client=None, **top):
    client = client or mx
    r = client.post(f"/users/{user['guid']}/members",
                    json={"member": {"institution_code": code, "is_oauth": True, "credentials": []}, **top})
    assert r.status_code == 200, r.text
    assert_valid(r)
    return r.json()["member"]


def member_path(user, member):
    return f"/users/{user['guid']}/members/{member['guid']}"


@pytest.mark.parametrize("version", ["v20250224", "v20111101"])
def test_oauth_member_starts_pending_with_a_window_uri(mx, user, version):
    client = mx if version == "v20250224" else mx.v1
    member = create_oauth_member(mx, user, client=client)
    assert member["connection_status"] == "PENDING" and member["is_being_aggregated"] is False
    assert member["is_oauth"] is True
    parts = urlsplit(member["oauth_window_uri"])
    assert parts.path == f"/oauth/{OAUTH_BANK}/authorize"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["response_type"] == "code" and query["scope"] == "openid"
    assert query["client_id"] and query["redirect_uri"] and re.fullmatch(r"[0-9a-f]{32,}", query["state"])


def test_authorize_connects_and_aggregates(mx, user):
    member = create_oauth_member(mx, user, data_request={"products": ["transactions", "account_verification"]})
    page = browse(mx, member["oauth_window_uri"])
    assert page.status_code == 200
    assert "MX Bank (OAuth)" in page.text and "Account and routing numbers" in page.text
    assert page.headers["x-frame-options"] == "DENY"  # banks refuse iframes; so does the fake one

    response = consent(mx, member["oauth_window_uri"], "Authorize")
    target, query = redirect_target(response)
    assert target.endswith("/oauth/redirect_from")
    assert query == {"status": "success", "member_guid": member["guid"]}

    after = status(mx, user["guid"], member["guid"])
    assert after["connection_status"] == "CONNECTED" and after["is_being_aggregated"] is True
    final = wait_for(mx, user["guid"], member["guid"], connected)
    assert final["successfully_aggregated_at"] is not None
    assert final["has_processed_account_numbers"] is True  # the requested verification ran too

    done = browse(mx, response.headers["location"])
    assert done.status_code == 200
    message = json.loads(re.search(r"var m=(\{.*?\});", done.text).group(1))
    assert message == {"mx": True, "type": "oauthComplete/success", "metadata": {"member_guid": member["guid"]}}


def test_deny_ends_denied_with_error_reason(mx, user):
    member = create_oauth_member(mx, user)
    response = consent(mx, member["oauth_window_uri"], "Deny")
    _, query = redirect_target(response)
    assert query == {"status": "error", "member_guid": member["guid"], "error_reason": "DENIED"}
    r = mx.get(member_path(user, member))
    assert_valid(r)
    assert r.json()["member"]["connection_status"] == "DENIED"
    assert r.json()["member"]["is_being_aggregated"] is False
    done = browse(mx, response.headers["location"])
    message = json.loads(re.search(r"var m=(\{.*?\});", done.text).group(1))
    assert message["type"] == "oauthComplete/error"
    assert message["metadata"] == {"member_guid": member["guid"], "error_reason": "DENIED"}
    events = mx.events(kind="member", type="oauth_decided", member_guid=member["guid"])
    assert [e["data"]["error_reason"] for e in events] == ["DENIED"]


def test_cancel_on_the_page_leaves_the_member_pending(mx, user):
    member = create_oauth_member(mx, user)
    _, query = redirect_target(consent(mx, member["oauth_window_uri"], "Cancel"))
    assert query == {"status": "error", "member_guid": member["guid"], "error_reason": "CANCELLED"}
    assert status(mx, user["guid"], member["guid"])["connection_status"] == "PENDING"
    assert browse(mx, member["oauth_window_uri"]).status_code == 410  # the link is spent


@pytest.mark.parametrize("decision, end_status, reason", [
    ("authorize", "CONNECTED", None), ("deny", "DENIED", "DENIED"), ("cancel", "PENDING", "CANCELLED")])
def test_control_api_decides_like_the_page(mx, user, decision, end_status, reason):
    member = create_oauth_member(mx, user)
    r = mx.http.post(f"/_sandbox/members/{member['guid']}/oauth", json={"decision": decision})
    assert r.status_code == 200, r.text
    outcome = r.json()["oauth"]
    assert outcome["error_reason"] == reason and outcome["status"] == ("success" if reason is None else "error")
    assert f"member_guid={member['guid']}" in outcome["redirect_url"]
    assert status(mx, user["guid"], member["guid"])["connection_status"] == end_status
    assert browse(mx, member["oauth_window_uri"]).status_code == 410


def test_control_api_rejects_bad_decisions(mx, user):
    member = create_oauth_member(mx, user)
    assert_mx_error(mx.http.post(f"/_sandbox/members/{member['guid']}/oauth", json={"decision": "maybe"}), 400)
    assert_mx_error(mx.http.post(f"/_sandbox/members/{member['guid']}/oauth", json={}), 400)
    assert_mx_error(mx.http.post("/_sandbox/members/MBR-nope/oauth", json={"decision": "deny"}), 404)
    assert status(mx, user["guid"], member["guid"])["connection_status"] == "PENDING"


def test_a_window_uri_works_once(mx, user):
    member = create_oauth_member(mx, user)
    page = browse(mx, member["oauth_window_uri"])
    redirect_target(consent(mx, member["oauth_window_uri"], "Authorize"))
    wait_for(mx, user["guid"], member["guid"], connected)
    before = mx.get(member_path(user, member)).json()["member"]

    again = browse(mx, member["oauth_window_uri"])
    assert again.status_code == 410 and "already been used" in again.text
    # Replaying the original form (a second click, a back button) changes nothing either.
    replay = press(mx, page, "Deny")
    assert replay.status_code == 410 and "location" not in replay.headers
    assert mx.get(member_path(user, member)).json()["member"] == before


def test_a_window_uri_expires_after_ten_virtual_minutes(mx, user):
    member = create_oauth_member(mx, user)
    mx.advance(590)
    page = browse(mx, member["oauth_window_uri"])
    assert page.status_code == 200  # opening the page does not use the link
    mx.advance(11)
    assert browse(mx, member["oauth_window_uri"]).status_code == 410
    late = press(mx, page, "Authorize")
    assert late.status_code == 410 and "expired" in late.text
    s = status(mx, user["guid"], member["guid"])
    assert s["connection_status"] == "PENDING" and s["is_being_aggregated"] is False


@pytest.mark.parametrize("version", ["v20250224", "v20111101"])
def test_fresh_window_uri_replaces_the_old_one(mx, user, version):
    client = mx if version == "v20250224" else mx.v1
    member = create_oauth_member(mx, user)
    r = client.get(f"{member_path(user, member)}/oauth_window_uri")
    assert r.status_code == 200
    assert_valid(r, version)
    fresh = r.json()["member"]
    assert fresh["guid"] == member["guid"] and fresh["oauth_window_uri"] != member["oauth_window_uri"]
    assert browse(mx, member["oauth_window_uri"]).status_code == 410  # superseded
    _, query = redirect_target(consent(mx, fresh["oauth_window_uri"], "Authorize"))
    assert query["status"] == "success"
    assert mx.get(member_path(user, member)).json()["member"]["oauth_window_uri"] == fresh["oauth_window_uri"]


def test_fresh_uri_after_deny_can_still_connect(mx, user):
    member = create_oauth_member(mx, user)
    consent(mx, member["oauth_window_uri"], "Deny")
    uri = mx.get(f"{member_path(user, member)}/oauth_window_uri").json()["member"]["oauth_window_uri"]
    consent(mx, uri, "Authorize")
    wait_for(mx, user["guid"], member["guid"], connected)


@pytest.mark.parametrize("version", ["v20250224", "v20111101"])
def test_non_oauth_member_cannot_get_a_window_uri(mx, user, version):
    client = mx if version == "v20250224" else mx.v1
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    r = client.get(f"{member_path(user, member)}/oauth_window_uri")
    assert "OAuth" in assert_mx_error(r, 400)


def test_app_referral_redirects_to_the_app_scheme(mx, user):
    member = create_oauth_member(mx, user, referral_source="APP", ui_message_webview_url_scheme="appscheme")
    target, query = redirect_target(consent(mx, member["oauth_window_uri"], "Authorize"))
    assert target == "appscheme://oauth_complete"
    assert query == {"status": "success", "member_guid": member["guid"]}


def test_app_referral_prefers_client_redirect_url(mx, user):
    member = create_oauth_member(mx, user, referral_source="APP", ui_message_webview_url_scheme="appscheme",
                                 client_redirect_url="https://app.example.com/oauth/done?from=mx")
    target, query = redirect_target(consent(mx, member["oauth_window_uri"], "Deny"))
    assert target == "https://app.example.com/oauth/done"
    assert query == {"from": "mx", "status": "error", "member_guid": member["guid"], "error_reason": "DENIED"}


def test_window_uri_options_apply_to_the_new_link(mx, user):
    member = create_oauth_member(mx, user)
    r = mx.get(f"{member_path(user, member)}/oauth_window_uri",
               params={"referral_source": "APP", "ui_message_webview_url_scheme": "myapp", "skip_aggregation": "true"})
    assert r.status_code == 200
    target, query = redirect_target(consent(mx, r.json()["member"]["oauth_window_uri"], "Authorize"))
    assert target == "myapp://oauth_complete" and query["status"] == "success"
    s = status(mx, user["guid"], member["guid"])
    assert s["connection_status"] == "CONNECTED" and s["is_being_aggregated"] is False  # skip_aggregation
    assert mx.post(f"{member_path(user, member)}/aggregate").status_code == 202  # the partner aggregates later


@pytest.mark.parametrize("params", [
    {"referral_source": "PIGEON"},
    {"client_redirect_url": "javascript:alert(1)"},
    {"ui_message_webview_url_scheme": "not a scheme"},
    {"skip_aggregation": "sometimes"},
    {"enable_app2app": "yes"},
])
def test_bad_window_uri_options_are_400(mx, user, params):
    member = create_oauth_member(mx, user)
    assert_mx_error(mx.get(f"{member_path(user, member)}/oauth_window_uri", params=params), 400)
    assert browse(mx, member["oauth_window_uri"]).status_code == 200  # the existing link still works


def test_bad_create_options_create_nothing(mx, user):
    r = mx.post(f"/users/{user['guid']}/members", json={
        "member": {"institution_code": OAUTH_BANK, "is_oauth": True, "credentials": []}, "referral_source": "PIGEON"})
    assert_mx_error(r, 400)
    assert mx.get(f"/users/{user['guid']}/members").json()["members"] == []


def test_unknown_or_mismatched_state_is_an_error_page(mx, user):
    member = create_oauth_member(mx, user)
    uri = member["oauth_window_uri"]
    assert browse(mx, re.sub(r"state=[0-9a-f]+", "state=" + "0" * 32, uri)).status_code == 404
    assert browse(mx, uri.replace(f"/oauth/{OAUTH_BANK}/", "/oauth/mxcu_oauth/")).status_code == 404
    assert browse(mx, uri).status_code == 200


def test_deleted_member_link_is_dead(mx, user):
    member = create_oauth_member(mx, user)
    assert mx.delete(member_path(user, member)).status_code == 204
    assert browse(mx, member["oauth_window_uri"]).status_code in (404, 410)


def test_complete_page_rejects_forged_input(mx):
    page = browse(mx, "/oauth/redirect_from?status=success&member_guid=%3Cscript%3Ealert(1)%3C/script%3E")
    assert page.status_code == 400 and "<script>alert" not in page.text
    page = browse(mx, "/oauth/redirect_from?status=error&member_guid=MBR-1&error_reason=%3Cb%3E")
    assert page.status_code == 400
