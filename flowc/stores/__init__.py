"""Stores: long-term memory that every run and thread of a graph shares.

* :mod:`flowc.stores.memory`: :class:`~flowc.stores.memory.InMemoryStore`, for tests
  and short-lived processes.
* :mod:`flowc.stores.sqlite`: :class:`~flowc.stores.sqlite.SqliteStore`, one file,
  standard library only, shared by threads and processes.

Each implements :class:`flowc.runtime.store.BaseStore` (LangGraph's ``BaseStore``
contract). Give one to ``compile(store=...)``.
"""

from __future__ import annotations

from .memory import InMemoryStore
from .sqlite import SqliteStore

__all__ = ["InMemoryStore", "SqliteStore"]
