"""Helpers for the widget tests: mint and open URLs, drive headless sessions, check event payloads
against MX's post_message_definition.yml (read from MX_WIDGET_EVENTS_DIR, never copied)."""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from contract_tests.harness import MX

ROOT = Path(__file__).resolve().parents[1]
TYPES = {"string": str, "number": (int, float), "boolean": bool, "object": dict}


def mint(mx: MX, user_guid: str, **fields: Any) -> str:
    r = mx.post(f"/users/{user_guid}/widget_urls", json={"widget_url": {"widget_type": "connect_widget", **fields}})
    assert r.status_code == 200, r.text
    return r.json()["widget_url"]["url"]


def open_session(mx: MX, url: str) -> dict[str, Any]:
    r = mx.http.post("/_sandbox/widget_sessions", json={"url": url})
    assert r.status_code == 201, r.text
    return r.json()


def act(mx: MX, session_guid: str, **action: Any) -> dict[str, Any]:
    r = mx.http.post(f"/_sandbox/widget_sessions/{session_guid}/actions", json=action)
    assert r.status_code == 200, r.text
    return r.json()


def read(mx: MX, session_guid: str) -> dict[str, Any]:
    r = mx.http.get(f"/_sandbox/widget_sessions/{session_guid}")
    assert r.status_code == 200, r.text
    return r.json()["widget_session"]


def credentials(session: dict[str, Any], username: str, password: str) -> list[dict[str, str]]:
    by_name = {c["field_name"]: c["guid"] for c in session["institution"]["credentials"]}
    return [{"guid": by_name["LOGIN"], "value": username}, {"guid": by_name["PASSWORD"], "value": password}]


def names(events: list[dict[str, Any]]) -> list[str]:
    """`mx/connect/memberStatusUpdate` with status 3 → `memberStatusUpdate:3`; stepChange shows its target."""
    out = []
    for e in events:
        name = e["type"].removeprefix("mx/connect/").removeprefix("mx/")
        md = e["metadata"]
        if name == "memberStatusUpdate":
            name += f":{md['connection_status']}"
        elif name == "stepChange":
            name += f":{md['previous']}>{md['current']}"
        out.append(name)
    return out


def journey_to_credentials(mx: MX, code: str = "mxbank", **url_fields: Any) -> tuple[dict[str, Any], str]:
    """User → URL → opened session → searched and selected `code`. Returns (session view, guid)."""
    mx.freeze()
    user = mx.create_user()
    opened = open_session(mx, mint(mx, user["guid"], **url_fields))
    guid = opened["widget_session"]["guid"]
    act(mx, guid, action="search", query=code)
    return act(mx, guid, action="select_institution", code=code)["widget_session"], guid


# -- post_message_definition.yml --------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def definitions() -> dict[str, Any]:
    directory = Path(os.environ.get("MX_WIDGET_EVENTS_DIR", ROOT.parent / "shared" / "mx-reference" / "widget-events"))
    path = directory / "post_message_definition.yml"
    if not path.exists():
        pytest.skip(f"post_message_definition.yml not found at {path}; set MX_WIDGET_EVENTS_DIR")
    widget = yaml.safe_load(path.read_text())["post_messages"]["widget"]
    out = {f"mx/{name}": spec.get("payload") or {} for name, spec in widget["generic"].items()}
    out.update({f"mx/connect/{name}": spec.get("payload") or {} for name, spec in widget["connect"].items()})
    return out


def _check(fields: dict[str, Any], value: Any, where: str) -> None:
    assert isinstance(value, dict), f"{where}: expected an object"
    allowed = set()
    for name, spec in fields.items():
        allowed.add(name)
        optional = isinstance(spec, dict) and spec.get("optional", False)
        kind = spec.get("type") if isinstance(spec, dict) else spec
        if name not in value:
            assert optional, f"{where}: missing {name}"
            continue
        if isinstance(kind, dict):
            _check(kind, value[name], f"{where}.{name}")
        else:
            item = value[name]
            assert isinstance(item, TYPES[kind]) and not (kind == "number" and isinstance(item, bool)), (
                f"{where}.{name} should be a {kind}: {item!r}")
    extra = set(value) - allowed
    assert not extra, f"{where}: fields MX does not define: {sorted(extra)}"


def assert_valid_event(event: dict[str, Any]) -> None:
    """`{"mx": true, "type", "metadata"}` whose metadata matches MX's field types exactly."""
    assert event["mx"] is True and isinstance(event["metadata"], dict)
    payload = definitions().get(event["type"])
    assert payload is not None, f"{event['type']} is not an MX widget event"
    _check(payload, event["metadata"], event["type"])


def assert_all_valid(events: list[dict[str, Any]]) -> None:
    for event in events:
        assert_valid_event({k: v for k, v in event.items() if k not in ("seq", "webview_url")})


# Microdeposit events are missing from post_message_definition.yml; their payloads as MX's
# microdeposit postMessage docs and the open-source widget describe them (mx-facts §4.3).
MICRODEPOSIT_PAYLOADS: dict[str, dict[str, Any]] = {
    "mx/connect/microdeposits/loaded": {"user_guid": "string", "session_guid": "string",
                                        "microdeposit_guid": {"type": "string", "optional": True}},
    "mx/connect/microdeposits/detailsSubmitted": {"user_guid": "string", "session_guid": "string",
                                                  "microdeposit_guid": "string"},
    "mx/connect/microdeposits/verified": {"user_guid": "string", "session_guid": "string",
                                          "microdeposit_guid": "string"},
    "mx/connect/microdeposits/blockedRoutingNumber": {"user_guid": "string", "session_guid": "string",
                                                      "routing_number": "string", "reason": "string"},
}
BLOCKED_REASONS = ("BLOCKED", "CLIENT_BLOCKED", "IAV_PREFERRED")


def assert_valid_anywhere(events: list[dict[str, Any]]) -> None:
    """Like assert_all_valid, with the microdeposit events checked against their documented payloads."""
    for event in events:
        event = {k: v for k, v in event.items() if k not in ("seq", "webview_url")}
        if event["type"] in MICRODEPOSIT_PAYLOADS:
            assert event["mx"] is True
            _check(MICRODEPOSIT_PAYLOADS[event["type"]], event["metadata"], event["type"])
            if event["type"].endswith("blockedRoutingNumber"):
                assert event["metadata"]["reason"] in BLOCKED_REASONS
        else:
            assert_valid_event(event)
