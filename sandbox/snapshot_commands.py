"""`mx-sandbox snapshot save|load FILE`: a running sandbox's tenant to a file and back.

Talks to the server over HTTP (`GET`/`PUT /_sandbox/snapshot`) as the tenant's client. httpx is
imported by the commands themselves, so `serve` does not pay for it at start-up.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

DEFAULT_URL = "http://127.0.0.1:8080"


def _client(args: argparse.Namespace):
    import httpx

    from .tls import shared_tls

    return httpx.Client(base_url=args.url.rstrip("/"), auth=(args.client_id, args.api_key), timeout=120, trust_env=False,
                        verify=shared_tls())


def _failed(response) -> int:
    try:
        message = response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = response.text[:200]
    print(f"mx-sandbox: error: {response.status_code}: {message}", file=sys.stderr)
    return 1


def save_command(args: argparse.Namespace) -> int:
    import httpx

    try:
        with _client(args) as http:
            response = http.get("/_sandbox/snapshot")
    except httpx.HTTPError as error:
        print(f"mx-sandbox: error: cannot reach {args.url}: {error}", file=sys.stderr)
        return 1
    if response.status_code != 200:
        return _failed(response)
    args.file.write_bytes(response.content)
    entries = len(response.json()["entries"])
    print(f"saved tenant {args.client_id} ({entries} logged changes) to {args.file}")
    return 0


def load_command(args: argparse.Namespace) -> int:
    import httpx

    try:
        content = args.file.read_bytes()
    except OSError as error:
        print(f"mx-sandbox: error: cannot read {args.file}: {error.strerror or error}", file=sys.stderr)
        return 1
    try:
        with _client(args) as http:
            response = http.put("/_sandbox/snapshot", content=content, headers={"Content-Type": "application/json"})
    except httpx.HTTPError as error:
        print(f"mx-sandbox: error: cannot reach {args.url}: {error}", file=sys.stderr)
        return 1
    if response.status_code != 200:
        return _failed(response)
    out = response.json()["snapshot"]
    print(f"loaded {args.file} into tenant {args.client_id}: {out['entries']} changes replayed, "
          f"{out['diverged']} diverged; clock {out['clock']['now']}")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("snapshot", help="save a tenant of a running sandbox to a file, or load one")
    actions = parser.add_subparsers(dest="action", required=True)
    for name, func, help_text in (("save", save_command, "write the tenant's snapshot to FILE"),
                                  ("load", load_command, "replace the tenant with the snapshot in FILE")):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("file", type=Path, metavar="FILE")
        action.add_argument("--url", default=os.environ.get("MX_SANDBOX_URL", DEFAULT_URL),
                            help=f"the sandbox [default: {DEFAULT_URL}; env MX_SANDBOX_URL]")
        action.add_argument("--client-id", default=os.environ.get("MX_SANDBOX_CLIENT_ID"),
                            required="MX_SANDBOX_CLIENT_ID" not in os.environ,
                            help="the tenant [env MX_SANDBOX_CLIENT_ID]")
        action.add_argument("--api-key", default=os.environ.get("MX_SANDBOX_API_KEY", "sandbox"),
                            help="its api_key (checked only with --credentials) [env MX_SANDBOX_API_KEY]")
        action.set_defaults(func=func)
