"""`mx-sandbox serve`, `mx-sandbox scenarios list|run` and `mx-sandbox snapshot save|load`.

Start-up problems (a bad option or variable, an unreadable or broken file, a taken port) end the
process with one line on stderr naming what to fix, and exit status 2, before "listening" is printed.
"""
from __future__ import annotations

import argparse
import gc
import os
import socket
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

from .config import ConfigError, SandboxConfig
from .serve_options import add_options, resolve

EXIT_CONFIG = 2


class OneLineParser(argparse.ArgumentParser):
    """argparse's errors without the usage block: one line saying what is wrong."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_CONFIG, f"{self.prog}: error: {message} (see --help)\n")


def listen(host: str, port: int) -> socket.socket:
    """Bind before building the app and before saying "listening", so a taken port is one clear line."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as error:
        raise ConfigError(f"cannot listen on {host}:{port}: {getattr(error, 'strerror', None) or error}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as error:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sock


def _config(values: dict[str, Any]) -> SandboxConfig:
    def path(name: str) -> Path | None:
        return Path(values[name]) if values[name] else None

    scenarios = path("scenarios")
    if scenarios is not None and not scenarios.is_dir():
        raise ConfigError(f"--scenarios {scenarios}: not a folder")
    return SandboxConfig(
        host=values["host"], port=values["port"], seed=values["seed"], clock=values["clock"], start=values["start"],
        public_url=values["public_url"], credentials=path("credentials"), institutions=path("institutions"),
        scenarios=scenarios, tenant_idle_seconds=values["tenant_idle_seconds"], max_tenants=values["max_tenants"],
        versioning=values["versioning"], delete_lag_seconds=values["mx_delete_lag"],
        webhook_url=values["webhook_url"], state_dir=path("state_dir"), widget_hint=values["widget_hint"],
    )


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from . import logs
    from .app import build_app

    values = resolve(args, os.environ)
    config = _config(values)
    logs.configure(values["log_format"], values["log_level"], values["access_log"])
    sock = listen(config.host, config.port)
    try:
        config = replace(config, port=sock.getsockname()[1])
        try:
            app = build_app(config)
        except (ValueError, OSError) as error:
            raise ConfigError(str(error)) from None
        _announce(config, values["log_format"], app.state.tenants.fixtures.scripts.problems)
        # What start-up built (modules, catalog, fixtures) lives as long as the process: keep the
        # collector from walking it again on every full collection while requests are served (no
        # collect first: that would add ~25 ms to start-up for a few kB of start-up garbage).
        gc.freeze()
        # After SIGTERM a catch-up in progress answers 503 and in-flight requests get 1 s: exit within 2 s.
        server = uvicorn.Server(uvicorn.Config(app, log_config=None, log_level=values["log_level"], access_log=False,
                                               timeout_graceful_shutdown=1,
                                               http="sandbox.http.wire:MXProtocol"))
        app.state.stopping = lambda: server.should_exit
        server.run(sockets=[sock])
    finally:
        sock.close()
    return 0


def _announce(config: SandboxConfig, log_format: str, problems: list[str]) -> None:
    from .logs import SERVER

    for problem in problems:
        SERVER.warning("scenario behavior skipped: %s", problem)
    line = f"mx-sandbox listening on http://{config.host}:{config.port} (seed {config.seed}, clock {config.clock})"
    if log_format == "json":
        SERVER.info(line)
    else:
        print(line, flush=True)


def version() -> str:
    from .core.store.snapshot import sandbox_version

    found = sandbox_version()
    return "unknown (not installed)" if found == "unknown" else found


class _ShowVersion(argparse.Action):
    """`--version`, looked up only when asked for: reading package metadata costs ~25 ms per start."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="show the version and exit", **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> NoReturn:
        print(f"mx-sandbox {version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="mx-sandbox", description="An offline fake of the MX Platform API.")
    parser.add_argument("--version", action=_ShowVersion)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the fake on an in-memory store",
                           description="Serve the fake. Every option can also be set by its environment variable; a flag wins.")
    add_options(serve)
    serve.set_defaults(func=_serve)
    from .scenarios.commands import add_parser as add_scenarios

    add_scenarios(sub)
    from .snapshot_commands import add_parser as add_snapshot

    add_snapshot(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as error:
        print(f"mx-sandbox: error: {error}", file=sys.stderr)
        return EXIT_CONFIG


if __name__ == "__main__":
    raise SystemExit(main())
