"""The app's tenants by `client_id`, created on first use and evicted when idle (bounded memory).

With `--credentials` the set of tenants is known and nothing is evicted. Otherwise any client_id
makes a tenant, so two limits apply: a tenant unused for `idle_seconds` of host time is dropped,
and past `max_tenants` the least recently used one is. Eviction also forgets the tenant's browser
tokens. Sweeps happen when a new tenant is created, so an idle server does no work.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable

from .tenant import Fixtures, Tenant, TenantSettings
from .tokens import TokenDirectory

DEFAULT_IDLE_SECONDS = 24 * 3600
DEFAULT_MAX_TENANTS = 10_000
SWEEP_EVERY_SECONDS = 10.0


class TenantRegistry:
    def __init__(self, fixtures: Fixtures, settings: TenantSettings, evict: bool = True,
                 idle_seconds: float = DEFAULT_IDLE_SECONDS, max_tenants: int = DEFAULT_MAX_TENANTS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.fixtures = fixtures
        self.settings = settings
        self.evict = evict
        self.idle_seconds = idle_seconds
        self.max_tenants = max_tenants
        self.tokens = TokenDirectory()
        self.waker: Callable[[], None] | None = None  # the time driver's, handed to every tenant
        self.webhook_notify: Callable[[Tenant], None] | None = None  # the webhook sender's, likewise
        self.recorder: Any = None  # the app's persistence (core/store/recorder.py), None in unit tests
        self.evicted = 0
        self._monotonic = monotonic
        self._tenants: OrderedDict[str, Tenant] = OrderedDict()  # least recently used first
        self._lock = threading.Lock()
        self._last_sweep = monotonic()

    @property
    def catalog(self):
        return self.fixtures.catalog

    def get(self, client_id: str) -> Tenant:
        now = self._monotonic()
        tenant = self._tenants.get(client_id)
        if tenant is None:
            with self._lock:
                tenant = self._tenants.get(client_id)
                if tenant is None:
                    tenant = self._tenants[client_id] = Tenant(
                        client_id, self.fixtures, self.settings, self.tokens, self.waker,
                        webhook_notify=self.webhook_notify)
                    self._sweep(now)
        tenant.last_used = now
        self._tenants.move_to_end(client_id)
        return tenant

    def _sweep(self, now: float) -> None:
        if not self.evict:
            return
        while len(self._tenants) > self.max_tenants:
            self._drop(next(iter(self._tenants)))
        if now - self._last_sweep < SWEEP_EVERY_SECONDS:
            return
        self._last_sweep = now
        for client_id, tenant in list(self._tenants.items()):
            if now - tenant.last_used <= self.idle_seconds:
                break  # ordered by last use: the rest are fresher
            self._drop(client_id)

    def _drop(self, client_id: str) -> None:
        self._tenants.pop(client_id, None)
        self.tokens.forget_owner(client_id)
        self.evicted += 1
        if self.recorder is not None:  # an evicted tenant starts afresh: so does its log
            self.recorder.forget(client_id)

    def owner_of(self, kind: str, token: str) -> Tenant | None:
        """The tenant that minted a browser-facing token, without auth (the token authorises)."""
        client_id = self.tokens.owner(kind, token)
        return self._tenants.get(client_id) if client_id is not None else None

    def all(self) -> list[Tenant]:
        return list(self._tenants.values())

    def __len__(self) -> int:
        return len(self._tenants)

    def gauges(self) -> dict[str, int]:
        totals: dict[str, int] = {"tenants": len(self._tenants), "tenants_evicted": self.evicted,
                                  "tokens": len(self.tokens)}
        for tenant in self.all():
            for name, value in tenant.gauges().items():
                totals[name] = totals.get(name, 0) + value
        return totals
