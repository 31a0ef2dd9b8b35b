"""A one-file HTML report for people: an index first (failures on top, each a link), then one
section per scenario; passing ones start collapsed, and a filter box narrows both by name or tag."""
from __future__ import annotations

import html
import json
from pathlib import Path

from .report_script import FILTER_JS
from .report import collapse, describe, failure_text, short_guids
from .runner import ScenarioResult

KIND_COLORS = {"member": "#0b6bcb", "widget": "#7b3fb5", "api": "#666", "webhook": "#b5651d", "microdeposit": "#1b7f3b"}
STYLE = """body{font:14px system-ui,sans-serif;margin:2rem;color:#222}h1{font-size:1.4rem}
.s{border:1px solid #ddd;border-radius:6px;margin:1rem 0;padding:.5rem 1rem}.pass{border-left:6px solid #2a8}
.fail{border-left:6px solid #d33}.skip{border-left:6px solid #aaa}table{border-collapse:collapse;width:100%}
td,th{padding:2px 8px;vertical-align:top;border-bottom:1px solid #f0f0f0;text-align:left}
pre{background:#fafafa;padding:.5rem;white-space:pre-wrap}.k{font-weight:600}.t{white-space:nowrap;color:#555}
.steps td:first-child{width:2rem}summary h2{display:inline;font-size:1.1rem}.badge{font-weight:700}
.badge.fail{color:#b00}.badge.pass{color:#176}.badge.skip{color:#666}#filter{font:inherit;padding:4px 8px;width:20rem}
[hidden]{display:none}"""
ORDER = {"fail": 0, "skip": 1, "pass": 2}
LABELS = {"skip": "SKIPPED", "pass": "PASSED", "fail": "FAILED"}


def _status(result: ScenarioResult) -> str:
    return "skip" if result.skipped_reason else ("pass" if result.passed else "fail")


def _anchor(index: int) -> str:
    return f"s{index}"


def _key(result: ScenarioResult) -> str:
    return html.escape(" ".join([result.scenario.name, *result.scenario.tags]).lower())


def _index(results: list[tuple[int, ScenarioResult]]) -> str:
    e = html.escape
    rows = []
    for i, r in results:
        status = _status(r)
        why = r.skipped_reason or (r.failure.message if r.failure else "")
        rows.append(f'<tr data-key="{_key(r)}"><td class="badge {status}">{LABELS[status]}</td>'
                    f'<td><a href="#{_anchor(i)}">{e(r.scenario.name)}</a></td><td>{r.seconds:.2f} s</td>'
                    f"<td>{e(', '.join(r.scenario.tags))}</td><td>{e(why[:160])}</td></tr>")
    return ('<table id="index"><thead><tr><th>result</th><th>scenario</th><th>time</th><th>tags</th><th>why</th>'
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _scenario_html(index: int, result: ScenarioResult) -> str:
    status = _status(result)
    e = html.escape
    opened = " open" if status == "fail" else ""
    parts = [f'<section class="s {status}" id="{_anchor(index)}" data-key="{_key(result)}"><details{opened}>'
             f"<summary><h2>{e(result.scenario.name)} — {LABELS[status]}</h2> "
             f"<small>({result.seconds:.2f} s, {e(str(result.scenario.path))})</small></summary>",
             f"<p>{e(result.scenario.description)}</p>"]
    if result.skipped_reason:
        parts.append(f"<p>{e(result.skipped_reason)}</p>")
    if not result.passed and result.failure:
        parts.append(f"<pre>{e(failure_text(result))}</pre>")
    rows = "".join(
        f"<tr><td>{s.index + 1}</td><td>{'✔' if s.ok and not s.skipped else ('·' if s.skipped else '✘')}</td>"
        f"<td class=k>{e(s.name)}</td><td>{e(json.dumps(s.args, default=str)[:200])}</td><td>{e(s.message)}</td></tr>"
        for s in result.steps)
    parts.append(f'<h3>Steps</h3><table class="steps">{rows}</table>')
    timeline = "".join(
        f'<tr><td class=t>{e(ev["at"])}</td><td class=k style="color:{KIND_COLORS.get(ev["kind"], "#222")}">{e(ev["kind"])}</td>'
        f"<td>{e(short_guids(describe(ev)))}{f' <small>×{n}</small>' if n > 1 else ''}</td></tr>"
        for ev, n in collapse(result.events))
    if timeline:
        parts.append(f"<h3>Timeline ({len(result.events)} events)</h3><table>{timeline}</table>")
    parts.append("</details></section>")
    return "".join(parts)


def write_html(results: list[ScenarioResult], path: Path) -> None:
    ordered = sorted(enumerate(results), key=lambda pair: ORDER[_status(pair[1])])  # failures first, stable
    passed = sum(1 for r in results if r.passed)
    failed = sum(1 for r in results if _status(r) == "fail")
    skipped = len(results) - passed - failed
    body = "".join(_scenario_html(i, r) for i, r in ordered)
    path.write_text(
        "<!doctype html><html lang=en><meta charset=utf-8><title>mx-sandbox scenarios</title>"
        f"<style>{STYLE}</style><h1>mx-sandbox scenarios: {passed} passed, {failed} failed, {skipped} skipped</h1>"
        '<p><label for="filter">Filter by name or tag </label>'
        '<input id="filter" type="search" placeholder="e.g. mfa" autocomplete="off"></p>'
        f"{_index(ordered)}{body}<script>{FILTER_JS}</script></html>",
        encoding="utf-8")
