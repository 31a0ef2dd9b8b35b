"""The widget core without HTTP: verification with no checking/savings account ends in invalidData."""
from __future__ import annotations

from dataclasses import dataclass

from sandbox.core.institutions import Catalog
from sandbox.core.tenant import Fixtures, Tenant, TenantSettings
from sandbox.core.widget.config import parse_config


@dataclass
class FakeAccount:
    type: str


class FakeData:
    """Stands in for the data part: every member holds the given account types."""

    def __init__(self, types: list[str]) -> None:
        self.types = types

    def accounts(self, user_guid: str, member_guid: str) -> list[FakeAccount]:
        return [FakeAccount(t) for t in self.types]

    def produce(self, member, job, at) -> dict[str, int]:
        return {}


def connect(account_types: list[str]) -> list[str]:
    tenant = Tenant("core-test", Fixtures(Catalog.load()), TenantSettings(clock_mode="frozen"),
                    data=FakeData(account_types))  # type: ignore[arg-type]
    user = tenant.users.create({})
    widgets = tenant.widget
    config = parse_config({"widget_type": "connect_widget", "mode": "verification"}, v2025=False)
    session = widgets.open(widgets.mint(user.guid, config).token)
    widgets.act(session, {"action": "select_institution", "code": "mxbank"})
    fields = {f.field_name: f.guid for f in session.institution.credentials}
    widgets.act(session, {"action": "submit_credentials", "credentials": [
        {"guid": fields["LOGIN"], "value": "mxuser"}, {"guid": fields["PASSWORD"], "value": "password"}]})
    tenant.clock.advance(10)
    tenant.settle()
    return [m.type.removeprefix("mx/connect/") for m in session.messages][-2:] + [session.step]


def test_no_checking_or_savings_is_invalid_data():
    assert connect(["CREDIT_CARD", "LOAN"]) == ["invalidData", "stepChange", "verifyError"]


def test_a_checking_account_connects():
    assert connect(["CREDIT_CARD", "CHECKING"]) == ["memberConnected", "stepChange", "connected"]
