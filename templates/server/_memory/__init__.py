"""The working fake behind the generated `memory.py`: `Store` (the REST behaviour) over a `Backend` (the rows).

`Store()` keeps the rows in memory; `open_store(path)` in a SQLite file that several worker processes can share.
To keep them in your own database, implement `Backend` (see `backend`) and pass `Store(YourBackend())` to
`create_app(store=...)`. The modules: `store` (`Store`), `backend` (`Backend`, `Records`, `MemoryBackend`),
`sqlite` (`SqliteBackend`), `query` (filters, ordering, pages), `synth` (server-set values), `values` (helpers).
"""

from __future__ import annotations

from .backend import Backend, MemoryBackend, Record, Records
from .paging import Paging
from .sqlite import SqliteBackend
from .store import DEFAULT_PAGE_SIZE, Conventions, Store

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "Backend",
    "Conventions",
    "MemoryBackend",
    "Paging",
    "Record",
    "Records",
    "SqliteBackend",
    "Store",
    "open_store",
]


def open_store(db: str | None = None) -> Store:
    """A store in the SQLite file `db` (created if missing, WAL mode), or in memory when `db` is None."""
    return Store(SqliteBackend(db)) if db else Store()
