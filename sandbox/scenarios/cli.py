"""`mx-sandbox scenarios list` and `mx-sandbox scenarios run`."""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from .report import describe, failure_text
from .report_html import write_html
from .report_junit import write_junit
from .runner import ScenarioResult, Target, run_scenario
from .selection import Selection, select

INT_API = "https://int-api.mx.com"


def _select(args: list[str], console: Console) -> Selection:
    chosen = select(args)
    for error in chosen.invalid:
        console.print(f"[red]invalid[/red] {error}", highlight=False)
    for problem in chosen.unknown:
        console.print(f"[red]unknown[/red] {problem}", highlight=False)
    return chosen


def list_command(args: argparse.Namespace) -> int:
    console = Console(stderr=args.format != "table")
    chosen = _select(args.paths, console)
    scenarios = chosen.scenarios
    if args.format == "json":
        rows = [{"name": s.name, "path": str(s.path), "target": s.target, "tags": s.tags, "steps": len(s.steps),
                 "description": s.description} for s in scenarios]
        print(json.dumps({"scenarios": rows, "invalid": [str(e) for e in chosen.invalid]}, indent=2))
    elif args.format == "plain":
        for s in scenarios:  # tab-separated, one per line: for grep, cut and shell loops
            print("\t".join([s.name, s.target, ",".join(s.tags), " ".join(s.description.split())]))
    else:
        # Names are what people type: never cut or wrapped, whatever the terminal width.
        width = max((len(s.name) for s in scenarios), default=4)
        table = Table(Column("name", no_wrap=True, min_width=width), "target", "tags", "steps",
                      Column("description", overflow="fold"))
        for s in scenarios:
            table.add_row(s.name, s.target, ", ".join(s.tags), str(len(s.steps)), s.description)
        console.print(table)
    return 1 if chosen.invalid or chosen.unknown else 0


def _print_result(console: Console, result: ScenarioResult) -> None:
    if result.skipped_reason:
        console.print(f"[yellow]SKIP[/yellow] {result.scenario.name}: {result.skipped_reason}")
        return
    mark = "[green]PASS[/green]" if result.passed else "[red]FAIL[/red]"
    console.print(f"{mark} {result.scenario.name} ({len(result.steps)} steps, {result.seconds:.2f}s)")
    if not result.passed:
        console.print(failure_text(result), markup=False, highlight=False)
        console.print("  timeline:")
        for event in [e for e in result.events if e["kind"] != "api"][-25:]:
            console.print(f"    {event['at']} {event['kind']:<7} {describe(event)}", markup=False, highlight=False)


def run_command(args: argparse.Namespace) -> int:
    console = Console()
    chosen = _select(args.paths, console)
    if chosen.unknown:
        return 2
    scenarios = chosen.scenarios
    if args.tag:
        scenarios = [s for s in scenarios if set(args.tag) & set(s.tags)]
    server = None
    if args.target == "sandbox":
        from ..process import SandboxProcess

        server = SandboxProcess()
        target = Target(server.url)
    elif args.target == "int-api":
        client_id, api_key = os.environ.get("MX_CLIENT_ID"), os.environ.get("MX_API_KEY")
        if not (client_id and api_key):
            console.print("[red]--target int-api needs MX_CLIENT_ID and MX_API_KEY[/red]")
            return 2
        target = Target(INT_API, is_sandbox=False, client_id=client_id, api_key=api_key)
    else:
        target = Target(args.target.rstrip("/"))
    results: list[ScenarioResult] = []
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=console, transient=True) as progress:
            task = progress.add_task("scenarios", total=len(scenarios))
            for scenario in scenarios:
                progress.update(task, description=scenario.name)
                result = run_scenario(scenario, target)
                results.append(result)
                progress.console.print()  # keep result lines above the bar
                _print_result(progress.console, result)
                progress.advance(task)
    finally:
        if server:
            server.stop()
    if args.junit:
        write_junit(results, args.junit, invalid=[str(e) for e in chosen.invalid])
    if args.report:
        write_html(results, args.report)
    passed = sum(r.passed for r in results)
    failed = sum(1 for r in results if not r.passed and not r.skipped_reason)
    skipped = sum(1 for r in results if r.skipped_reason)
    console.print(f"{passed} passed, {failed} failed, {skipped} skipped" + (f", {len(chosen.invalid)} invalid files" if chosen.invalid else ""))
    return 1 if failed or chosen.invalid else 0
