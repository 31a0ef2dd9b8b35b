"""Spec conformance with schemathesis: every operation in implemented_operations.yml, both versions,
positive and negative data; every other spec operation must answer 404 or 405. The counts are
printed in the closing summary. `MX_FUZZ_EXAMPLES` sets the cases per operation and mode (default 100).
"""
from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract_tests.conformance import VERSION_HEADERS, SpecOperation, partition
from contract_tests.harness import Target

schemathesis = pytest.importorskip("schemathesis")
from contract_tests.fuzzing import (  # noqa: E402 - needs schemathesis
    EXAMPLES, USER_PARAMS, VERSIONS, Caller, fuzz_settings, has_negative_path, load_schema, verify,
)

pytestmark = pytest.mark.sandbox_only


def _implemented_params() -> list[Any]:
    out = []
    for version in VERSIONS:
        try:
            ops, _ = partition(version)
        except pytest.skip.Exception as absent:  # no spec: one visible skip rather than no test at all
            return [pytest.param(None, None, marks=pytest.mark.skip(reason=str(absent)))]
        for op in ops:
            for mode in ("positive", "negative"):
                out.append(pytest.param(op, mode, id=f"{version}-{op.operation_id}-{mode}"))
    return out


@pytest.mark.parametrize("op, mode", _implemented_params())
def test_operation_conforms(op: SpecOperation, mode: str, mx_target: Target, record_property) -> None:
    """Generated requests never get a 5xx, and every answer is a documented success or an MX error."""
    operation = load_schema(op.version)[op.template][op.method]
    caller = Caller(mx_target, op.version)
    user_param = next((p for p in op.path_params if p in USER_PARAMS), None)

    @fuzz_settings(EXAMPLES)
    @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)), real_user=st.booleans())
    def run(case: Any, real_user: bool) -> None:
        # Random identifiers only ever reach "not found", so about half the cases aim at a real user.
        if user_param and real_user and not has_negative_path(case):
            case.path_parameters[user_param] = caller.new_user()["guid"]
        verify(op, case, caller.call(case), valid_request=mode == "positive")

    try:
        run()
    finally:
        caller.close()
        record_property("mx_fuzz_cases", caller.sent)


@pytest.mark.parametrize("version", VERSIONS)
def test_unimplemented_operations_answer_404_or_405(version: str, mx_target: Target, record_property) -> None:
    """Every spec operation not listed as implemented is absent (probed with a real user and `mxbank`,
    so a route added without listing it fails here), and every listed one is routed."""
    implemented_ops, missing = partition(version)
    caller = Caller(mx_target, version)
    try:
        user = caller.new_user()["guid"]
        present = [f"{op.label} → {status}" for op in missing if (status := _probe(caller, op, user).status_code) not in (404, 405)]
        assert not present, "answered although not in implemented_operations.yml:\n" + "\n".join(present)
        unrouted = [op.label for op in implemented_ops if _is_unrouted(_probe(caller, op, caller.new_user()["guid"]))]
        assert not unrouted, "in implemented_operations.yml but not routed:\n" + "\n".join(unrouted)
    finally:
        caller.close()
    total = len(implemented_ops) + len(missing)
    record_property(
        "mx_operations", f"{version}: {len(implemented_ops)}/{total} operations implemented, {len(missing)} asserted 404/405"
    )


def _probe(caller: Caller, op: SpecOperation, user_guid: str) -> httpx.Response:
    path = op.template
    for name in op.path_params:
        value = user_guid if name in USER_PARAMS else "mxbank" if name.startswith("institution") else f"XXX-{name}"
        path = path.replace("{" + name + "}", value)
    body = {} if op.method in ("POST", "PUT", "PATCH") else None
    r = caller.http.request(op.method, path, headers=VERSION_HEADERS[op.version], json=body)
    assert r.status_code < 500, f"{op.label} → {r.status_code} {r.text}"
    return r


def _is_unrouted(r: httpx.Response) -> bool:
    return r.status_code == 405 or (r.status_code == 404 and r.json()["error"]["message"] == "Invalid route")
