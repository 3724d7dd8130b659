"""Where the store keeps its rows: the `Backend` interface, and `MemoryBackend`, the default.

`Store` (the REST behaviour) only ever talks to a backend through a transaction: `with backend.transaction(
write=True) as records:` yields `Records`, and everything done through it is atomic and isolated from other
transactions, in this process and in any other that shares the backend. Implement these two small protocols to
keep the data in your own database; `SqliteBackend` is a complete example.

Rows are JSON objects (`Row`), found by collection, scope (the path values that are not the id, as one string) and
key (the id's comparable spelling). Each row has a `seq`, increasing in creation order across the backend.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Protocol

from .values import Row


@dataclass
class Record:
    """One stored row: its creation order, id key, data and the fields it holds unique (`unique_by`)."""

    seq: int
    key: str
    data: Row
    unique_by: tuple[str, ...] = ()


class Records(Protocol):
    """The rows as one transaction sees them."""

    def get(self, collection: str, scope: str, key: str) -> Record | None:
        """The row with this key, or None."""
        ...

    def scan(self, collection: str, scope: str | None) -> list[Record]:
        """The rows of a scope (every scope with None), in creation order."""
        ...

    def insert(self, collection: str, scope: str, key: str, data: Row, unique_by: tuple[str, ...] = ()) -> None:
        """Add a row (its key is new: ids are never reissued)."""
        ...

    def replace(self, collection: str, scope: str, key: str, data: Row) -> None:
        """Replace the data of an existing row (its `seq` and `unique_by` stay)."""
        ...

    def delete(self, collection: str, scope: str, key: str) -> None:
        """Remove a row."""
        ...

    def next_id(self, collection: str) -> int:
        """The next integer id of a collection: 1, 2, 3…, never one issued before, even after a restart."""
        ...

    def meta(self, name: str) -> str | None:
        """A stored setting (None if unset)."""
        ...

    def set_meta(self, name: str, value: str) -> None: ...


class Backend(Protocol):
    def transaction(self, *, write: bool) -> AbstractContextManager[Records]:
        """A transaction: committed when the block ends, rolled back (where the backend can) if it raises.

        Write transactions of all processes sharing the backend run one at a time."""
        ...

    def clear(self) -> None:
        """Remove every row, counter and setting."""
        ...

    def close(self) -> None: ...


class MemoryBackend:
    """Rows in this process's memory, one lock around every transaction. The store writes only once it has
    checked everything, so a transaction that raises has changed nothing (there is no rollback)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, dict[str, dict[str, Record]]] = {}
        self._counters: dict[str, int] = {}
        self._meta: dict[str, str] = {}
        self._seq = itertools.count(1)

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Records]:
        with self._lock:
            yield self

    def get(self, collection: str, scope: str, key: str) -> Record | None:
        return self._rows.get(collection, {}).get(scope, {}).get(key)

    def scan(self, collection: str, scope: str | None) -> list[Record]:
        buckets = self._rows.get(collection, {})
        if scope is not None:
            return list(buckets.get(scope, {}).values())
        return sorted((record for bucket in buckets.values() for record in bucket.values()), key=lambda r: r.seq)

    def insert(self, collection: str, scope: str, key: str, data: Row, unique_by: tuple[str, ...] = ()) -> None:
        bucket = self._rows.setdefault(collection, {}).setdefault(scope, {})
        bucket[key] = Record(next(self._seq), key, data, unique_by)

    def replace(self, collection: str, scope: str, key: str, data: Row) -> None:
        self._rows[collection][scope][key].data = data

    def delete(self, collection: str, scope: str, key: str) -> None:
        del self._rows[collection][scope][key]

    def next_id(self, collection: str) -> int:
        value = self._counters.get(collection, 0) + 1
        self._counters[collection] = value
        return value

    def meta(self, name: str) -> str | None:
        return self._meta.get(name)

    def set_meta(self, name: str, value: str) -> None:
        self._meta[name] = value

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
            self._counters.clear()
            self._meta.clear()

    def close(self) -> None:
        pass
