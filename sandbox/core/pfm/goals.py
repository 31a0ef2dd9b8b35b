"""Goals: save an amount in one account, or pay one debt account off; ordered by `position`.

A goal's progress is read from its account when asked (`GoalView`): a SAVE_AMOUNT goal has the
account's balance saved, a PAYOFF goal has paid off whatever the balance is below the goal's
amount. The projection follows the account's net flow over the last 90 days. Goals on an account
that goes away (its member or the manual account is deleted) go with it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..clock import VirtualClock
from ..data.model import Account, Transaction
from ..errors import BadRequest
from ..ids import GuidFactory
from .fields import check_room, flag, owned, text
from .numbers import cents, instant, integer

MAX_GOALS = 100  # per user
GOAL_TYPES = ("SAVE_AMOUNT", "PAYOFF")
PROJECTION_DAYS = 90
TRACKS = {"EMERGENCY_FUND": "EMERGENCY_FUND_TRACK", "RETIREMENT": "RETIREMENT_TRACK"}


@dataclass
class Goal:
    guid: str
    user_guid: str
    account_guid: str
    amount: int  # cents
    goal_type_name: str
    meta_type_name: str
    name: str
    position: int
    has_been_spent: bool = False
    is_complete: bool = False
    completed_at: float | None = None
    targeted_to_complete_at: float | None = None
    metadata: str | None = None

    @property
    def track_type_name(self) -> str:
        if self.goal_type_name == "PAYOFF":
            return "DEBT_TRACK"
        return TRACKS.get(self.meta_type_name.upper(), "SAVINGS_TRACK")


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    current_amount: int  # cents
    projected_to_complete_at: float | None


def progress(goal: Goal, account: Account | None) -> int:
    """Cents towards the goal, from the account's balance now."""
    if account is None:
        return 0
    if goal.goal_type_name == "PAYOFF":
        return min(goal.amount, max(0, goal.amount - account.balance))
    return min(goal.amount, max(0, account.balance))


def net_flow(account: Account, transactions: Iterable[Transaction], since_day: int) -> int:
    """Cents per day towards the goal's kind of progress over the window (positive = progressing)."""
    flow = 0
    for txn in transactions:
        if txn.account_guid == account.guid and txn.day >= since_day:
            flow += txn.amount if txn.type == "CREDIT" else -txn.amount
    return flow  # a CREDIT raises savings and lowers a debt: both progress


class GoalStore:
    def __init__(self, clock: VirtualClock, guids: GuidFactory) -> None:
        self.clock = clock
        self.guids = guids
        self._goals: dict[str, dict[str, Goal]] = {}  # user guid → guid → goal

    def list(self, user_guid: str) -> list[Goal]:
        return sorted(self._goals.get(user_guid, {}).values(), key=lambda g: g.position)

    def get(self, user_guid: str, guid: str) -> Goal:
        return owned(self._goals, user_guid, guid)

    def view(self, goal: Goal, account: Account | None, transactions: Iterable[Transaction]) -> GoalView:
        now = self.clock.now()
        current = progress(goal, account)
        projected = None
        if goal.is_complete or current >= goal.amount:
            projected = goal.completed_at or now
        elif account is not None:
            today = int(now // 86400)
            per_day = net_flow(account, transactions, today - PROJECTION_DAYS) / PROJECTION_DAYS
            if per_day > 0:
                projected = now + (goal.amount - current) / per_day * 86400
        return GoalView(goal, current, projected if projected is None or projected < 7258118400 else None)

    def _values(self, fields: dict[str, Any], account: Callable[[str], Account] | None, creating: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in ("name", "meta_type_name", "metadata"):
            if name in fields:
                values[name] = text(fields, name, required=creating and name != "metadata")
        if creating:
            for name in ("account_guid", "amount", "goal_type_name", "meta_type_name", "name"):
                if fields.get(name) is None:
                    raise BadRequest(f"{name} is required.")
        for name in ("name", "meta_type_name"):
            if name in values and not (values[name] or "").strip():
                raise BadRequest(f"{name} cannot be blank.")
        if fields.get("goal_type_name") is not None:
            if fields["goal_type_name"] not in GOAL_TYPES:
                raise BadRequest("goal_type_name must be SAVE_AMOUNT or PAYOFF.")
            values["goal_type_name"] = fields["goal_type_name"]
        if fields.get("amount") is not None:
            values["amount"] = cents(fields, "amount")
            if values["amount"] == 0:
                raise BadRequest("amount must be greater than 0.")
        if fields.get("account_guid") is not None and account is not None:
            values["account"] = account(str(text(fields, "account_guid")))
        for name in ("has_been_spent", "is_complete"):
            if fields.get(name) is not None:
                values[name] = flag(fields, name)
        for name in ("completed_at", "targeted_to_complete_at"):
            if fields.get(name) is not None:
                values[name] = instant(fields, name)
        position = integer(fields, "position", 1, MAX_GOALS)
        if position is not None:
            values["position"] = position
        return values

    @staticmethod
    def _check_account(goal_type: str, account: Account) -> None:
        if goal_type == "PAYOFF" and not account.is_debt:
            raise BadRequest("A PAYOFF goal needs a debt account (credit card, loan, mortgage or line of credit).")
        if goal_type == "SAVE_AMOUNT" and account.is_debt:
            raise BadRequest("A SAVE_AMOUNT goal needs a deposit or investment account, not a debt account.")

    def create(self, user_guid: str, fields: dict[str, Any], account: Callable[[str], Account]) -> Goal:
        """`account(guid)` reads one of the user's accounts; another's, or none, is a 400."""
        values = self._values(fields, account, creating=True)
        self._check_account(values["goal_type_name"], values["account"])
        mine = self._goals.setdefault(user_guid, {})
        check_room(len(mine), MAX_GOALS, "goals")
        goal = Goal(self.guids.new("GOL"), user_guid, values["account"].guid, values["amount"], values["goal_type_name"],
                    str(values["meta_type_name"]), str(values["name"]), len(mine) + 1)
        self._apply(goal, values)
        mine[goal.guid] = goal
        self._place(user_guid, goal, values.get("position", goal.position))
        return goal

    def update(self, goal: Goal, fields: dict[str, Any], account: Callable[[str], Account],
               current: Account | None) -> Goal:
        values = self._values(fields, account, creating=False)
        target = values.get("account", current)
        if target is not None:
            self._check_account(values.get("goal_type_name", goal.goal_type_name), target)
        if "account" in values:
            goal.account_guid = values["account"].guid
        for name in ("name", "meta_type_name", "goal_type_name", "amount"):
            if name in values:
                setattr(goal, name, values[name])
        self._apply(goal, values)
        if "position" in values:
            self._place(goal.user_guid, goal, values["position"])
        return goal

    def _apply(self, goal: Goal, values: dict[str, Any]) -> None:
        for name in ("metadata", "has_been_spent", "targeted_to_complete_at"):
            if name in values:
                setattr(goal, name, values[name])
        if "is_complete" in values:
            goal.is_complete = values["is_complete"]
            goal.completed_at = values.get("completed_at") or (self.clock.now() if goal.is_complete else None)
        elif "completed_at" in values:
            goal.completed_at = values["completed_at"]

    def _place(self, user_guid: str, goal: Goal, position: int) -> None:
        """Put `goal` at `position` (1-based); the others keep their order around it."""
        others = [g for g in self.list(user_guid) if g.guid != goal.guid]
        others.insert(min(position, len(others) + 1) - 1, goal)
        for index, item in enumerate(others, start=1):
            item.position = index

    def reposition(self, user_guid: str, body: Any) -> list[Goal]:
        """`[{guid, position}, ...]`: every guid must be one of the user's goals; checked before any move."""
        if not isinstance(body, list) or not body:
            raise BadRequest("goals must be a non-empty array of {guid, position}.")
        moves = []
        for entry in body:
            if not isinstance(entry, dict):
                raise BadRequest("Each goal must be an object with guid and position.")
            guid = text(entry, "guid", required=True)
            position = integer(entry, "position", 1, MAX_GOALS)
            if position is None:
                raise BadRequest("position is required.")
            goal = self._goals.get(user_guid, {}).get(str(guid))
            if goal is None:
                raise BadRequest(f"{guid} is not one of the user's goals.")
            moves.append((goal, position))
        if len({goal.guid for goal, _ in moves}) != len(moves):
            raise BadRequest("A goal appears twice.")
        moved = {goal.guid for goal, _ in moves}
        rest = iter([g for g in self.list(user_guid) if g.guid not in moved])
        slots: list[Goal | None] = [None] * len(self._goals.get(user_guid, {}))
        for goal, position in sorted(moves, key=lambda m: m[1]):
            wanted = min(position, len(slots)) - 1
            free = [i for i, slot in enumerate(slots) if slot is None]
            index = next((i for i in free if i >= wanted), free[-1])  # taken: the next free place, else the last
            slots[index] = goal
        for index, goal in enumerate(slot or next(rest) for slot in slots):
            goal.position = index + 1
        return self.list(user_guid)

    def delete(self, goal: Goal) -> None:
        self._goals.get(goal.user_guid, {}).pop(goal.guid, None)
        for index, item in enumerate(self.list(goal.user_guid), start=1):
            item.position = index

    def prune(self, user_guid: str, has_account: Callable[[str], bool]) -> None:
        for goal in [g for g in self.list(user_guid) if not has_account(g.account_guid)]:
            self.delete(goal)

    def drop_user(self, user_guid: str) -> None:
        self._goals.pop(user_guid, None)
