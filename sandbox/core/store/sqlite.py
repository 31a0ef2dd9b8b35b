"""`--state-dir`: the logs in one SQLite database in WAL mode (stdlib `sqlite3`).

Each append is one committed INSERT before the answer goes out. `synchronous=NORMAL` in WAL mode
writes the commit to the WAL file (the OS has it) without an fsync, so a killed process loses
nothing it acknowledged; a power cut may lose the last commits (docs/decisions.md). Everything runs
on the event loop's thread under the tenant's gate, so one connection and a lock suffice.
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import orjson

from .base import Entry, Meta, TenantLog

FILE_NAME = "mx-sandbox.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS tenants (client_id TEXT PRIMARY KEY, meta TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS log (
    client_id TEXT NOT NULL, seq INTEGER NOT NULL, entry TEXT NOT NULL, PRIMARY KEY (client_id, seq)
) WITHOUT ROWID;
"""


class SqliteStore:
    durable = True

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / FILE_NAME
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def load(self) -> dict[str, TenantLog]:
        with self._lock:
            logs = {cid: TenantLog(orjson.loads(meta)) for cid, meta in self._db.execute("SELECT client_id, meta FROM tenants")}
            for cid, entry in self._db.execute("SELECT client_id, entry FROM log ORDER BY client_id, seq"):
                if cid in logs:
                    logs[cid].entries.append(orjson.loads(entry))
        return logs

    def get(self, client_id: str) -> TenantLog | None:
        with self._lock:
            row = self._db.execute("SELECT meta FROM tenants WHERE client_id = ?", (client_id,)).fetchone()
            if row is None:
                return None
            entries = [orjson.loads(e) for (e,) in self._db.execute(
                "SELECT entry FROM log WHERE client_id = ? ORDER BY seq", (client_id,))]
        return TenantLog(orjson.loads(row[0]), entries)

    def append(self, client_id: str, seq: int, entry: Entry, meta: Meta | None = None) -> None:
        text = orjson.dumps(entry).decode()
        with self._lock:
            if meta is None:  # the usual case: one autocommitted INSERT
                self._db.execute("INSERT INTO log VALUES (?, ?, ?)", (client_id, seq, text))
                return
            self._write(client_id, TenantLog(meta, []), [(client_id, seq, text)])

    def replace(self, client_id: str, log: TenantLog) -> None:
        rows = [(client_id, n, orjson.dumps(e).decode()) for n, e in enumerate(log.entries, 1)]
        with self._lock:
            self._write(client_id, log, rows)

    def _write(self, client_id: str, log: TenantLog, rows: list[tuple[str, int, str]]) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM log WHERE client_id = ?", (client_id,))
            db.execute("INSERT OR REPLACE INTO tenants VALUES (?, ?)", (client_id, orjson.dumps(log.meta).decode()))
            db.executemany("INSERT INTO log VALUES (?, ?, ?)", rows)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def drop(self, client_id: str) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM log WHERE client_id = ?", (client_id,))
            self._db.execute("DELETE FROM tenants WHERE client_id = ?", (client_id,))
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
