"""`--state-dir`: every acknowledged write survives kill -9, and a restart restores every tenant.

Real servers (subprocesses) on a temporary state dir; the kill is SIGKILL, so nothing gets to flush.
"""
from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from contract_tests.harness import V2025, SandboxProcess

pytestmark = pytest.mark.sandbox_only
HEADERS = V2025
WRITES = 2_000
CLIENTS = 8


def client(server: SandboxProcess, tenant: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, auth=(tenant, "key"), headers=HEADERS, timeout=10)


@dataclass
class Acked:
    """What the server acknowledged, per user: its last acked metadata, members, whether deleted."""

    metadata: dict[str, str] = field(default_factory=dict)
    in_flight: dict[str, str] = field(default_factory=dict)  # a write sent when the kill came
    members: dict[str, str] = field(default_factory=dict)  # member guid → user guid
    deleted: set[str] = field(default_factory=set)
    count: int = 0


def _writer(server: SandboxProcess, tenant: str, n: int, seed: int, budget: list[int], acked: Acked,
            lock: threading.Lock, credentials: list[dict[str, str]]) -> None:
    rng = random.Random(seed * 100 + n)
    mine: list[str] = []
    with client(server, tenant) as http:
        for i in range(WRITES):
            with lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            roll = rng.random()
            try:
                if not mine or roll < 0.3:
                    meta = f"c{n}-{i}"
                    r = http.post("/users", json={"user": {"metadata": meta}})
                    if r.status_code == 200:
                        guid = r.json()["user"]["guid"]
                        with lock:
                            acked.metadata[guid] = meta
                        mine.append(guid)
                elif roll < 0.6:
                    guid, meta = rng.choice(mine), f"u{n}-{i}"
                    with lock:
                        acked.in_flight[guid] = meta
                    r = http.put(f"/users/{guid}", json={"user": {"metadata": meta}})
                    with lock:
                        del acked.in_flight[guid]
                        if r.status_code == 200:
                            acked.metadata[guid] = meta
                elif roll < 0.9:
                    guid = rng.choice(mine)
                    r = http.post(f"/users/{guid}/members",
                                  json={"member": {"institution_code": "mxbank", "credentials": credentials}})
                    if r.status_code in (200, 202):
                        with lock:
                            acked.members[r.json()["member"]["guid"]] = guid
                else:
                    guid = mine.pop(rng.randrange(len(mine)))
                    with lock:
                        acked.in_flight[guid] = "deleted"
                    r = http.delete(f"/users/{guid}")
                    with lock:
                        del acked.in_flight[guid]
                        if r.status_code == 204:
                            acked.deleted.add(guid)
                with lock:
                    acked.count += 1
                assert r.status_code < 500, r.text
            except httpx.TransportError:
                return  # the server was killed


def _credentials(server: SandboxProcess) -> list[dict[str, str]]:
    with client(server, "setup") as http:
        fields = http.get("/institutions/mxbank/credentials").json()["credentials"]
    values = {"LOGIN": "mxuser", "PASSWORD": "password"}
    return [{"guid": f["guid"], "value": values[f["field_name"]]} for f in fields if f["field_name"] in values]


@pytest.mark.parametrize("run", range(5))
def test_kill_9_loses_no_acknowledged_write(tmp_path: Path, run: int) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    kill_after = rng.randrange(200, WRITES)  # acknowledged writes before the kill: a random moment
    tenants = ["kill-a", "kill-b"]  # four clients per tenant: writes race through each tenant's gate
    acked, lock, budget = Acked(), threading.Lock(), [WRITES]
    # Frozen clocks: members are created but never aggregate, so the run measures the log, not the
    # generation of their transactions.
    started = time.perf_counter()
    server = SandboxProcess("--state-dir", str(tmp_path), "--clock", "frozen")
    try:
        creds = _credentials(server)
        threads = [threading.Thread(target=_writer, args=(server, tenants[n % 2], n, seed, budget, acked, lock, creds))
                   for n in range(CLIENTS)]
        for t in threads:
            t.start()
        while True:
            with lock:
                if acked.count >= kill_after or budget[0] <= 0 and all(not t.is_alive() for t in threads):
                    break
            threading.Event().wait(0.001)
        server.proc.kill()  # SIGKILL
        server.proc.wait()
        for t in threads:
            t.join(30)
    finally:
        server.stop()
    wrote = time.perf_counter() - started
    assert acked.count >= min(kill_after, WRITES) * 0.9, f"seed {seed}: only {acked.count} writes acknowledged"

    with SandboxProcess("--state-dir", str(tmp_path), "--clock", "frozen") as again:
        users: dict[str, str] = {}
        members: set[str] = set()
        for tenant in tenants:
            with client(again, tenant) as http:
                mine = {u["guid"]: u["metadata"] for u in _all(http, "/users", "users")}
                users.update(mine)
                owners = {user for member, user in acked.members.items() if user in mine}
                for user in owners:
                    members.update(m["guid"] for m in _all(http, f"/users/{user}/members", "members"))
        problems = []
        for guid, meta in acked.metadata.items():
            flight = acked.in_flight.get(guid)
            if guid in acked.deleted:
                if guid in users:
                    problems.append(f"{guid} was deleted (acknowledged) but is back")
            elif guid not in users:
                if flight != "deleted":
                    problems.append(f"user {guid} lost")
            elif users[guid] not in (meta, flight):
                problems.append(f"{guid}: metadata {users[guid]!r}, acknowledged {meta!r}")
        problems += [f"member {m} lost" for m, user in acked.members.items() if user in users and m not in members]
        print(f"run {run}: {acked.count} acknowledged, writes {wrote:.1f} s, restart {again.startup_seconds:.1f} s")
        assert not problems, f"seed {seed}, {acked.count} acknowledged writes: {problems[:10]}"
        with client(again, tenants[0]) as http:  # and it goes on taking writes
            assert http.post("/users", json={"user": {"metadata": "after"}}).status_code == 200


def _all(http: httpx.Client, path: str, key: str) -> list[dict]:
    found, page = [], 1
    while True:
        r = http.get(path, params={"page": page, "records_per_page": 1000})
        assert r.status_code == 200, r.text
        found += r.json()[key]
        if page >= r.json()["pagination"]["total_pages"]:
            return found
        page += 1
