"""Repeating-series detection and the enhancer's matching, on hand-made records (no server)."""
from __future__ import annotations

from datetime import date

import pytest

from sandbox.core.data.generation import date_day
from sandbox.core.data.model import Transaction
from sandbox.core.data.profiles import load_profiles
from sandbox.core.errors import BadRequest
from sandbox.core.pfm.categories import default_categories
from sandbox.core.pfm.enhance import Enhancer
from sandbox.core.pfm.repeating import detect


def _txn(guid: str, day: date, description: str, kind: str = "DEBIT", amount: int = 1000, flags=frozenset(),
         parent: str | None = None) -> Transaction:
    d = date_day(day)
    return Transaction(guid, "USR-1", "MBR-1", "ACT-1", amount, kind, d, d * 86400.0, d * 86400.0, 0.0, 0.0,
                       description, original_description=description.upper(), flags=frozenset(flags), parent_guid=parent)


def test_monthly_series_clamps_to_the_month_end_and_predicts_the_next():
    days = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    (series,) = detect("USR-1", [_txn(f"T{i}", d, "Gym", flags={"is_bill_pay"}) for i, d in enumerate(days)])
    assert (series.recurrence_type, series.repeating_transaction_type) == ("EVERY_MONTH", "BILL")
    assert (series.last_posted_date, series.predicted_occurs_on) == ("2026-03-31", "2026-04-30")
    assert series.transaction_guids == ("T0", "T1", "T2")


def test_weekly_income_and_what_is_not_a_series():
    weekly = [_txn(f"W{i}", date(2026, 1, 2 + 7 * i), "Pay", kind="CREDIT") for i in range(4)]
    irregular = [_txn(f"R{i}", date(2026, 1, d), "Cafe") for i, d in enumerate((1, 8, 20, 27))]
    too_few = [_txn(f"F{i}", date(2026, 1, 1 + 14 * i), "Rent") for i in range(2)]
    children = [_txn(f"C{i}", date(2026, 1, 3 + 7 * i), "Split", parent="P") for i in range(4)]
    found = detect("USR-1", weekly + irregular + too_few + children)
    assert [(s.description, s.recurrence_type, s.repeating_transaction_type) for s in found] == [
        ("Pay", "EVERY_WEEK", "INCOME")]
    assert found[0].predicted_occurs_on == "2026-01-30"
    assert detect("USR-1", list(reversed(weekly))) == found  # order of input does not matter


def test_enhancer_prefers_the_longest_whole_word_key():
    enhancer = Enhancer(load_profiles().values(), default_categories())
    coffee, bare, mcc = enhancer.enhance([
        {"id": "1", "description": "POS STARBUCKS STORE 77", "type": "DEBIT"},
        {"id": "2", "description": "STARBUCKSY", "type": "DEBIT"},  # not a whole word
        {"id": "3", "description": "x", "merchant_category_code": 5541},
    ])
    assert (coffee.description, coffee.category.name, coffee.merchant_guid is not None) == ("Starbucks", "Coffee Shops", True)
    assert (bare.category.name, bare.categorized_by) == ("Uncategorized", 0)
    assert (mcc.category.name, mcc.categorized_by, mcc.merchant_guid) == ("Gas", 2, None)
    with pytest.raises(BadRequest):
        enhancer.enhance([{"id": "1"}])


def test_insight_rules_are_read_from_the_fixture_and_bad_ones_name_the_line(tmp_path):
    from sandbox.core.institutions import FIXTURES_DIR
    from sandbox.core.pfm.insight_rules import insight_rules
    from sandbox.core.yamlfile import FixtureError

    shipped = insight_rules()
    assert shipped.large_min_cents == 10_000 and shipped.low_balance_days == 14
    assert shipped.texts["LowBalance"] == ("Low balance", "Low Balance", "View account")
    bad = tmp_path / "insights.yml"
    text = (FIXTURES_DIR / "insights.yml").read_text()
    bad.write_text(text.replace("min_dollars: 100", "min_dollars: -5"))
    with pytest.raises(FixtureError) as caught:
        insight_rules(bad)
    assert str(caught.value).startswith(f"{bad}:") and "large_purchase" in str(caught.value)
    assert "positive" in str(caught.value)
