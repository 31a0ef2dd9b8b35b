"""The `mx-sandbox scenarios` command line, without its imports: `serve` starts faster when the
runner, the report writers and rich are loaded only by the scenario commands themselves."""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def list_command(args: argparse.Namespace) -> int:
    from .cli import list_command as run

    return run(args)


def run_command(args: argparse.Namespace) -> int:
    from .cli import run_command as run

    return run(args)


def schema_command(args: argparse.Namespace) -> int:
    from .loader import SCHEMA

    print(json.dumps(SCHEMA, indent=2))
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("scenarios", help="list or run scenario files")
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="list scenarios and their tags")
    listing.add_argument("paths", nargs="*", help="files, folders or scenario names (default: every shipped one)")
    listing.add_argument("--format", choices=["table", "plain", "json"], default="table",
                         help="table (names never cut), plain (tab-separated) or json")
    listing.set_defaults(func=list_command)
    run = actions.add_parser("run", help="run scenarios against a target")
    run.add_argument("paths", nargs="*", help="files, folders or scenario names (default: every shipped one)")
    run.add_argument("--target", default="sandbox", help="sandbox (start one), a base URL, or int-api")
    run.add_argument("--tag", action="append", default=[], help="only scenarios with this tag (repeatable)")
    run.add_argument("--junit", type=Path, help="write JUnit XML here")
    run.add_argument("--report", type=Path, help="write an HTML report here")
    run.set_defaults(func=run_command)
    schema = actions.add_parser("schema", help="print the scenario files' JSON Schema (for editors)")
    schema.set_defaults(func=schema_command)
