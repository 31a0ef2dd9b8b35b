"""Validate responses against MX's published OpenAPI specs (read from MX_OPENAPI_DIR, never copied)."""
from __future__ import annotations

import copy
import functools
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC_FILES = {"v20250224": "v20250224.yml", "v20111101": "v20111101.yml"}


def spec_dir() -> Path:
    return Path(os.environ.get("MX_OPENAPI_DIR", ROOT.parent / "shared" / "mx-reference" / "openapi"))


def _nullable_to_jsonschema(node: Any) -> Any:
    """OpenAPI 3.0 `nullable: true` → JSON Schema `type: [T, "null"]` (and `null` in enums).

    Objects with declared properties are made closed (`additionalProperties: false`), so a field the
    spec does not list, e.g. a v20250224 field leaking into a v20111101 response, fails validation.
    """
    if isinstance(node, dict):
        out = {k: _nullable_to_jsonschema(v) for k, v in node.items() if k not in ("example", "examples")}
        if "properties" in out and "additionalProperties" not in out and isinstance(out["properties"], dict):
            out["additionalProperties"] = False
        if out.pop("nullable", False):
            if "type" in out:
                out["type"] = [out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
            if "$ref" in out:
                out = {"anyOf": [{"$ref": out.pop("$ref")}, {"type": "null"}], **out}
        return out
    if isinstance(node, list):
        return [_nullable_to_jsonschema(v) for v in node]
    return node


@functools.lru_cache(maxsize=None)
def load_spec(version: str) -> dict[str, Any]:
    path = spec_dir() / SPEC_FILES[version]
    if not path.exists():
        pytest.skip(f"MX OpenAPI spec not found at {path}; set MX_OPENAPI_DIR to validate against it")
    return yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _patch_known_gaps(components: dict[str, Any]) -> dict[str, Any]:
    """Where the spec contradicts itself, follow its other statement (each gap documented in docs/decisions.md).

    - InstitutionResponse.iso_country_code enumerates only US and CA, but the spec's own
      `iso_country_code` filter parameter names MX (Mexico) as a valid code.
    """
    country = components["schemas"]["InstitutionResponse"]["properties"].get("iso_country_code", {})
    if "enum" in country and "MX" not in country["enum"]:
        country["enum"] = [*country["enum"], "MX"]
    _patch_microdeposits(components["schemas"])
    return components


def _patch_microdeposits(schemas: dict[str, Any]) -> None:
    """- MicrodepositResponse.institution_code/_name are non-nullable, but the spec's own description
      (and MX's field docs and samples) say they are null for institutions not in MX's system.
    - MicrodepositResponseBody.micro_deposit has `items` but no `type`, so as written it checks
      nothing. It is read as one object (every MX sample for create/read/verify) or a list of them
      (listUserVerifications, which answers with the same body), each Elements + Response.
    """
    if "MicrodepositResponseBody" not in schemas:
        return
    response = schemas["MicrodepositResponse"]["properties"]
    for name in ("institution_code", "institution_name"):
        response[name] = {**response[name], "nullable": True}
    merged = {"type": "object", "properties": {**schemas["MicrodepositElements"]["properties"], **response}}
    schemas["MicrodepositResponseBody"]["properties"]["micro_deposit"] = {
        "anyOf": [merged, {"type": "array", "items": merged}]}


def _merge_all_of(node: Any, schemas: dict[str, Any]) -> Any:
    """`allOf` of object schemas → one object schema with every member's properties.

    Closing each member (`additionalProperties: false`) would make any instance invalid, since
    each member forbids the others' properties; merged, the object is closed once, over all of them.
    """
    if isinstance(node, list):
        return [_merge_all_of(v, schemas) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _merge_all_of(v, schemas) for k, v in node.items()}
    parts = node.get("allOf")
    if not parts:
        return node
    resolved = [schemas[p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p for p in parts]
    resolved = [_merge_all_of(p, schemas) for p in resolved]
    if not all(isinstance(p, dict) and "properties" in p for p in resolved):
        return node
    merged = {k: v for k, v in node.items() if k != "allOf"}
    merged["type"] = "object"
    merged["properties"] = {k: v for p in resolved for k, v in p["properties"].items()}
    required = sorted({r for p in resolved for r in p.get("required", [])})
    if required:
        merged["required"] = required
    return merged


# Operations whose documented 200 body contradicts the spec's own conventions; see
# docs/decisions.md ("Data"). Read-one endpoints answer `{"transaction": {...}}` like every other
# read in both specs, and create-manual-transaction wraps its record the same way.
SINGLE_TRANSACTION = {"type": "object", "properties": {"transaction": {"$ref": "#/components/schemas/TransactionIncludesResponse"}}}
# Both specs answer listAllBudgets and autoGenerateBudgets with BudgetResponseBody (one `budget`),
# though their own text says the generated budgets "are returned as an array": the sandbox answers
# `budgets` (an array; a list also has `pagination`), as every other MX list.
_BUDGETS = {"type": "array", "items": {"$ref": "#/components/schemas/BudgetResponse"}}
RESPONSE_GAPS = {
    "listAllBudgets": {"type": "object", "properties": {
        "budgets": _BUDGETS, "pagination": {"$ref": "#/components/schemas/PaginationResponse"}}},
    "autoGenerateBudgets": {"type": "object", "properties": {"budgets": _BUDGETS}},
    "readTransaction": SINGLE_TRANSACTION,
    "readTransactionByAccount": SINGLE_TRANSACTION,
    "createManualTransaction": SINGLE_TRANSACTION,
}


@functools.lru_cache(maxsize=None)
def _components(version: str) -> dict[str, Any]:
    components = _patch_known_gaps(copy.deepcopy(load_spec(version)["components"]))
    components["schemas"] = {
        name: _merge_all_of(schema, components["schemas"]) for name, schema in components["schemas"].items()
    }
    return _nullable_to_jsonschema(components)


@functools.lru_cache(maxsize=None)
def _templates(version: str) -> list[tuple[re.Pattern[str], str]]:
    out = []
    for template in load_spec(version)["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(template))
        out.append((re.compile(f"^{pattern}$"), template))
    # Literal segments beat parameters: longest literal text first.
    out.sort(key=lambda item: -len(re.sub(r"\{[^}]+\}", "", item[1])))
    return out


def match_template(version: str, path: str) -> str:
    for pattern, template in _templates(version):
        if pattern.match(path):
            return template
    raise AssertionError(f"{path} matches no path in the {version} spec")


def operation_of(version: str, method: str, template: str) -> dict[str, Any]:
    return load_spec(version)["paths"][template][method.lower()]


def documented_schema(version: str, method: str, template: str, status: int) -> dict[str, Any] | None:
    """The body schema the spec documents for (operation, status); None when it documents no body."""
    operation = operation_of(version, method, template)
    response = operation["responses"].get(str(status))
    assert response is not None, f"{method} {template} documents no {status} response"
    if status == 200 and operation.get("operationId") in RESPONSE_GAPS:
        return RESPONSE_GAPS[operation["operationId"]]
    content = response.get("content") or {}
    if not content:
        return None
    media = next(iter(content.values()))
    return media.get("schema")


def response_schema(version: str, method: str, path: str, status: int) -> dict[str, Any] | None:
    return documented_schema(version, method, match_template(version, path), status)


def validate_body(version: str, schema: dict[str, Any] | None, content: bytes, body: Any) -> None:
    """`body` (the parsed `content`) against `schema` with the closed-object treatment above."""
    if schema is None:
        assert not content, "spec documents no body"
        return
    root = {**_nullable_to_jsonschema(schema), "components": _components(version)}
    jsonschema.Draft7Validator(root).validate(body)


def assert_valid(response, version: str | None = None) -> None:
    """Check an httpx response's JSON against the spec operation it answered."""
    request = response.request
    if version is None:
        version = request.headers.get("accept-version") or (
            "v20111101" if "vnd.mx.api.v1" in request.headers.get("accept", "") else "v20250224"
        )
    schema = response_schema(version, request.method, request.url.path, response.status_code)
    validate_body(version, schema, response.content, response.json() if schema is not None else None)
