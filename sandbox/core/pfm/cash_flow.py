"""The monthly cash-flow profile: what a user earns and spends in a month, and what is left for goals.

One per user, made when first read. Only the goals contribution and whether to use the estimate
are stored; the rest is computed when read:
- `budgeted_income`: average monthly income over the three full calendar months before now;
- `budgeted_expenses`: the sum of the user's top-level budgets, or without budgets their average
  monthly spending over the same months;
- `estimated_goals_contribution`: income minus expenses, not below zero.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import BadRequest
from ..ids import GuidFactory
from .fields import flag
from .numbers import cents


@dataclass
class CashFlowProfile:
    guid: str
    user_guid: str
    goals_contribution: int | None = None  # cents; None until the user sets one
    uses_estimated_goals_contribution: bool = True


@dataclass(frozen=True)
class CashFlowView:
    profile: CashFlowProfile
    budgeted_income: int
    budgeted_expenses: int

    @property
    def estimated_goals_contribution(self) -> int:
        return max(0, self.budgeted_income - self.budgeted_expenses)

    @property
    def goals_contribution(self) -> int:
        chosen = self.profile.goals_contribution
        if self.profile.uses_estimated_goals_contribution or chosen is None:
            return self.estimated_goals_contribution
        return chosen


class CashFlowStore:
    def __init__(self, guids: GuidFactory) -> None:
        self.guids = guids
        self._profiles: dict[str, CashFlowProfile] = {}  # user guid → profile (one per user: bounded by users)

    def get(self, user_guid: str) -> CashFlowProfile:
        found = self._profiles.get(user_guid)
        if found is None:
            found = self._profiles[user_guid] = CashFlowProfile(self.guids.new("MCF"), user_guid)
        return found

    def update(self, user_guid: str, fields: dict[str, Any]) -> CashFlowProfile:
        """Setting `goals_contribution` alone means using it (`uses_estimated…` becomes false)."""
        amount = cents(fields, "goals_contribution")
        uses_estimate = flag(fields, "uses_estimated_goals_contribution")
        if amount is None and uses_estimate is None:
            raise BadRequest("Give goals_contribution or uses_estimated_goals_contribution.")
        profile = self.get(user_guid)
        if amount is not None:
            profile.goals_contribution = amount
            profile.uses_estimated_goals_contribution = False
        if uses_estimate is not None:
            profile.uses_estimated_goals_contribution = uses_estimate
        return profile

    def drop_user(self, user_guid: str) -> None:
        self._profiles.pop(user_guid, None)
