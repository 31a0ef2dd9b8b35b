"""MX's integration guide (steps 1-8) as a client an app would write: plain httpx, no sandbox internals.

Connecting differs by target: on the sandbox the client drives the Connect widget headlessly
(`/_sandbox/widget_sessions`, what a person does in the widget); on int-api, where the widget
cannot be driven, it creates the member through the API with MX Bank's test credentials. Everything
else (watching `connection_status`, MFA, polling every 3 s, retrieving data) is the same code.

MX recommends webhooks over polling: `wait_until_aggregated_by_webhook` finishes the same
connection from the app's webhook inbox (CONNECTION_STATUS for MFA, MEMBER for the end) and reads
the status once at the end. It needs a receiver MX can reach: the sandbox's loopback receivers.
"""
from __future__ import annotations

import queue
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx

V2025 = {"Accept-Version": "v20250224", "Accept": "application/json"}
DONE_ERRORS = {"PREVENTED", "DENIED", "REJECTED", "LOCKED", "IMPEDED", "FAILED", "EXPIRED", "IMPAIRED", "DISCONNECTED",
               "DISCONTINUED", "CLOSED", "DISABLED", "IMPORTED", "DEGRADED"}


class GuideError(Exception):
    pass


@dataclass
class GuideClient:
    http: httpx.Client
    poll_seconds: float = 3.0  # MX: wait at least 3 s between status polls
    sleep: Callable[[float], None] = time.sleep  # injectable: tests on a frozen clock advance it instead
    statuses_seen: list[str] = field(default_factory=list)

    def _ok(self, r: httpx.Response, *codes: int) -> dict[str, Any]:
        if r.status_code not in codes:
            raise GuideError(f"{r.request.method} {r.request.url.path} → {r.status_code}: {r.text[:300]}")
        return r.json() if r.content else {}

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        return self._ok(self.http.get(path, headers=V2025, params=params), 200)

    # Step 1: a single-use widget URL for the products the app needs.
    def widget_url(self, user_guid: str, products: list[str], **fields: Any) -> str:
        body = {"widget_url": {"widget_type": "connect_widget", "data_request": {"products": products}, **fields}}
        r = self.http.post(f"/users/{user_guid}/widget_urls", headers=V2025, json=body)
        return self._ok(r, 200)["widget_url"]["url"]

    # Steps 2-3 on the sandbox: what the user does in the widget.
    def connect_in_widget(self, url: str, institution: str, values: dict[str, str]) -> str:
        session = self._ok(self.http.post("/_sandbox/widget_sessions", json={"url": url}), 201)["widget_session"]
        act = f"/_sandbox/widget_sessions/{session['guid']}/actions"
        state = self._ok(self.http.post(act, json={"action": "select_institution", "code": institution}), 200)
        fields = {c["field_name"]: c["guid"] for c in state["widget_session"]["institution"]["credentials"]}
        creds = [{"guid": fields[name], "value": value} for name, value in values.items()]
        state = self._ok(self.http.post(act, json={"action": "submit_credentials", "credentials": creds}), 200)
        return state["widget_session"]["member"]["guid"]

    # The int-api stand-in for steps 2-3: the same member, created through the API.
    def connect_by_api(self, user_guid: str, institution: str, values: dict[str, str], products: list[str]) -> str:
        fields = self.get(f"/institutions/{institution}/credentials")["credentials"]
        creds = [{"guid": f["guid"], "value": values[f["field_name"]]} for f in fields if f["field_name"] in values]
        body = {"member": {"institution_code": institution, "credentials": creds}, "data_request": {"products": products}}
        r = self.http.post(f"/users/{user_guid}/members", headers=V2025, json=body)
        return self._ok(r, 200, 202)["member"]["guid"]

    # Steps 6-7: watch connection_status, answer MFA, poll until CONNECTED and not aggregating.
    def wait_until_aggregated(self, user_guid: str, member_guid: str, answer: str = "correct", limit: int = 100) -> dict[str, Any]:
        errors_in_a_row = 0
        for _ in range(limit):
            status = self.get(f"/users/{user_guid}/members/{member_guid}/status")["member"]
            current = status["connection_status"]
            if not self.statuses_seen or self.statuses_seen[-1] != current:
                self.statuses_seen.append(current)
            if current == "CONNECTED" and not status["is_being_aggregated"]:
                return status
            if current == "CHALLENGED":
                answers = [{"guid": c["guid"], "value": answer} for c in status.get("challenges", [])]
                r = self.http.put(f"/users/{user_guid}/members/{member_guid}/resume", headers=V2025,
                                  json={"member": {"challenges": answers}})
                self._ok(r, 202)
            elif current in DONE_ERRORS and not status["is_being_aggregated"]:
                errors_in_a_row += 1  # MX's widget gives up after two settled error polls
                if errors_in_a_row == 2:
                    raise GuideError(f"member ended {current}")
            self.sleep(self.poll_seconds)
        raise GuideError(f"member still not aggregated after {limit} polls: {self.statuses_seen}")

    # Steps 6-7 by webhook: no polling; the app's webhook handler puts each body on `inbox`.
    def wait_until_aggregated_by_webhook(self, user_guid: str, member_guid: str, inbox: "queue.Queue[dict[str, Any]]",
                                         answer: str = "correct", limit: int = 200,
                                         patience: float = 0.5) -> dict[str, Any]:
        member = f"/users/{user_guid}/members/{member_guid}"
        for _ in range(limit):
            try:
                body = inbox.get(timeout=patience)
            except queue.Empty:
                self.sleep(self.poll_seconds)  # nothing yet: let time pass (virtual on the sandbox)
                continue
            if body.get("member_guid") != member_guid:
                continue
            current = body.get("connection_status")
            if current and (not self.statuses_seen or self.statuses_seen[-1] != current):
                self.statuses_seen.append(current)
            if body["type"] == "CONNECTION_STATUS" and current == "CHALLENGED":
                challenges = self.get(f"{member}/challenges")["challenges"]
                answers = [{"guid": c["guid"], "value": answer} for c in challenges]
                self._ok(self.http.put(f"{member}/resume", headers=V2025, json={"member": {"challenges": answers}}), 202)
            elif body["type"] == "CONNECTION_STATUS":
                raise GuideError(f"member ended {current}")  # every other CONNECTION_STATUS needs the user
            elif body["type"] == "MEMBER" and current == "CONNECTED" and not body["is_being_aggregated"]:
                return self.get(f"{member}/status")["member"]
        raise GuideError(f"no final webhook after {limit} waits: {self.statuses_seen}")

    # Step 8: the guide's table, product by product.
    def retrieve(self, user_guid: str, member_guid: str, products: list[str]) -> dict[str, list[dict[str, Any]]]:
        member = f"/users/{user_guid}/members/{member_guid}"
        data: dict[str, list[dict[str, Any]]] = {"accounts": self.get(f"{member}/accounts", records_per_page=100)["accounts"]}
        if "transactions" in products or "transaction_history" in products:
            data["transactions"] = [
                t for a in data["accounts"]
                for t in self.get(f"/users/{user_guid}/accounts/{a['guid']}/transactions", records_per_page=1000,
                                  from_date="2000-01-01")["transactions"]
            ]
        if "identity_verification" in products:
            data["account_owners"] = self.get(f"{member}/account_owners", records_per_page=100)["account_owners"]
        if "account_verification" in products:
            data["account_numbers"] = self.get(f"{member}/account_numbers", records_per_page=100)["account_numbers"]
        if "statements" in products:
            data["statements"] = self.get(f"{member}/statements", records_per_page=100)["statements"]
        if "investments" in products:
            data["holdings"] = self.get(f"{member}/investment_holdings", records_per_page=100)["investment_holdings"]
        if "rewards" in products:
            data["rewards"] = self.get(f"{member}/rewards", records_per_page=100)["rewards"]
        return data
