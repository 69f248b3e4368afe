"""``langgraph.cache.sqlite`` on flowc: :class:`SqliteCache` (LangGraph's is in
``langgraph-checkpoint-sqlite``; flowc's needs only the standard library)."""

from flowc.runtime.caches import SqliteCache

__all__ = ["SqliteCache"]
