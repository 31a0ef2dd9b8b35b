"""Tenants: one per `client_id`, isolated like moto's accounts (own users, members, clock, events)."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from .clock import VirtualClock
from .events import EventLog
from .ids import GuidFactory
from .institutions import Catalog
from .members.scripts import ScriptBook
from .registry import TokenDirectory
from .scheduler import Scheduler
from .users import UserStore

# Default start of a frozen clock: fixed, so frozen runs are reproducible.
FROZEN_EPOCH = 1767268800.0  # 2026-01-01T12:00:00Z


@dataclass(frozen=True)
class TenantSettings:
    seed: int = 0
    clock_mode: str = "real"  # real | frozen
    start: float | None = None  # virtual start; None = wall time (real) or FROZEN_EPOCH (frozen)
    public_url: str = "http://127.0.0.1:8080"


# Components that later modules attach to each tenant (members, widget sessions, data...).
# Each factory receives the tenant and returns an object stored under its name.
_COMPONENTS: dict[str, Callable[["Tenant"], Any]] = {}


def register_component(name: str, factory: Callable[["Tenant"], Any]) -> None:
    _COMPONENTS[name] = factory


class Tenant:
    def __init__(self, client_id: str, catalog: Catalog, settings: TenantSettings,
                 scripts: ScriptBook | None = None, tokens: TokenDirectory | None = None) -> None:
        self.client_id = client_id
        self.catalog = catalog
        self.scripts = scripts or ScriptBook()
        self.settings = settings
        self.tokens = tokens if tokens is not None else TokenDirectory()  # shared by the app's tenants
        self.lock = threading.RLock()
        self._build()

    def _build(self) -> None:
        s = self.settings
        frozen = s.clock_mode == "frozen"

        start = s.start if s.start is not None else (FROZEN_EPOCH if frozen else time.time())
        self.clock = VirtualClock(start, frozen)
        self.guids = GuidFactory(s.seed, self.client_id)
        self.events = EventLog()
        self.scheduler = Scheduler()
        self.users = UserStore(self)
        self.components: dict[str, Any] = {name: make(self) for name, make in _COMPONENTS.items()}

    def component(self, name: str) -> Any:
        return self.components[name]

    def is_empty(self) -> bool:
        """True before the tenant's first user: nothing yet depends on the clock."""
        return not self.users.list()

    def settle(self) -> None:
        """Run every transition due by the tenant's virtual now."""
        self.scheduler.run_due(self.clock.now())

    def reset(self) -> None:
        """Wipe this tenant only: data, events, clock and guid counters."""
        self._build()

    def record(self, kind: str, type_: str, **data: Any) -> None:
        self.events.append(self.clock.now(), kind, type_, **data)


class TenantRegistry:
    def __init__(self, catalog: Catalog, settings: TenantSettings, scripts: ScriptBook | None = None) -> None:
        self.catalog = catalog
        self.settings = settings
        self.scripts = scripts or ScriptBook()
        self._tenants: dict[str, Tenant] = {}
        self._lock = threading.Lock()
        self.tokens = TokenDirectory()

    def get(self, client_id: str) -> Tenant:
        tenant = self._tenants.get(client_id)
        if tenant is None:
            with self._lock:
                tenant = self._tenants.get(client_id)
                if tenant is None:
                    tenant = self._tenants[client_id] = Tenant(
                        client_id, self.catalog, self.settings, self.scripts, self.tokens)
        return tenant

    def owner_of(self, kind: str, token: str) -> Tenant | None:
        """The tenant that minted a browser-facing token, without auth (the token authorises)."""
        client_id = self.tokens.owner(kind, token)
        return self._tenants.get(client_id) if client_id is not None else None

    def all(self) -> list[Tenant]:
        return list(self._tenants.values())
