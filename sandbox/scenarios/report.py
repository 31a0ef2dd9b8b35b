"""JUnit XML for CI and a one-file HTML report whose timeline shows each journey at a glance."""
from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
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


def _short(text: str) -> str:
    """`MBR-639d9313-8f09-...` → `MBR-639d9313…` to keep timeline rows readable."""
    return re.sub(r"\b([A-Z]{3,4}-[0-9a-f]{8})-[0-9a-f-]{27}\b", r"\1…", text)


def write_junit(results: list[ScenarioResult], path: Path) -> None:
    suite = ET.Element("testsuite", name="mx-sandbox scenarios", tests=str(len(results)),
                       failures=str(sum(1 for r in results if not r.passed and not r.skipped_reason)),
                       skipped=str(sum(1 for r in results if r.skipped_reason)),
                       time=f"{sum(r.seconds for r in results):.3f}")
    for result in results:
        case = ET.SubElement(suite, "testcase", classname="scenarios", name=result.scenario.name,
                             file=str(result.scenario.path), time=f"{result.seconds:.3f}")
        if result.skipped_reason:
            ET.SubElement(case, "skipped", message=result.skipped_reason)
        elif not result.passed:
            failure = ET.SubElement(case, "failure", message=(result.failure.message if result.failure else "failed"))
            failure.text = failure_text(result)
        if result.events:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(f"{e['at']} {e['kind']:<7} {describe(e)}" for e in result.events)
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)


KIND_COLORS = {"member": "#0b6bcb", "widget": "#7b3fb5", "api": "#666", "webhook": "#b5651d", "microdeposit": "#1b7f3b"}
STYLE = """body{font:14px system-ui,sans-serif;margin:2rem;color:#222}h1{font-size:1.4rem}
.s{border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}.pass{border-left:6px solid #2a8}
.fail{border-left:6px solid #d33}.skip{border-left:6px solid #aaa}table{border-collapse:collapse;width:100%}
td{padding:2px 8px;vertical-align:top;border-bottom:1px solid #f0f0f0}pre{background:#fafafa;padding:.5rem;white-space:pre-wrap}
.k{font-weight:600}.t{white-space:nowrap;color:#555}.steps td:first-child{width:2rem}"""


def _scenario_html(result: ScenarioResult) -> str:
    status = "skip" if result.skipped_reason else ("pass" if result.passed else "fail")
    label = {"skip": "SKIPPED", "pass": "PASSED", "fail": "FAILED"}[status]
    e = html.escape
    parts = [f'<section class="s {status}"><h2>{e(result.scenario.name)} — {label} '
             f'<small>({result.seconds:.2f}s, {e(str(result.scenario.path))})</small></h2>',
             f"<p>{e(result.scenario.description)}</p>"]
    if result.skipped_reason:
        parts.append(f"<p>{e(result.skipped_reason)}</p>")
    if not result.passed and result.failure:
        parts.append(f"<pre>{e(failure_text(result))}</pre>")
    rows = "".join(
        f"<tr><td>{s.index + 1}</td><td>{'✔' if s.ok and not s.skipped else ('·' if s.skipped else '✘')}</td>"
        f"<td class=k>{e(s.name)}</td><td>{e(json.dumps(s.args, default=str)[:200])}</td><td>{e(s.message)}</td></tr>"
        for s in result.steps)
    parts.append(f'<details open><summary>Steps</summary><table class="steps">{rows}</table></details>')
    timeline = "".join(
        f'<tr><td class=t>{e(ev["at"])}</td><td class=k style="color:{KIND_COLORS.get(ev["kind"], "#222")}">{e(ev["kind"])}</td>'
        f"<td>{e(_short(describe(ev)))}{f' <small>×{n}</small>' if n > 1 else ''}</td></tr>"
        for ev, n in collapse(result.events))
    if timeline:
        parts.append(f"<details open><summary>Timeline ({len(result.events)} events)</summary><table>{timeline}</table></details>")
    parts.append("</section>")
    return "".join(parts)


def write_html(results: list[ScenarioResult], path: Path) -> None:
    passed = sum(1 for r in results if r.passed)
    failed = sum(1 for r in results if not r.passed and not r.skipped_reason)
    body = "".join(_scenario_html(r) for r in results)
    path.write_text(f"<!doctype html><html lang=en><meta charset=utf-8><title>mx-sandbox scenarios</title>"
                    f"<style>{STYLE}</style><h1>mx-sandbox scenarios: {passed} passed, {failed} failed</h1>{body}</html>",
                    encoding="utf-8")
