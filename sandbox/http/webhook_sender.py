"""The background sender: POSTs webhooks off the request path and outside every tenant's gate.

Tenants' outboxes (core/webhooks/outbox.py) say when attempts are ready (`notify`); the sender
moves them to one queue served by `concurrency` worker tasks sharing one httpx client. A worker
POSTs without holding any lock, so a slow or dead receiver only ever occupies a worker (for at most
the target's timeout), never an API response or a tenant's gate. The result goes back into the
tenant under its gate; a retry that is already due then (after a clock jump) runs straight away.
Bounded: the queue holds at most one attempt per member lane, so no more than the outboxes hold.
"""
from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING

from ..core.store.recorder import recorded
from ..core.tenant import Tenant
from ..core.tenants import TenantRegistry
from ..core.webhooks.outbox import Outbox, Send

if TYPE_CHECKING:
    import httpx
from .driver import catch_up, gate

DEFAULT_CONCURRENCY = 32
USER_AGENT = "mx-sandbox-webhooks"


def _retry_after(value: str | None) -> float | None:
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds <= 86_400 else None


class WebhookSender:
    def __init__(self, tenants: TenantRegistry, concurrency: int = DEFAULT_CONCURRENCY) -> None:
        self.tenants = tenants
        self.concurrency = concurrency
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[tuple[Tenant, Outbox, Send]] | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._client: httpx.AsyncClient | None = None
        self.sent = 0  # attempts made (for tests and the benchmark)

    def notify(self, tenant: Tenant) -> None:
        """Called by a tenant's outbox (from any thread) when attempts are ready."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._collect, tenant)

    def _collect(self, tenant: Tenant) -> None:
        if self._queue is None:
            return
        outbox = tenant.webhooks.outbox
        for send in outbox.take():
            self._queue.put_nowait((tenant, outbox, send))

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self.tenants.webhook_notify = self.notify
        for tenant in self.tenants.all():
            tenant.webhook_notify = self.notify
            self._collect(tenant)  # what was queued before the sender started
        self._workers = [asyncio.create_task(self._work(), name=f"mx-sandbox webhook sender {n}")
                         for n in range(self.concurrency)]

    async def stop(self) -> None:
        self.tenants.webhook_notify = None
        for task in self._workers:
            task.cancel()
        for task in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._workers = []
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        self._queue = None

    async def _work(self) -> None:
        assert self._queue is not None
        while True:
            tenant, outbox, send = await self._queue.get()
            status, error, latency_ms, retry_after = await self._post(send)
            self.sent += 1
            answer = {"delivery": send.delivery_guid, "number": send.number, "url": send.url, "type": send.type,
                      "status": status, "error": error, "latency_ms": latency_ms, "retry_after": retry_after}
            with recorded(self.tenants.recorder, "webhook", answer):  # the log keeps each answer
                async with gate(tenant):
                    if tenant.webhooks.outbox is not outbox:  # the tenant was reset meanwhile
                        continue
                    outbox.record(send, status, error, latency_ms, retry_after)
                    if tenant.has_due():
                        await catch_up(tenant)

    async def _post(self, send: Send) -> tuple[int | None, str | None, float, float | None]:
        import httpx  # on the first delivery, not at start-up: it is a tenth of a second of it

        if self._client is None:
            self._client = httpx.AsyncClient(trust_env=False, follow_redirects=False,
                                             limits=httpx.Limits(max_connections=self.concurrency),
                                             headers={"User-Agent": USER_AGENT})
        started = time.perf_counter()
        status = error = retry_after = None
        try:
            response = await self._client.post(send.url, json=send.body, auth=send.basic_auth,
                                               timeout=httpx.Timeout(send.timeout_seconds))
            status, retry_after = response.status_code, _retry_after(response.headers.get("retry-after"))
        except httpx.TimeoutException:
            error = "timeout"
        except httpx.ConnectError:
            error = "connection refused"
        except Exception as exc:  # noqa: BLE001 - whatever goes wrong is this attempt's error, not the worker's
            error = f"{type(exc).__name__}: {exc}"[:200]
        return status, error, (time.perf_counter() - started) * 1000, retry_after
