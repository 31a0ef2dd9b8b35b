"""Spec conformance beyond single responses: which operations the sandbox claims, a fuzzable copy of
each spec for schemathesis, and the one check every generated response goes through.

MX's specs document only success responses, so a 4xx is judged by MX's conventions instead: a known
status with the `{"error": {"message": ...}}` body and the version's media type.
"""
from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contract_tests.harness import V1, V2025
from contract_tests.spec import documented_schema, load_spec, validate_body

IMPLEMENTED_FILE = Path(__file__).with_name("implemented_operations.yml")
VERSION_HEADERS = {"v20250224": V2025, "v20111101": V1}
MEDIA_TYPES = {"v20250224": "application/json", "v20111101": "application/vnd.mx.api.v1+json"}
METHODS = ("get", "post", "put", "patch", "delete")
# 414 and 431: a URL or header block past the documented input limits (docs/decisions.md "Input
# limits"), which the fuzzer's negative mode reaches with enough repeated query parameters.
MX_ERROR_STATUSES = frozenset({400, 401, 403, 404, 405, 406, 409, 413, 414, 415, 422, 431})
# With valid credentials, version headers and a JSON body these mean the server, not the case, is wrong.
WRONG_FOR_VALID_REQUESTS = frozenset({401, 403, 406, 413, 415})
# Success media types some operations document instead of their version's (verifiable credentials).
DOCUMENTED_MEDIA_TYPES = frozenset({"application/vnd.mx.api.v2beta+json"})
# Success statuses MX answers with that its specs do not document, each with MX's reason; no body.
UNDOCUMENTED_SUCCESS = {
    ("listMemberChallenges", 204): "no content when the member is not CHALLENGED (MX's docs)",
}
# The version headers are set by the suite on every request, so schemathesis must not fuzz them.
VERSION_HEADER_NAMES = {"accept", "accept-version"}


@dataclass(frozen=True)
class SpecOperation:
    version: str
    method: str  # upper case
    template: str
    operation_id: str

    @property
    def label(self) -> str:
        return f"{self.version} {self.method} {self.template} ({self.operation_id})"

    @property
    def path_params(self) -> list[str]:
        return [part[1:-1] for part in self.template.split("/") if part.startswith("{")]


@functools.lru_cache(maxsize=None)
def spec_operations(version: str) -> tuple[SpecOperation, ...]:
    paths = load_spec(version)["paths"]
    return tuple(
        SpecOperation(version, method.upper(), template, item[method]["operationId"])
        for template, item in paths.items()
        for method in METHODS
        if method in item
    )


@functools.lru_cache(maxsize=None)
def implemented(version: str) -> frozenset[str]:
    """The operationIds listed for `version`; a name the spec does not know is an error, not a skip."""
    listed = yaml.safe_load(IMPLEMENTED_FILE.read_text()).get(version) or []
    known = {op.operation_id for op in spec_operations(version)}
    unknown = sorted(set(listed) - known)
    assert not unknown, f"{IMPLEMENTED_FILE.name} lists operations {version} does not have: {unknown}"
    assert len(listed) == len(set(listed)), f"{IMPLEMENTED_FILE.name} lists an operation twice for {version}"
    return frozenset(listed)


def partition(version: str) -> tuple[list[SpecOperation], list[SpecOperation]]:
    """(implemented, not implemented) operations of `version`."""
    names = implemented(version)
    ops = spec_operations(version)
    return [op for op in ops if op.operation_id in names], [op for op in ops if op.operation_id not in names]


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not ref:
        return node
    target: Any = spec
    for part in ref.lstrip("#/").split("/"):
        target = target[part]
    return target


def fuzz_spec(version: str) -> dict[str, Any]:
    """A copy of the spec for schemathesis with the version headers removed (the suite sends them).
    Response validation does not use this copy; it goes through `check_response`."""
    spec = copy.deepcopy(load_spec(version))
    for item in spec["paths"].values():
        for method in METHODS:
            operation = item.get(method)
            if not operation:
                continue
            operation["parameters"] = [
                p for p in operation.get("parameters", [])
                if not (_resolve(spec, p).get("in") == "header" and _resolve(spec, p)["name"].lower() in VERSION_HEADER_NAMES)
            ]
    return spec


def documented_media_type(op: SpecOperation, status: int) -> str:
    """The version's media type, unless the spec documents one of DOCUMENTED_MEDIA_TYPES for the answer."""
    content = load_spec(op.version)["paths"][op.template][op.method.lower()]["responses"][str(status)].get("content") or {}
    special = [media for media in content if media in DOCUMENTED_MEDIA_TYPES]
    return special[0] if special else MEDIA_TYPES[op.version]


def check_response(
    op: SpecOperation, status: int, content_type: str, content: bytes, valid_request: bool, version_sent: bool = True
) -> None:
    """No 5xx; a documented 2xx with a body matching the spec; or an MX error with MX's body.

    `valid_request` is True for schemathesis's positive data: such a request cannot deserve an auth,
    version or media-type error. `version_sent` is False when negative data replaced the version
    headers, so an error cannot know which media type the client wanted.
    """
    assert status < 500, f"server error {status}"
    documented = {int(code) for code in load_spec(op.version)["paths"][op.template][op.method.lower()]["responses"]}
    if (op.operation_id, status) in UNDOCUMENTED_SUCCESS:
        assert not content, f"{status} must have no body"
        return
    if 200 <= status < 300:
        assert status in documented, f"{status} is not the documented success status {sorted(documented)}"
        schema = documented_schema(op.version, op.method, op.template, status)
        if schema is not None:
            expected = documented_media_type(op, status)
            assert content_type.split(";")[0].strip() == expected, f"media type {content_type!r}"
        validate_body(op.version, schema, content, json.loads(content) if schema is not None else None)
        return
    assert status in MX_ERROR_STATUSES, f"{status} is not a status MX answers with"
    if valid_request:
        assert status not in WRONG_FOR_VALID_REQUESTS, f"{status} for a request with valid credentials and headers"
    if version_sent:
        assert content_type.split(";")[0].strip() == MEDIA_TYPES[op.version], f"error media type {content_type!r}"
    body = json.loads(content)
    assert isinstance(body, dict) and set(body) == {"error"}, f"not MX's error body: {body!r}"
    message = body["error"].get("message") if isinstance(body["error"], dict) else None
    assert isinstance(message, str) and message, f"not MX's error body: {body!r}"
