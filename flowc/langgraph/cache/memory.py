"""``langgraph.cache.memory`` on flowc: :class:`InMemoryCache`."""

from flowc.runtime.caches import InMemoryCache

__all__ = ["InMemoryCache"]
