"""Headless widget journeys: the exact events MX's Connect widget sends, on the virtual clock."""
from __future__ import annotations

import json
from urllib.parse import unquote, urlsplit

import pytest

from contract_tests.test_conventions import assert_mx_error
from contract_tests.widget_support import (
    act, assert_all_valid, assert_valid_event, credentials, journey_to_credentials, mint, names, open_session, read,
)

pytestmark = pytest.mark.sandbox_only
OPENING = ["load", "stepChange:>search", "loaded"]
SELECTED = ["institutionSearch", "selectedInstitution", "stepChange:search>enterCreds", "enterCredentials"]


def submit(mx, guid, session, password, username="mxuser"):
    return act(mx, guid, action="submit_credentials", credentials=credentials(session, username, password))


def answer_all(mx, guid, value="correct"):
    challenges = read(mx, guid)["challenges"]
    assert challenges, "expected an MFA challenge"
    answers = []
    for ch in challenges:
        options = ch.get("options") or ch.get("image_options")
        pick = next((o["value"] for o in options if o["value"] == value), options[0]["value"]) if options else value
        answers.append({"guid": ch["guid"], "value": pick})
    return act(mx, guid, action="answer_mfa", challenges=answers), challenges


def all_events(mx, guid):
    return read(mx, guid)["events"]


def test_connected_journey_event_sequence(mx):
    session, guid = journey_to_credentials(mx)
    assert submit(mx, guid, session, "password")["step"] == "connecting"
    mx.advance(2)
    assert read(mx, guid)["step"] == "connecting"  # CONNECTED but still aggregating
    mx.advance(3)
    view = read(mx, guid)
    assert view["step"] == "connected"
    member_guid = view["member"]["guid"]
    done = act(mx, guid, action="primary_action")
    assert names(done["events"]) == ["connected/primaryAction"]
    events = all_events(mx, guid)
    assert names(events) == OPENING + SELECTED + [
        "stepChange:enterCreds>connecting", "memberStatusUpdate:0", "memberStatusUpdate:6", "memberConnected",
        "stepChange:connecting>connected", "connected/primaryAction"]
    connected = next(e for e in events if e["type"] == "mx/connect/memberConnected")
    assert connected["metadata"] == {"user_guid": view["user_guid"], "session_guid": guid, "member_guid": member_guid}
    assert_all_valid(events)
    member = mx.get(f"/users/{view['user_guid']}/members/{member_guid}/status").json()["member"]
    assert member["connection_status"] == "CONNECTED" and member["is_being_aggregated"] is False


def test_timeline_holds_the_same_events_in_order(mx):
    session, guid = journey_to_credentials(mx)
    submit(mx, guid, session, "password")
    mx.advance(5)
    timeline = mx.events(kind="widget", session_guid=guid)
    assert [e["data"]["message"] for e in timeline] == [
        {k: v for k, v in e.items() if k != "seq"} for e in all_events(mx, guid)]
    # memberConnected comes after the member's aggregation finished, never before
    everything = mx.events()
    finished = next(i for i, e in enumerate(everything) if e["type"] == "aggregation_finished")
    connected = next(i for i, e in enumerate(everything) if e["type"] == "mx/connect/memberConnected")
    assert finished < connected


@pytest.mark.parametrize("password, challenge_type", [
    ("challenge", "TEXT"), ("options", "OPTIONS"), ("image", "IMAGE_DATA"),
    ("image_options", "IMAGE_OPTIONS"), ("token", "TOKEN"),
])
def test_each_mfa_type(mx, password, challenge_type):
    session, guid = journey_to_credentials(mx)
    submit(mx, guid, session, password)
    mx.advance(2)
    view = read(mx, guid)
    assert view["step"] == "mfa"
    answered, challenges = answer_all(mx, guid)
    assert [c["type"] for c in challenges] == [challenge_type]
    member_guid = view["member"]["guid"]
    assert names(answered["events"]) == ["submitMFA", "stepChange:mfa>connecting", "memberStatusUpdate:18"]
    assert answered["events"][0]["metadata"]["member_guid"] == member_guid
    mx.advance(5)
    events = all_events(mx, guid)
    assert names(events) == OPENING + SELECTED + [
        "stepChange:enterCreds>connecting", "memberStatusUpdate:0", "memberStatusUpdate:3", "stepChange:connecting>mfa",
        "submitMFA", "stepChange:mfa>connecting", "memberStatusUpdate:18", "memberStatusUpdate:6", "memberConnected",
        "stepChange:connecting>connected"]
    assert_all_valid(events)


def test_wrong_mfa_answer_is_a_login_error(mx):
    session, guid = journey_to_credentials(mx)
    submit(mx, guid, session, "challenge")
    mx.advance(2)
    answer_all(mx, guid, value="Paris")
    mx.advance(2)
    view = read(mx, guid)
    assert view["step"] == "loginError" and view["member"]["connection_status"] == "REJECTED"
    assert names(all_events(mx, guid))[-2:] == ["memberStatusUpdate:4", "stepChange:connecting>loginError"]


@pytest.mark.parametrize("password, status_id, step", [("UNAUTHORIZED", 2, "loginError"), ("LOCKED", 5, "actionableError")])
def test_denied_and_locked(mx, password, status_id, step):
    session, guid = journey_to_credentials(mx)
    submit(mx, guid, session, password)
    mx.advance(2)
    view = read(mx, guid)
    assert view["step"] == step and view["error"]
    events = all_events(mx, guid)
    assert names(events) == OPENING + SELECTED + [
        "stepChange:enterCreds>connecting", "memberStatusUpdate:0", f"memberStatusUpdate:{status_id}",
        f"stepChange:connecting>{step}"]
    assert not any(e["type"] == "mx/connect/memberConnected" for e in events)
    assert_all_valid(events)


def test_denied_then_update_credentials_connects_the_same_member(mx):
    session, guid = journey_to_credentials(mx)
    submit(mx, guid, session, "UNAUTHORIZED")
    mx.advance(2)
    member_guid = read(mx, guid)["member"]["guid"]
    retry = act(mx, guid, action="primary_action")
    assert names(retry["events"]) == ["stepChange:loginError>enterCreds", "updateCredentials"]
    assert retry["events"][1]["metadata"]["member_guid"] == member_guid
    submitted = submit(mx, guid, retry["widget_session"], "password")
    assert names(submitted["events"]) == ["stepChange:enterCreds>connecting", "memberStatusUpdate:15"]
    mx.advance(5)
    view = read(mx, guid)
    assert view["step"] == "connected" and view["member"]["guid"] == member_guid


def all_institutions(mx):
    out, page = [], 1
    while True:
        body = mx.get("/institutions", params={"records_per_page": 100, "page": page}).json()
        out += body["institutions"]
        if page >= body["pagination"]["total_pages"]:
            return out
        page += 1


def test_products_filter_the_search(mx):
    mx.freeze()
    user = mx.create_user()
    opened = open_session(mx, mint(mx, user["guid"], data_request={"products": ["account_verification", "identity_verification"]}))
    guid = opened["widget_session"]["guid"]
    shown = opened["widget_session"]["institutions"]
    everything = all_institutions(mx)
    both = {i["code"] for i in everything
            if {"account_verification", "identity_verification"} <= set(i["supported_products"])}
    assert shown and {i["code"] for i in shown} <= both
    lacking = next(i["code"] for i in everything if "identity_verification" not in i["supported_products"])
    assert_mx_error(mx.http.post(f"/_sandbox/widget_sessions/{guid}/actions",
                                 json={"action": "select_institution", "code": lacking}), 400)
    act(mx, guid, action="search", query=lacking)
    assert lacking not in {i["code"] for i in read(mx, guid)["institutions"]}
    act(mx, guid, action="search", query="MX Bank")
    assert "mxbank" in {i["code"] for i in read(mx, guid)["institutions"]}


def test_country_filter(mx):
    mx.freeze()
    user = mx.create_user()
    opened = open_session(mx, mint(mx, user["guid"], iso_country_code=["CA"]))
    shown = opened["widget_session"]["institutions"]
    assert shown and all(i["iso_country_code"] == "CA" for i in shown)


def test_current_institution_opens_on_credentials(mx):
    mx.freeze()
    user = mx.create_user()
    opened = open_session(mx, mint(mx, user["guid"], current_institution_code="mxbank", disable_institution_search=True))
    assert opened["widget_session"]["step"] == "enterCreds"
    assert names(opened["events"]) == ["load", "stepChange:>enterCreds", "loaded", "enterCredentials"]
    assert opened["events"][2]["metadata"]["initial_step"] == "enterCreds"
    back = act(mx, opened["widget_session"]["guid"], action="back_to_search")
    assert names(back["events"]) == ["backToSearch"] and back["step"] == "enterCreds"  # the host closes it


@pytest.mark.parametrize("password, step", [("challenge", "mfa"), ("password", "connected"), ("UNAUTHORIZED", "loginError")])
def test_current_member_opens_on_its_step(mx, password, step):
    session, guid = journey_to_credentials(mx)
    submit(mx, guid, session, password)
    mx.advance(5)
    view = read(mx, guid)
    url = mint(mx, view["user_guid"], current_member_guid=view["member"]["guid"])
    reopened = open_session(mx, url)
    assert reopened["widget_session"]["step"] == step
    assert reopened["events"][2]["metadata"] == {"user_guid": view["user_guid"], "session_guid": reopened["widget_session"]["guid"],
                                                 "initial_step": step}


def test_current_member_with_update_credentials(mx):
    session, guid = journey_to_credentials(mx)
    submit(mx, guid, session, "password")
    mx.advance(5)
    view = read(mx, guid)
    opened = open_session(mx, mint(mx, view["user_guid"], current_member_guid=view["member"]["guid"], update_credentials=True))
    assert names(opened["events"]) == ["load", "stepChange:>enterCreds", "loaded", "updateCredentials"]
    assert_valid_event(opened["events"][3])


def test_oauth_authorize_and_deny(mx):
    session, guid = journey_to_credentials(mx, code="mx_bank_oauth")
    assert session["step"] == "oauth"
    member_guid = session["member"]["guid"]
    asked = act(mx, guid, action="oauth")
    assert names(asked["events"]) == ["oauthRequested"]
    assert asked["events"][0]["metadata"]["member_guid"] == member_guid and asked["events"][0]["metadata"]["url"]
    done = act(mx, guid, action="oauth", decision="authorize")
    assert names(done["events"]) == ["stepChange:oauth>connecting", "memberStatusUpdate:6"]
    mx.advance(10)
    assert read(mx, guid)["step"] == "connected"

    session, guid = journey_to_credentials(mx, code="mx_bank_oauth")
    denied = act(mx, guid, action="oauth", decision="deny")
    assert names(denied["events"]) == ["oauthRequested", "oauthError", "stepChange:oauth>oauthError"]
    member = mx.get(f"/users/{read(mx, guid)['user_guid']}/members/{session['member']['guid']}").json()["member"]
    assert member["connection_status"] == "DENIED"
    assert_all_valid(all_events(mx, guid))


def test_oauth_cancel_is_an_oauth_error_and_the_member_stays_pending(mx):
    session, guid = journey_to_credentials(mx, code="mx_bank_oauth")
    cancelled = act(mx, guid, action="oauth", decision="cancel")
    assert names(cancelled["events"]) == ["oauthRequested", "oauthError", "stepChange:oauth>oauthError"]
    member = mx.get(f"/users/{read(mx, guid)['user_guid']}/members/{session['member']['guid']}").json()["member"]
    assert member["connection_status"] == "PENDING"
    assert_all_valid(cancelled["events"])


def test_delete_member_and_back_to_search(mx):
    session, guid = journey_to_credentials(mx)
    submit(mx, guid, session, "LOCKED")
    mx.advance(2)
    member_guid = read(mx, guid)["member"]["guid"]
    deleted = act(mx, guid, action="delete_member")
    assert names(deleted["events"]) == ["memberDeleted", "stepChange:actionableError>deleteMemberSuccess"]
    assert deleted["events"][0]["metadata"]["member_guid"] == member_guid
    back = act(mx, guid, action="back_to_search")
    assert names(back["events"]) == ["backToSearch", "stepChange:deleteMemberSuccess>search"]
    assert_all_valid(all_events(mx, guid))


def test_webview_events_carry_their_navigation_url(mx):
    session, guid = journey_to_credentials(mx, is_mobile_webview=True, ui_message_webview_url_scheme="myapp")
    submit(mx, guid, session, "password")
    mx.advance(5)
    events = all_events(mx, guid)
    assert events[0]["webview_url"] == "myapp://load?metadata=%7B%7D"
    for event in events[1:]:
        url = urlsplit(event["webview_url"])
        assert (url.scheme, url.netloc) == ("myapp", "connect")
        assert url.path == "/" + event["type"].removeprefix("mx/connect/")
        assert url.query.startswith("metadata=") and json.loads(unquote(url.query[len("metadata="):])) == event["metadata"]
    timeline = mx.events(kind="widget", session_guid=guid)
    assert [e["data"]["webview_url"] for e in timeline] == [e["webview_url"] for e in events]


def test_bad_actions_are_4xx_and_change_nothing(mx):
    session, guid = journey_to_credentials(mx)
    before = all_events(mx, guid)
    path = f"/_sandbox/widget_sessions/{guid}/actions"
    for body, status in [
        ({}, 400), ({"action": "teleport"}, 400), ({"action": "search", "query": "x"}, 409),
        ({"action": "submit_credentials", "credentials": "mxuser"}, 400),
        ({"action": "submit_credentials", "credentials": [{"guid": "CRD-nope", "value": "x"}]}, 400),
        ({"action": "submit_credentials", "credentials": credentials(session, "mxuser", "")}, 400),
        ({"action": "answer_mfa", "challenges": [{"guid": "CRD-x", "value": "y"}]}, 409),
        ({"action": "oauth", "decision": "authorize"}, 409),
    ]:
        assert_mx_error(mx.http.post(path, json=body), status)
    assert_mx_error(mx.http.post(path, content=b"[1,2", headers={"Content-Type": "application/json"}), 400)
    assert_mx_error(mx.http.post("/_sandbox/widget_sessions/ANS-nope/actions", json={"action": "ping"}), 404)
    assert_mx_error(mx.http.post("/_sandbox/widget_sessions", json={}), 400)
    assert_mx_error(mx.http.post("/_sandbox/widget_sessions", json={"url": "http://x/md/connect/nope"}), 404)
    assert all_events(mx, guid) == before
    assert read(mx, guid)["step"] == "enterCreds"


def test_ping_is_recorded(mx):
    session, guid = journey_to_credentials(mx)
    pinged = act(mx, guid, action="ping")
    assert names(pinged["events"]) == ["ping"] and pinged["step"] == "enterCreds"
    assert_valid_event(pinged["events"][0])
    assert len(mx.events(kind="widget", type="mx/ping", session_guid=guid)) == 1
