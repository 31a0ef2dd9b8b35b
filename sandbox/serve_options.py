"""Every `mx-sandbox serve` option, once: its flag, environment variable, default and check.

A flag wins over its variable (`MX_SANDBOX_` + the flag's name), which wins over the default, so
an image or a CI service can be configured by environment and a person can still override it.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from .config import ConfigError
from .core.clock import parse_instant
from .core.lifecycle import MAX_DELETE_LAG_SECONDS

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def port(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"{text!r} is not a port number")
    value = int(text)
    if not 0 <= value <= 65535:
        raise ValueError(f"{value} is not a port (0-65535; 0 picks a free one)")
    return value


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number") from None


def instant(text: str) -> str:
    try:
        parse_instant(text)
    except (ValueError, OverflowError):
        raise ValueError(f"{text!r} is not an ISO 8601 time such as 2026-01-05T09:00:00Z") from None
    return text


def _seconds(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of seconds") from None


def seconds(text: str) -> float:
    value = _seconds(text)
    if not 0 < value < float("inf"):
        raise ValueError(f"{text!r} is not a positive number of seconds")
    return value


def delete_lag(text: str) -> float:
    value = _seconds(text)
    if not 0 <= value <= MAX_DELETE_LAG_SECONDS:
        raise ValueError(f"{text!r} is not from 0 to {MAX_DELETE_LAG_SECONDS} seconds")
    return value


def positive(text: str) -> int:
    value = integer(text)
    if value < 1:
        raise ValueError(f"{value} is not a positive whole number")
    return value


def url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{text!r} is not an http(s):// URL")
    return text


def boolean(text: str) -> bool:
    value = text.strip().lower()
    if value not in _TRUE | _FALSE:
        raise ValueError(f"{text!r} is not one of 1/0, true/false, yes/no, on/off")
    return value in _TRUE


@dataclass(frozen=True)
class Option:
    flag: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str
    choices: tuple[str, ...] | None = None

    @property
    def dest(self) -> str:
        return self.flag[2:].replace("-", "_")

    @property
    def env(self) -> str:
        return "MX_SANDBOX_" + self.dest.upper()

    def check(self, text: str) -> Any:
        value = self.parse(text)
        if self.choices and value not in self.choices:
            raise ValueError(f"{text!r} is not one of {', '.join(self.choices)}")
        return value


OPTIONS = (
    Option("--host", "127.0.0.1", "address to listen on (loopback unless you mean otherwise)"),
    Option("--port", 8080, "port to listen on; 0 picks a free one", port),
    Option("--seed", 0, "same seed → same guids and data", integer),
    Option("--clock", "real", "every tenant's virtual clock follows wall time, or stands still", choices=("real", "frozen")),
    Option("--start", None, "ISO 8601 virtual start of every tenant's clock (none: now; frozen: 2026-01-01T12:00:00Z)", instant),
    Option("--public-url", None, "base URL of widget and OAuth links (none: http://HOST:PORT)", url),
    Option("--credentials", None, "YAML file of accepted client_id: api_key pairs (none: any pair)"),
    Option("--institutions", None, "institution catalog (none: fixtures/institutions.yml)"),
    Option("--scenarios", None, "folder of scenario files whose behavior blocks script members (none: scenarios/)"),
    Option("--tenant-idle-seconds", 86400.0, "evict a tenant unused this long (never with --credentials)", seconds),
    Option("--max-tenants", 10_000, "evict the least recently used tenant past this many (never with --credentials)", positive),
    Option("--versioning", "strict", "strict: Accept-Version on every call (MX since 2026-08-12); lenient: "
           "without it, v20111101 (MX before)", choices=("strict", "lenient")),
    Option("--mx-delete-lag", 0.0, "user-level lists keep a deleted member's data this long, as live MX does "
           "(about 45); 0 = off; at most 3600", delete_lag),
    Option("--webhook-url", None, "POST every tenant's webhooks here (per tenant: PUT /_sandbox/webhooks)", url),
    Option("--state-dir", None, "keep every tenant's state in this folder (SQLite) and restore it at start (none: memory only)"),
    Option("--log-level", "warning", "server log level", choices=LOG_LEVELS),
    Option("--log-format", "text", "text lines, or one JSON object per line", choices=("text", "json")),
    Option("--access-log", False, "log every request: tenant, method, path, status, latency, request id", boolean),
)


def _as_flag_type(option: Option) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return option.parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse


def add_options(parser: argparse.ArgumentParser) -> None:
    """Flags default to "not given" so `resolve` can tell a flag from the environment."""
    for option in OPTIONS:
        shown = "none" if option.default is None else str(option.default).lower()
        help_text = f"{option.help} [default: {shown}; env {option.env}]".replace("%", "%%")
        if isinstance(option.default, bool):
            parser.add_argument(option.flag, action=argparse.BooleanOptionalAction, default=argparse.SUPPRESS, help=help_text)
        else:
            parser.add_argument(option.flag, type=_as_flag_type(option), choices=option.choices,
                                default=argparse.SUPPRESS, help=help_text,
                                metavar=None if option.choices else option.dest.upper())


def resolve(args: argparse.Namespace, environ: Mapping[str, str]) -> dict[str, Any]:
    """Each option's value: the flag if given, else its variable if set, else the default."""
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if hasattr(args, option.dest):
            values[option.dest] = getattr(args, option.dest)
        elif environ.get(option.env, "") != "":  # set but empty (`MX_SANDBOX_PUBLIC_URL=` in compose) is unset
            try:
                values[option.dest] = option.check(environ[option.env])
            except ValueError as error:
                raise ConfigError(f"{option.env}: {error}") from None
        else:
            values[option.dest] = option.default
    return values
