"""Thresholds and wording of the derived insights, from fixtures/insights.yml: data QA may change."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..institutions import FIXTURES_DIR
from ..yamlfile import entry, read_fixture

TEMPLATE_NAMES = ("LargePurchase", "UpcomingSubscription", "UpcomingBill", "PaycheckDeposit", "LowBalance",
                  "MonthlyCategoryTotal")  # the ones the code derives; each needs its texts


@dataclass(frozen=True)
class InsightRules:
    large_window_days: int
    large_min_cents: int
    large_factor: float
    large_max: int
    low_balance_days: int
    current_only: frozenset[str]
    texts: dict[str, tuple[str, str, str]]  # template → (title, micro_title, call to action)

    @classmethod
    def parse(cls, data: Any) -> "InsightRules":
        with entry("large_purchase"):
            large = data["large_purchase"]
            window, floor = _positive(large["window_days"]), _positive(large["min_dollars"])
            factor, most = _positive(large["median_factor"]), _positive(large["most"])
        with entry("low_balance"):
            days = _positive(data["low_balance"]["within_days"])
        texts = {}
        for name in TEMPLATE_NAMES:
            with entry("templates", name):
                t = data["templates"][name]
                texts[name] = (str(t["title"]), str(t["micro_title"]), str(t["call_to_action"]))
        with entry("current_only"):
            current = frozenset(str(n) for n in data.get("current_only") or [])
            unknown = current - set(TEMPLATE_NAMES)
            if unknown:
                raise ValueError(f"not a template: {', '.join(sorted(unknown))}")
        return cls(int(window), round(floor * 100), factor, int(most), int(days), current, texts)


def _positive(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"must be a positive number, got {value!r}")
    return value


@functools.cache
def insight_rules(path: Path = FIXTURES_DIR / "insights.yml") -> InsightRules:
    return read_fixture(path, InsightRules.parse)
