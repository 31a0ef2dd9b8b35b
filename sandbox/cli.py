"""`mx-sandbox serve` and `mx-sandbox scenarios list|run`."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from .config import SandboxConfig


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from .app import build_app

    config = SandboxConfig(
        host=args.host,
        port=args.port,
        seed=args.seed,
        clock=args.clock,
        start=args.start,
        public_url=args.public_url,
        credentials=Path(args.credentials) if args.credentials else None,
        institutions=Path(args.institutions) if args.institutions else None,
        scenarios=Path(args.scenarios) if args.scenarios else None,
        tenant_idle_seconds=args.tenant_idle_seconds,
        max_tenants=args.max_tenants,
        versioning=args.versioning,
        delete_lag_seconds=args.mx_delete_lag,
    )
    app = build_app(config)
    print(f"mx-sandbox listening on http://{config.host}:{config.port} (seed {config.seed}, clock {config.clock})", flush=True)
    # After SIGTERM a catch-up in progress answers 503 and in-flight requests get 1 s: exit within 2 s.
    server = uvicorn.Server(uvicorn.Config(app, host=config.host, port=config.port, log_level=args.log_level,
                                           access_log=args.access_log, timeout_graceful_shutdown=1,
                                           http="sandbox.http.wire:MXProtocol"))
    app.state.stopping = lambda: server.should_exit
    server.run()
    return 0


def _policy(text: str) -> str:
    if text not in ("strict", "lenient"):
        raise argparse.ArgumentTypeError(f"{text!r} is not strict or lenient")
    return text


def _delete_lag(text: str) -> float:
    from .core.lifecycle import MAX_DELETE_LAG_SECONDS

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 <= value <= MAX_DELETE_LAG_SECONDS:
        raise argparse.ArgumentTypeError(f"{text!r} is not from 0 to {MAX_DELETE_LAG_SECONDS} seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mx-sandbox", description="An offline fake of the MX Platform API.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the fake on an in-memory store")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--seed", type=int, default=0)
    serve.add_argument("--clock", choices=["real", "frozen"], default="real")
    serve.add_argument("--start", help="ISO 8601 virtual start time for every tenant's clock")
    serve.add_argument("--public-url", help="base URL used in widget and OAuth links")
    serve.add_argument("--credentials", help="YAML file of accepted client_id: api_key pairs")
    serve.add_argument("--institutions", help="institution catalog (default fixtures/institutions.yml)")
    serve.add_argument("--scenarios", help="folder of scenario files whose behavior blocks script members (default scenarios/)")
    serve.add_argument("--tenant-idle-seconds", type=float, default=24 * 3600,
                       help="evict a tenant unused this long (never with --credentials)")
    serve.add_argument("--max-tenants", type=int, default=10_000,
                       help="evict the least recently used tenant past this many (never with --credentials)")
    serve.add_argument("--versioning", type=_policy, metavar="strict|lenient", default=os.environ.get("MX_SANDBOX_VERSIONING", "strict"),
                       help="strict: Accept-Version on every call (MX since 2026-08-12); lenient: none or a vnd Accept selects v20111101")
    serve.add_argument("--mx-delete-lag", type=_delete_lag, metavar="SECONDS", default=os.environ.get("MX_SANDBOX_MX_DELETE_LAG", "0"),
                       help="user-level lists keep a deleted member's data this long, as live MX does (~45); 0 = off")
    serve.add_argument("--log-level", default="warning")
    serve.add_argument("--access-log", action="store_true")
    serve.set_defaults(func=_serve)
    from .scenarios.cli import add_parser as add_scenarios

    add_scenarios(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
