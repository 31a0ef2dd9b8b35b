"""`mx-sandbox scenarios list` and `mx-sandbox scenarios run`."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .loader import Scenario, ScenarioError, discover, load
from .report import describe, failure_text, write_html, write_junit
from .runner import ScenarioResult, Target, run_scenario

from ..paths import SCENARIOS_DIR as DEFAULT_DIR
INT_API = "https://int-api.mx.com"


def _load_all(paths: list[Path], console: Console) -> tuple[list[Scenario], list[str]]:
    scenarios, problems = [], []
    for path in discover(paths or [DEFAULT_DIR]):
        try:
            scenarios.append(load(path))
        except ScenarioError as error:
            problems.append(str(error))
            console.print(f"[red]invalid[/red] {error}")
    return scenarios, problems


def list_command(args: argparse.Namespace) -> int:
    console = Console()
    scenarios, problems = _load_all(args.paths, console)
    table = Table("name", "target", "tags", "steps", "description")
    for s in scenarios:
        table.add_row(s.name, s.target, ", ".join(s.tags), str(len(s.steps)), s.description)
    console.print(table)
    return 1 if problems else 0


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
    scenarios, problems = _load_all(args.paths, console)
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
        write_junit(results, args.junit)
    if args.report:
        write_html(results, args.report)
    passed = sum(r.passed for r in results)
    failed = sum(1 for r in results if not r.passed and not r.skipped_reason)
    skipped = sum(1 for r in results if r.skipped_reason)
    console.print(f"{passed} passed, {failed} failed, {skipped} skipped" + (f", {len(problems)} invalid files" if problems else ""))
    return 1 if failed or problems else 0
