"""The scheduler and the time driver, without sockets: due order, cancellation, slices, waking, idling."""
from __future__ import annotations

import asyncio

from sandbox.core.institutions import Catalog
from sandbox.core.scheduler import Scheduler
from sandbox.core.tenant import Fixtures, TenantSettings
from sandbox.core.tenants import TenantRegistry
from sandbox.http.driver import TimeDriver, catch_up, gate

FIXTURES = Fixtures(Catalog.load())


def test_entries_run_in_due_order_and_never_early():
    scheduler, ran = Scheduler(), []
    for due in (30.0, 10.0, 20.0):
        scheduler.at(due, lambda at: ran.append(at))
    scheduler.run_due(15.0)
    assert ran == [10.0]
    scheduler.run_due(30.0)
    assert ran == [10.0, 20.0, 30.0]


def test_cancel_by_key_and_actions_that_schedule_more():
    scheduler, ran = Scheduler(), []
    scheduler.at(5.0, lambda at: ran.append("cancelled"), key="job:1")
    scheduler.at(5.0, lambda at: scheduler.at(at + 1, lambda later: ran.append(later)))
    scheduler.cancel("job:1")
    scheduler.run_due(10.0)
    assert ran == [6.0]  # the follow-up fell due within the same run; the cancelled entry never ran
    assert scheduler.next_due() is None


def test_a_budget_runs_one_slice_at_a_time():
    scheduler, ran = Scheduler(), []
    for due in range(5):
        scheduler.at(float(due), ran.append)
    assert scheduler.run_due(10.0, budget_seconds=0.0) is False
    assert ran == [0.0]
    while not scheduler.run_due(10.0, budget_seconds=0.0):
        pass
    assert ran == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_the_waker_hears_only_of_a_new_earliest_entry():
    scheduler, woken = Scheduler(), []
    scheduler.waker = lambda: woken.append(True)
    scheduler.at(100.0, print)
    scheduler.at(200.0, print)  # later than what is already due first: the driver's sleep still holds
    scheduler.at(50.0, print)
    assert len(woken) == 2


def test_the_driver_runs_due_transitions_with_no_request_and_stops_cleanly():
    async def scenario() -> tuple[list[float], int]:
        tenants = TenantRegistry(FIXTURES, TenantSettings(clock_mode="real"))
        driver = TimeDriver(tenants)
        driver.start()
        tenant = tenants.get("t")
        ran: list[float] = []
        tenant.scheduler.at(tenant.clock.now() + 0.2, ran.append)  # wakes the sleeping driver
        await asyncio.sleep(0.5)
        rounds = driver.rounds
        await driver.stop()
        return ran, rounds

    ran, rounds = asyncio.run(scenario())
    assert len(ran) == 1
    assert rounds <= 3  # it slept until the due instant instead of spinning


def test_an_idle_driver_does_not_wake_and_frozen_clocks_are_left_to_requests():
    async def scenario() -> tuple[int, list[float]]:
        tenants = TenantRegistry(FIXTURES, TenantSettings(clock_mode="frozen"))
        driver = TimeDriver(tenants)
        driver.start()
        await asyncio.sleep(0.2)
        tenant = tenants.get("t")
        ran: list[float] = []
        tenant.scheduler.at(tenant.clock.now(), ran.append)  # due now, but the clock is frozen
        await asyncio.sleep(0.2)
        untouched = list(ran)
        async with gate(tenant):  # what a request does
            await catch_up(tenant)
        rounds = driver.rounds
        await driver.stop()
        return rounds, untouched + ran

    rounds, ran = asyncio.run(scenario())
    assert rounds <= 1 and len(ran) == 1  # one wake for the new entry; the request ran it
