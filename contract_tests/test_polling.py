"""MX's guide, step 6: poll /status every 3 s until CONNECTED and not aggregating."""
from __future__ import annotations

import time

import pytest

from contract_tests.journeys import create_member, mxbank_credentials, status

pytestmark = pytest.mark.parity


def poll_until_connected(mx, user_guid, member_guid, interval: float, wait) -> list[tuple[str, bool]]:
    """A guide-following client: returns the (status, aggregating) pairs it saw."""
    seen = []
    for _ in range(60):
        s = status(mx, user_guid, member_guid)
        pair = (s["connection_status"], s["is_being_aggregated"])
        if not seen or seen[-1] != pair:
            seen.append(pair)
        if pair == ("CONNECTED", False):
            return seen
        assert s["connection_status"] in ("CREATED", "CONNECTED"), s
        wait(interval)
    raise AssertionError(f"never connected; saw {seen}")


def test_polling_with_the_real_clock(mx):
    """Wall time passes for real here (about 6 s on the sandbox), as it would on int-api."""
    user = mx.create_user()
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    seen = poll_until_connected(mx, user["guid"], member["guid"], 3.0, time.sleep)
    assert seen[-1] == ("CONNECTED", False)
    assert seen[0][1] is True  # the client saw aggregation in progress first


@pytest.mark.sandbox_only
def test_polling_with_a_frozen_clock(mx):
    mx.freeze(now="2026-05-01T08:00:00Z")
    user = mx.create_user()
    member = create_member(mx, user["guid"], "mxbank", mxbank_credentials(mx, "password"))
    seen = poll_until_connected(mx, user["guid"], member["guid"], 3.0, mx.advance)
    assert seen == [("CREATED", True), ("CONNECTED", True), ("CONNECTED", False)]
    assert mx.clock()["now"] == "2026-05-01T08:00:06Z"  # two 3-second polls of virtual time
