"""``langgraph.store.memory`` on flowc: :class:`InMemoryStore`."""

from __future__ import annotations

from flowc.stores.memory import InMemoryStore

__all__ = ["InMemoryStore"]
