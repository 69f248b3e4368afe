"""Node caches: where a node with a cache policy keeps what it wrote, by its input.

:class:`InMemoryCache` keeps entries for the life of the process;
:class:`SqliteCache` in an SQLite file, across processes. Both have the
interface of LangGraph's ``BaseCache`` (``get``/``set``/``clear`` and their
async twins, keys ``(namespace, key)``), so a graph takes LangGraph's caches
too. Values are encoded with the checkpoint serializer
(:class:`~flowc.runtime.checkpoint.JsonSerializer` by default): an entry read
back is a copy, and reading a cache file never runs code. A value the
serializer cannot encode is not cached (a warning says which); the run goes on.

Standard library only, like the rest of the runtime.
"""

from __future__ import annotations

import json
import os
import threading
import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from .checkpoint import JsonSerializer, SerializerProtocol

__all__ = ["FullKey", "InMemoryCache", "Namespace", "SqliteCache"]

Namespace = tuple[str, ...]
"""Where a node's entries live: ``("__flowc_writes", the node's function, the node's name)``."""
FullKey = tuple[Namespace, str]
"""A namespace and the hash of an input."""


class _Cache:
    """What both caches share: encoding, expiry, and the async twins."""

    def __init__(self, serde: SerializerProtocol | None) -> None:
        self.serde: SerializerProtocol = serde if serde is not None else JsonSerializer()
        self._lock = threading.Lock()

    def _encode(self, key: FullKey, value: Any) -> tuple[str, bytes] | None:
        try:
            return self.serde.dumps_typed(value)
        except Exception as exc:
            warnings.warn(
                f"node cache: not caching an entry of {key[0][-1]!r}: {exc}",
                RuntimeWarning,
                stacklevel=4,
            )
            return None

    @staticmethod
    def _expiry(ttl: int | float | None) -> float | None:
        return None if ttl is None else time.time() + ttl

    def get(self, keys: Sequence[FullKey]) -> dict[FullKey, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def set(self, pairs: Mapping[FullKey, tuple[Any, int | None]]) -> None:  # pragma: no cover
        raise NotImplementedError

    def clear(self, namespaces: Sequence[Namespace] | None = None) -> None:  # pragma: no cover
        raise NotImplementedError

    async def aget(self, keys: Sequence[FullKey]) -> dict[FullKey, Any]:
        """Async twin of :meth:`get`."""
        return self.get(keys)

    async def aset(self, pairs: Mapping[FullKey, tuple[Any, int | None]]) -> None:
        """Async twin of :meth:`set`."""
        self.set(pairs)

    async def aclear(self, namespaces: Sequence[Namespace] | None = None) -> None:
        """Async twin of :meth:`clear`."""
        self.clear(namespaces)


class InMemoryCache(_Cache):
    """A node cache in this process's memory (LangGraph's ``InMemoryCache``).

    Args:
        serde: how entries are encoded (default: the checkpoint ``JsonSerializer``).
    """

    def __init__(self, *, serde: SerializerProtocol | None = None) -> None:
        super().__init__(serde)
        self._entries: dict[Namespace, dict[str, tuple[tuple[str, bytes], float | None]]] = {}

    def get(self, keys: Sequence[FullKey]) -> dict[FullKey, Any]:
        """The entries of ``keys`` that are there and have not expired."""
        now = time.time()
        found: dict[FullKey, tuple[str, bytes]] = {}
        with self._lock:
            for ns, key in keys:
                entry = self._entries.get(ns, {}).get(key)
                if entry is None:
                    continue
                encoded, expiry = entry
                if expiry is not None and now >= expiry:
                    del self._entries[ns][key]
                    continue
                found[(ns, key)] = encoded
        return {key: self.serde.loads_typed(encoded) for key, encoded in found.items()}

    def set(self, pairs: Mapping[FullKey, tuple[Any, int | None]]) -> None:
        """Store each ``(value, ttl)``: ``ttl`` seconds from now, or for good with ``None``."""
        for (ns, key), (value, ttl) in pairs.items():
            encoded = self._encode((ns, key), value)
            if encoded is None:
                continue
            with self._lock:
                self._entries.setdefault(ns, {})[key] = (encoded, self._expiry(ttl))

    def clear(self, namespaces: Sequence[Namespace] | None = None) -> None:
        """Drop the entries of ``namespaces`` (every entry with ``None``)."""
        with self._lock:
            if namespaces is None:
                self._entries.clear()
            else:
                for ns in namespaces:
                    self._entries.pop(tuple(ns), None)


class SqliteCache(_Cache):
    """A node cache in an SQLite database (kept across processes).

    Args:
        path: the database file (``":memory:"`` for one that lives as long as the object).
        serde: how entries are encoded (default: the checkpoint ``JsonSerializer``).
    """

    def __init__(
        self, path: str | os.PathLike[str] = ":memory:", *, serde: SerializerProtocol | None = None
    ) -> None:
        import sqlite3

        super().__init__(serde)
        self.path = os.fspath(path)
        # one connection, used under the lock: runs on several threads share the cache
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        with self._lock:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS flowc_node_cache ("
                " ns TEXT NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL, value BLOB NOT NULL,"
                " expiry REAL, PRIMARY KEY (ns, key))"
            )

    @staticmethod
    def _ns(ns: Namespace) -> str:
        return json.dumps(list(ns), ensure_ascii=False)

    def get(self, keys: Sequence[FullKey]) -> dict[FullKey, Any]:
        """The entries of ``keys`` that are there and have not expired."""
        now = time.time()
        found: dict[FullKey, tuple[str, bytes]] = {}
        with self._lock:
            for ns, key in keys:
                row = self._conn.execute(
                    "SELECT type, value, expiry FROM flowc_node_cache WHERE ns = ? AND key = ?",
                    (self._ns(ns), key),
                ).fetchone()
                if row is None:
                    continue
                kind, value, expiry = row
                if expiry is not None and now >= expiry:
                    self._conn.execute(
                        "DELETE FROM flowc_node_cache WHERE ns = ? AND key = ?",
                        (self._ns(ns), key),
                    )
                    continue
                found[(ns, key)] = (kind, bytes(value))
        return {key: self.serde.loads_typed(encoded) for key, encoded in found.items()}

    def set(self, pairs: Mapping[FullKey, tuple[Any, int | None]]) -> None:
        """Store each ``(value, ttl)``: ``ttl`` seconds from now, or for good with ``None``."""
        rows = []
        for (ns, key), (value, ttl) in pairs.items():
            encoded = self._encode((ns, key), value)
            if encoded is not None:
                rows.append((self._ns(ns), key, encoded[0], encoded[1], self._expiry(ttl)))
        if not rows:
            return
        with self._lock:
            self._conn.executemany(
                "INSERT OR REPLACE INTO flowc_node_cache (ns, key, type, value, expiry)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def clear(self, namespaces: Sequence[Namespace] | None = None) -> None:
        """Drop the entries of ``namespaces`` (every entry with ``None``)."""
        with self._lock:
            if namespaces is None:
                self._conn.execute("DELETE FROM flowc_node_cache")
            else:
                self._conn.executemany(
                    "DELETE FROM flowc_node_cache WHERE ns = ?",
                    [(self._ns(tuple(ns)),) for ns in namespaces],
                )

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()
