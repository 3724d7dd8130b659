"""`SqliteBackend`: the store's rows in one SQLite file (WAL mode), shared by every worker process that opens it.

Each thread has its own connection. A write transaction starts with `BEGIN IMMEDIATE`, so writers of all
processes take turns (waiting up to `timeout` seconds for one another) while readers go on reading the last
committed state: a row written by one worker is there for the next request, whichever worker answers it. Integer
ids come from a counter table that only goes up, so no id is issued twice, across restarts too.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .backend import Record, Records
from .values import Row

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS rows (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        collection TEXT NOT NULL,
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        data TEXT NOT NULL,
        unique_by TEXT NOT NULL DEFAULT '[]',
        UNIQUE (collection, scope, key)
    )""",
    "CREATE TABLE IF NOT EXISTS counters (collection TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


class SqliteBackend:
    """Rows in the SQLite file at `path` (created if missing). Durable once a transaction commits, across a
    crash of the server (`synchronous=NORMAL`: a power loss may lose the last commits, never corrupt the file)."""

    def __init__(self, path: str, *, timeout: float = 30.0) -> None:
        self.path = path
        self.timeout = timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        connection = self._connection()
        self._retry_locked(lambda: connection.execute("PRAGMA journal_mode=WAL"))
        with self.transaction(write=True):
            for statement in _SCHEMA:
                connection.execute(statement)

    def _retry_locked(self, action: Callable[[], object]) -> None:
        # Switching to WAL needs a moment without other writers; while workers start together it may be busy.
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                action()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            # Used by this thread only; `close` may come from another one.
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
            self._local.decoded = {}
            with self._guard:
                self._connections.append(connection)
        return connection

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Records]:
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield _SqliteRecords(connection, self._local.decoded)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def clear(self) -> None:
        with self.transaction(write=True) as records:
            assert isinstance(records, _SqliteRecords)
            for table in ("rows", "counters", "meta"):
                records.connection.execute(f"DELETE FROM {table}")
            records.decoded.clear()

    def close(self) -> None:
        with self._guard:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()


Decoded = dict[tuple[str, str], dict[int, tuple[str, Record]]]


class _SqliteRecords:
    def __init__(self, connection: sqlite3.Connection, decoded: Decoded) -> None:
        self.connection = connection
        self.decoded = decoded

    @staticmethod
    def _record(seq: int, key: str, data: str, unique_by: str) -> Record:
        return Record(seq, key, json.loads(data), tuple(json.loads(unique_by)) if unique_by != "[]" else ())

    def get(self, collection: str, scope: str, key: str) -> Record | None:
        found = self.connection.execute(
            "SELECT seq, key, data, unique_by FROM rows WHERE collection = ? AND scope = ? AND key = ?",
            (collection, scope, key),
        ).fetchone()
        return self._record(*found) if found else None

    def scan(self, collection: str, scope: str | None) -> list[Record]:
        if scope is None:
            cursor = self.connection.execute(
                "SELECT seq, key, data, unique_by FROM rows WHERE collection = ? ORDER BY seq", (collection,)
            )
            return [self._record(*found) for found in cursor]
        cursor = self.connection.execute(
            "SELECT seq, key, data, unique_by FROM rows WHERE collection = ? AND scope = ? ORDER BY seq",
            (collection, scope),
        )
        # A list reads every row of its scope; decoding only the rows whose text changed since the last scan
        # makes that several times cheaper. Only the rows of the latest scan are kept.
        before = self.decoded.get((collection, scope), {})
        now: dict[int, tuple[str, Record]] = {}
        for seq, key, data, unique_by in cursor:
            known = before.get(seq)
            now[seq] = (
                known if known is not None and known[0] == data else (data, self._record(seq, key, data, unique_by))
            )
        self.decoded[(collection, scope)] = now
        return [record for _, record in now.values()]

    def insert(self, collection: str, scope: str, key: str, data: Row, unique_by: tuple[str, ...] = ()) -> None:
        self.connection.execute(
            "INSERT INTO rows (collection, scope, key, data, unique_by) VALUES (?, ?, ?, ?, ?)",
            (collection, scope, key, json.dumps(data), json.dumps(list(unique_by))),
        )

    def replace(self, collection: str, scope: str, key: str, data: Row) -> None:
        self.connection.execute(
            "UPDATE rows SET data = ? WHERE collection = ? AND scope = ? AND key = ?",
            (json.dumps(data), collection, scope, key),
        )

    def delete(self, collection: str, scope: str, key: str) -> None:
        self.connection.execute(
            "DELETE FROM rows WHERE collection = ? AND scope = ? AND key = ?", (collection, scope, key)
        )

    def next_id(self, collection: str) -> int:
        self.connection.execute(
            "INSERT INTO counters (collection, value) VALUES (?, 1) "
            "ON CONFLICT (collection) DO UPDATE SET value = value + 1",
            (collection,),
        )
        found = self.connection.execute("SELECT value FROM counters WHERE collection = ?", (collection,)).fetchone()
        return int(found[0])

    def meta(self, name: str) -> str | None:
        found = self.connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(found[0]) if found else None

    def set_meta(self, name: str, value: str) -> None:
        self.connection.execute(
            "INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )
