"""Connect a member with chosen products and read back what aggregation produced (step 8)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from contract_tests.harness import MX
from contract_tests.spec import assert_valid
from contract_tests.journeys import connected, create_member, generic_credentials, mxbank_credentials, wait_for

FAR_PAST = "2000-01-01"  # a from_date before any generated history (the default window is 120 days)
ALL = {"records_per_page": 1000, "from_date": FAR_PAST}


@dataclass
class Connected:
    mx: MX
    user: str
    member: str

    @property
    def base(self) -> str:
        return f"/users/{self.user}/members/{self.member}"

    def run(self, job: str) -> dict[str, Any]:
        """Start a job and wait until the member is CONNECTED and no longer aggregating."""
        r = self.mx.post(f"{self.base}/{job}")
        assert r.status_code in (200, 202), r.text
        return wait_for(self.mx, self.user, self.member, connected)

    def items(self, path: str, key: str, **params: Any) -> list[dict[str, Any]]:
        """Every record of a list, walking its pages of 1000."""
        out: list[dict[str, Any]] = []
        page = 1
        while True:
            r = self.mx.get(path, params={**ALL, **params, "page": page})
            assert r.status_code == 200, r.text
            body = r.json()
            out += body[key]
            if page >= body["pagination"]["total_pages"]:
                assert len(out) == body["pagination"]["total_entries"]
                return out
            page += 1

    def accounts(self) -> list[dict[str, Any]]:
        return self.items(f"{self.base}/accounts", "accounts")

    def transactions(self, **params: Any) -> list[dict[str, Any]]:
        return self.items(f"{self.base}/transactions", "transactions", **params)


def connect(mx: MX, products: list[str], code: str = "mxbank", user: str | None = None,
            password: str = "password") -> Connected:
    """A CONNECTED member (background aggregation off, so only the jobs a test runs change data).

    MX refuses a second member with the same credentials, so several members of one user at one
    institution need different (successful) passwords.
    """
    user = user or mx.create_user()["guid"]
    creds = mxbank_credentials(mx, password) if code == "mxbank" else generic_credentials(mx, code, password)
    member = create_member(
        mx, user, code, creds,
        member={"background_aggregation_is_disabled": True},
        data_request={"products": products},
    )
    wait_for(mx, user, member["guid"], connected)
    return Connected(mx, user, member["guid"])


def effect(account: dict[str, Any], txn: dict[str, Any]) -> float:
    """How a transaction moves the balance MX reports: debts are positive and grow with debits."""
    debt = account["type"] in ("CREDIT_CARD", "LOAN", "MORTGAGE", "LINE_OF_CREDIT")
    sign = 1 if (txn["type"] == "CREDIT") != debt else -1
    return sign * txn["amount"]


def read_valid(mx: MX, path: str, key: str, **params: Any) -> Any:
    """GET `path`, check it is a 200 that validates against the spec, return `body[key]`."""
    r = mx.get(path, params=params)
    assert r.status_code == 200, r.text
    assert_valid(r)
    return r.json()[key]
