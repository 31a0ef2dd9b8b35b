"""What the reports share: a failure in words, a timeline event in words, polling runs folded.
The writers: report_junit (CI) and report_html (people)."""
from __future__ import annotations

import json
import re
from typing import Any

from .runner import ScenarioResult


def failure_text(result: ScenarioResult) -> str:
    step = result.failure
    if step is None:
        return ""
    lines = [f"step {step.index + 1} ({step.name}, {result.scenario.path}:{step.line}): {step.message}"]
    if step.expected is not None or step.actual is not None:
        lines.append(f"  expected: {json.dumps(step.expected, default=str)[:800]}")
        lines.append(f"  actual:   {json.dumps(step.actual, default=str)[:800]}")
    return "\n".join(lines)


def describe(event: dict[str, Any]) -> str:
    data = event["data"]
    if event["kind"] == "member" and event["type"] == "connection_status":
        return f"{data.get('old')} → {data.get('new')}" + (" (forced)" if data.get("forced") else "")
    if event["kind"] == "api":
        return f"{event['type']} → {data.get('status')}"
    extra = {k: v for k, v in data.items() if k not in ("user_guid", "session_guid")}
    return f"{event['type']} {json.dumps(extra, default=str)[:200] if extra else ''}".strip()


def collapse(events: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """Fold runs of identical API calls (status polling) into one row with a count."""
    out: list[tuple[dict[str, Any], int]] = []
    for event in events:
        if out and event["kind"] == "api" and out[-1][0]["kind"] == "api" and out[-1][0]["type"] == event["type"]:
            out[-1] = (out[-1][0], out[-1][1] + 1)
        else:
            out.append((event, 1))
    return out


def short_guids(text: str) -> str:
    """`MBR-639d9313-8f09-...` → `MBR-639d9313…` to keep timeline rows readable."""
    return re.sub(r"\b([A-Z]{3,4}-[0-9a-f]{8})-[0-9a-f-]{27}\b", r"\1…", text)
