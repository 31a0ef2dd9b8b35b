"""Server settings, from the CLI or from code (tests, the pytest plugin)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ConfigError(Exception):
    """A start-up problem the user can fix (an option, a variable, a file, a taken port): one line, exit 2."""


@dataclass(frozen=True)
class SandboxConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    seed: int = 0
    clock: str = "real"  # real | frozen
    start: str | None = None  # ISO 8601 virtual start for every tenant's clock
    public_url: str | None = None  # base of widget and OAuth URLs; defaults to http://host:port
    credentials: Path | None = None  # restrict accepted client_id:api_key pairs
    institutions: Path | None = None  # catalog file; defaults to fixtures/institutions.yml
    scenarios: Path | None = None  # scenario files whose `behavior:` blocks script members; defaults to scenarios/
    tenant_idle_seconds: float = 24 * 3600  # evict a tenant unused this long (not with credentials)
    max_tenants: int = 10_000  # evict the least recently used tenant past this many
    versioning: str = "strict"  # strict | lenient: Accept-Version required, or MX's pre-2026-08-12 rules
    delete_lag_seconds: float = 0  # user-level lists keep a deleted member's data this long (live MX: ~45)
    webhook_url: str | None = None  # every tenant's default webhook receiver (--webhook-url)
    state_dir: Path | None = None  # keep every tenant's log here (SQLite, WAL) and restore it at start

    @property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")
