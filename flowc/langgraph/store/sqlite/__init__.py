"""``langgraph.store.sqlite`` on flowc: :class:`SqliteStore` (a path, or ``from_conn_string``)."""

from __future__ import annotations

from flowc.stores.sqlite import SqliteStore

__all__ = ["SqliteStore"]
