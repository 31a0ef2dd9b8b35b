"""The guide journey against a server this suite did not start: the container image, a fresh
runtime-only install. What a CI job that uses mx-sandbox as a service would run first."""
from __future__ import annotations

import uuid

from contract_tests.guide_client import GuideClient
from contract_tests.harness import MX, Target, new_client

PRODUCTS = ["transactions", "statements"]  # statements: real PDFs, so fpdf2 is in the install


def run_guide_journey(url: str) -> dict[str, list]:
    """Steps 1-8 on a fresh tenant (frozen clock, MX Bank with an MFA challenge), plus one statement PDF."""
    target = Target("sandbox", url)
    client_id = f"served-{uuid.uuid4().hex[:8]}"
    with new_client(target, client_id) as http:
        mx = MX(http, target, client_id)
        mx.freeze(now="2026-03-02T10:00:00Z")
        guide = GuideClient(http, sleep=mx.advance)
        user = mx.create_user()["guid"]
        url = guide.widget_url(user, PRODUCTS)
        member = guide.connect_in_widget(url, "mxbank", {"LOGIN": "mxuser", "PASSWORD": "challenge"})
        guide.wait_until_aggregated(user, member)
        data = guide.retrieve(user, member, PRODUCTS)
        statement = data["statements"][0]
        pdf = mx.get(f"/users/{user}/members/{member}/statements/{statement['guid']}.pdf")
        data["pdf"] = [pdf.content[:5].decode("latin-1")] if pdf.status_code == 200 else [f"HTTP {pdf.status_code}"]
        assert "CHALLENGED" in guide.statuses_seen, guide.statuses_seen
    return data


def check_guide_journey(url: str) -> None:
    data = run_guide_journey(url)
    assert data["accounts"] and data["transactions"] and data["statements"], {k: len(v) for k, v in data.items()}
    assert data["pdf"] == ["%PDF-"], data["pdf"]

