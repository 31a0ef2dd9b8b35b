"""Spec conformance with schemathesis: every operation in implemented_operations.yml, both versions,
positive and negative data; every other spec operation must answer 404 or 405. The counts are
printed in the closing summary. `MX_FUZZ_BUDGET` sets the generated requests shared out over them.
"""
from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from contract_tests.conformance import VERSION_HEADERS, SpecOperation, partition
from contract_tests.harness import Target

schemathesis = pytest.importorskip("schemathesis")
from contract_tests.fuzzing import (  # noqa: E402 - needs schemathesis
    BUDGET, MIN_EXAMPLES, VERSIONS, Caller, fuzz_settings, has_negative_path, load_schema, uses_bearer, verify,
)

pytestmark = pytest.mark.sandbox_only


def _implemented_params() -> list[Any]:
    out = []
    for version in VERSIONS:
        try:
            ops, _ = partition(version)
        except pytest.skip.Exception as absent:  # no spec: one visible skip rather than no test at all
            return [pytest.param(None, marks=pytest.mark.skip(reason=str(absent)))]
        for op in ops:
            out.append(pytest.param(op, id=f"{version}-{op.operation_id}"))
    return out


MODES = ("positive", "negative")
PARAMS = _implemented_params()
EXAMPLES = max(MIN_EXAMPLES, -(-BUDGET // (len(PARAMS) * len(MODES))))  # the budget shared out, rounded up


@pytest.mark.parametrize("op", PARAMS)
def test_operation_conforms(op: SpecOperation, mx_target: Target, record_property) -> None:
    """Generated requests, valid then invalid, never get a 5xx, and every answer is a documented
    success or an MX error. Both modes use one tenant, so its records are made once."""
    operation = load_schema(op.version)[op.template][op.method]
    caller = Caller(mx_target, op.version)
    id_params = op.path_params
    bearer = uses_bearer(op)

    def fuzz(mode: str) -> None:
        @fuzz_settings(EXAMPLES)
        @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)), real_ids=st.booleans())
        def run(case: Any, real_ids: bool) -> None:
            # Random identifiers only ever reach "not found", so about half the cases aim at real records.
            if id_params and real_ids and not has_negative_path(case):
                case.path_parameters.update(caller.real_ids(id_params, op.template))
            try:
                verify(op, case, caller.call(case, bearer), valid_request=mode == "positive")
            except AssertionError as failure:
                raise AssertionError(f"{mode} data: {failure}") from None

        run()

    try:
        for mode in MODES:
            fuzz(mode)
    finally:
        caller.close()
        record_property("mx_fuzz_cases", caller.sent)


@pytest.mark.parametrize("version", VERSIONS)
def test_unimplemented_operations_answer_404_or_405(version: str, mx_target: Target, record_property) -> None:
    """Every listed operation is routed; none is left unlisted (the specs are fully served). Were one
    missing, it must at least be absent (probed with a real user and `mxbank`, so a route added
    without listing it fails here)."""
    implemented_ops, missing = partition(version)
    caller = Caller(mx_target, version)
    try:
        ids = caller.connected()
        present = [f"{op.label} → {r.status_code}" for op in missing if _is_routed(r := _probe(caller, op, ids), op, implemented_ops)]
        assert not present, "answered although not in implemented_operations.yml:\n" + "\n".join(present)
        unrouted = [op.label for op in implemented_ops if _is_unrouted(_probe(caller, op, caller.real_ids(op.path_params)))]
        assert not unrouted, "in implemented_operations.yml but not routed:\n" + "\n".join(unrouted)
    finally:
        caller.close()
    total = len(implemented_ops) + len(missing)
    record_property(
        "mx_operations", f"{version}: {len(implemented_ops)}/{total} operations implemented, {len(missing)} asserted 404/405"
    )
    # Every operation of both specs is served: a spec update that adds one fails here, by name.
    assert not missing, f"{version} operations the sandbox does not serve yet:\n" + "\n".join(op.label for op in missing)


def _fill(op: SpecOperation, records: dict[str, str]) -> str:
    """The path with real records where there are some (`records` by kind or by name), else placeholders."""
    path = op.template
    for name in op.path_params:
        kind = name.rsplit("_", 1)[0]
        value = "mxbank" if kind == "institution" else records.get(name) or records.get(kind) or f"XXX-{name}"
        path = path.replace("{" + name + "}", value)
    return path


def _probe(caller: Caller, op: SpecOperation, ids: dict[str, str]) -> httpx.Response:
    path = _fill(op, ids)
    body = {} if op.method in ("POST", "PUT", "PATCH") else None
    r = caller.http.request(op.method, path, headers=VERSION_HEADERS[op.version], json=body)
    assert r.status_code < 500, f"{op.label} → {r.status_code} {r.text}"
    return r


def _is_unrouted(r: httpx.Response) -> bool:
    return r.status_code == 405 or (r.status_code == 404 and r.json()["error"]["message"] == "Invalid route")


def _is_routed(r: httpx.Response, op: SpecOperation, implemented_ops: list[SpecOperation]) -> bool:
    """Anything but 405 or an "Invalid route" 404, unless the path is another listed operation's
    (`/institutions/favorites` reaches readInstitution and answers "record not found")."""
    if _is_unrouted(r):
        return False
    path = r.request.url.path
    shadowed = any(
        other.method == op.method and re.fullmatch(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(other.template)), path)
        for other in implemented_ops
    )
    return not (shadowed and r.status_code == 404)
