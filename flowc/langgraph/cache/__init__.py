"""``langgraph.cache`` on flowc: node caches (``memory.InMemoryCache``, ``sqlite.SqliteCache``)."""
