"""Stateful conformance: generated sequences of create → read → update → delete → list on users, with
schemathesis generating every request and a model of what the tenant must hold checking each answer.

Explicit links (the created guid feeds the later calls) rather than schemathesis's inferred ones,
whose adaptive choice makes Hypothesis replays inconsistent.
"""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, multiple, rule, run_state_machine_as_test

from contract_tests.conformance import partition
from contract_tests.harness import Target

pytest.importorskip("schemathesis")
from contract_tests.fuzzing import VERSIONS, Caller, fuzz_settings, load_schema, verify  # noqa: E402

pytestmark = pytest.mark.sandbox_only
SEQUENCES = 25
USER_FIELDS = ("id", "email", "metadata", "is_disabled")


def _sent_fields(case: Any) -> dict[str, Any]:
    user = case.body.get("user") if isinstance(case.body, dict) else None
    return {k: v for k, v in (user or {}).items() if k in USER_FIELDS and v is not None}


def build_machine(version: str, caller: Caller) -> type[RuleBasedStateMachine]:
    schema = load_schema(version)
    ops = {op.operation_id: op for op in partition(version)[0]}
    strategies = {name: schema.find_operation_by_id(name).as_strategy() for name in ops if "User" in name}
    param = "user_identifier" if version == "v20250224" else "user_guid"

    class UserLifecycle(RuleBasedStateMachine):
        users = Bundle("users")

        def __init__(self) -> None:
            super().__init__()
            caller.reset()  # every sequence starts from an empty tenant, so replays are faithful
            self.model: dict[str, dict[str, Any]] = {}

        def send(self, name: str, case: Any, guid: str | None = None) -> Any:
            if guid is not None:
                case.path_parameters[param] = guid
            response = caller.call(case)
            verify(ops[name], case, response, valid_request=True)
            return response

        @rule(target=users, case=strategies["createUser"])
        def create(self, case: Any) -> Any:
            r = self.send("createUser", case)
            if r.status_code != 200:
                return multiple()
            user = r.json()["user"]
            assert {k: user.get(k) for k in _sent_fields(case)} == _sent_fields(case)
            self.model[user["guid"]] = user
            return user["guid"]

        @rule(guid=users, case=strategies["readUser"])
        def read(self, guid: str, case: Any) -> None:
            r = self.send("readUser", case, guid)
            assert r.status_code == (200 if guid in self.model else 404)
            if guid in self.model:
                assert r.json()["user"] == self.model[guid], "read differs from the last write"

        @rule(guid=users, case=strategies["updateUser"])
        def update(self, guid: str, case: Any) -> None:
            r = self.send("updateUser", case, guid)
            if guid not in self.model:
                assert r.status_code == 404
            elif r.status_code == 200:
                user = r.json()["user"]
                assert {k: user.get(k) for k in _sent_fields(case)} == _sent_fields(case)
                self.model[guid] = user
            else:
                assert r.status_code in (400, 409)

        @rule(guid=consumes(users), case=strategies["deleteUser"])
        def delete(self, guid: str, case: Any) -> None:
            r = self.send("deleteUser", case, guid)
            assert r.status_code == (204 if self.model.pop(guid, None) else 404)

        @rule(case=strategies["listUsers"])
        def list_all(self, case: Any) -> None:
            case.query = {"records_per_page": 1000}
            r = self.send("listUsers", case)
            assert {u["guid"]: u for u in r.json()["users"]} == self.model

    return UserLifecycle


@pytest.mark.parametrize("version", VERSIONS)
def test_user_lifecycle_sequences(version: str, mx_target: Target, record_property) -> None:
    """What a read or list returns is exactly what the last create or update answered."""
    caller = Caller(mx_target, version)
    try:
        run_state_machine_as_test(
            build_machine(version, caller), settings=fuzz_settings(SEQUENCES, stateful_step_count=10)
        )
    finally:
        caller.close()
        record_property("mx_fuzz_cases", caller.sent)
