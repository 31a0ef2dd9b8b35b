"""Time that moves by itself, and the per-tenant gate every request and the driver go through.

- `gate(tenant)`: one asyncio lock per tenant. Requests and the driver hold it while they settle
  and change the tenant, so nothing interleaves with a half-applied transition. On release it
  commits the current capture to the tenant's log (core/store/recorder.py) before the answer goes
  out; a replay that already holds the gate (`holding`) passes through it.
- `catch_up(tenant)`: run what is due in slices of `SETTLE_SLICE_SECONDS`, yielding to the event
  loop between slices, so a long catch-up in one tenant never stalls the others.
- `TimeDriver`: with the real clock, sleeps until the earliest due instant across tenants (woken
  when something earlier is scheduled) and settles the tenants that are due. With nothing
  scheduled it waits on an event: an idle server uses no CPU. Frozen clocks are left alone: they
  move, and settle, only through requests.
"""
from __future__ import annotations

import asyncio
import contextlib
import weakref
from contextvars import ContextVar
from typing import Any, Callable, Iterator

from ..core.errors import MXError
from ..core.store.recorder import CAPTURE, recorded
from ..core.tenant import SETTLE_SLICE_SECONDS, Tenant
from ..core.tenants import TenantRegistry

_gates: "weakref.WeakKeyDictionary[Tenant, asyncio.Lock]" = weakref.WeakKeyDictionary()


_held: ContextVar[Tenant | None] = ContextVar("mx_sandbox_held_gate", default=None)


class Gate:
    """`async with gate(tenant)`: the tenant's lock, and the write-ahead point of its log."""

    __slots__ = ("tenant", "lock", "nested")

    def __init__(self, tenant: Tenant, lock: asyncio.Lock) -> None:
        self.tenant, self.lock, self.nested = tenant, lock, False

    async def __aenter__(self) -> None:
        self.nested = _held.get() is self.tenant
        if self.nested:
            return
        await self.lock.acquire()
        capture = CAPTURE.get()
        if capture is not None:
            try:
                capture.enter(self.tenant)
            except BaseException:
                self.lock.release()
                raise

    async def __aexit__(self, *exc: Any) -> None:
        if self.nested:
            return
        try:
            capture = CAPTURE.get()
            if capture is not None:
                capture.exit(self.tenant)
        finally:
            self.lock.release()


def gate(tenant: Tenant) -> Gate:
    lock = _gates.get(tenant)
    if lock is None:
        lock = _gates[tenant] = asyncio.Lock()
    return Gate(tenant, lock)


@contextlib.contextmanager
def holding(tenant: Tenant) -> Iterator[None]:
    """Inside `async with gate(tenant)`: let replayed requests through the gate this task holds."""
    token = _held.set(tenant)
    try:
        yield
    finally:
        _held.reset(token)


class ShuttingDown(MXError):
    """SIGTERM arrived mid catch-up: answer rather than hold the shutdown (the process is going)."""

    status = 503


async def catch_up(tenant: Tenant, stopping: Callable[[], bool] | None = None) -> None:
    """Settle `tenant` fully, a slice at a time. The caller holds `gate(tenant)`."""
    if not tenant.has_due():  # the usual case: one look at the scheduler's head
        return
    while not tenant.settle(SETTLE_SLICE_SECONDS):
        if stopping is not None and stopping():
            raise ShuttingDown("The sandbox is shutting down.")
        await asyncio.sleep(0)


class TimeDriver:
    def __init__(self, tenants: TenantRegistry) -> None:
        self.tenants = tenants
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self.rounds = 0  # how many times it woke and settled (for tests of idleness)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        """Called (from any thread) when something was scheduled earlier than before."""
        if self._loop is not None and self._wake is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self.tenants.waker = self.wake
        for tenant in self.tenants.all():
            tenant.waker = tenant.scheduler.waker = self.wake
        self._task = asyncio.create_task(self._run(), name="mx-sandbox time driver")

    async def stop(self) -> None:
        self.tenants.waker = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _next_delay(self) -> float | None:
        """Host seconds until the earliest due transition of a running clock; None if nothing is."""
        delays = []
        for tenant in self.tenants.all():
            if tenant.clock.frozen:
                continue
            due = tenant.scheduler.next_due()
            if due is not None:
                delays.append(due - tenant.clock.now())
        return max(0.0, min(delays)) if delays else None

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            self._wake.clear()
            delay = self._next_delay()
            if delay is None:
                await self._wake.wait()
            elif delay > 0:  # a little late rather than early: timers may fire a hair before `delay`
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay + 0.002)
            self.rounds += 1
            for tenant in self.tenants.all():
                if not tenant.clock.frozen and tenant.has_due():
                    with recorded(self.tenants.recorder, "settle", {}):
                        async with gate(tenant):
                            await catch_up(tenant)
