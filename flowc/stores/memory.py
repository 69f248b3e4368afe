"""The in-memory store: dicts in this process, for tests and short-lived programs.

Values are copied on the way in and on the way out, so changing a dict after
``put`` (or an item's value after ``get``) never changes what is stored.
Thread-safe: one lock around each batch.
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from flowc.runtime.store import GetOp, IndexConfig, PutOp, SearchOp, refuse_index

from ._batched import BatchedStore, Entry, Found, Writes, page

__all__ = ["InMemoryStore"]

_Entry = tuple[dict[str, Any], datetime, datetime]
"""A stored value with when its key was created and last written."""


class InMemoryStore(BatchedStore[None, PutOp]):
    """A store kept in this process's memory (lost when it exits).

    Search results come in the order their namespaces were first written,
    then their keys; putting a key again keeps its place and its ``created_at``.

    Args:
        index: LangGraph's vector-search settings: refused (flowc's stores have
            no vector search yet).

    Raises:
        NotImplementedError: when ``index`` is given.
    """

    __slots__ = ("_data", "_lock")

    _waits = False  # a batch holds the lock for a few dict operations

    def __init__(self, *, index: IndexConfig | None = None) -> None:
        refuse_index(index, "InMemoryStore")
        self._data: dict[tuple[str, ...], dict[str, _Entry]] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _session(self, *, write: bool) -> Iterator[None]:
        # one lock around each batch: its reads and writes see no other batch's
        with self._lock:
            yield None

    def _prepare(self, op: PutOp) -> PutOp:
        return op

    def _get(self, conn: None, op: GetOp) -> Entry | None:
        entry = self._data.get(tuple(op.namespace), {}).get(op.key)
        if entry is None:
            return None
        value, created, updated = entry
        return copy.deepcopy(value), created, updated

    def _search(self, conn: None, op: SearchOp) -> list[Found]:
        prefix = tuple(op.namespace_prefix)
        n = len(prefix)
        candidates = (
            (namespace, key, entry)
            for namespace, items in self._data.items()
            if namespace[:n] == prefix
            for key, entry in items.items()
        )
        return [
            (namespace, key, copy.deepcopy(value), created, updated)
            for namespace, key, (value, created, updated) in page(candidates, op, lambda c: c[2][0])
        ]

    def _namespaces(self, conn: None) -> Iterable[tuple[str, ...]]:
        return self._data

    def _write(self, conn: None, writes: Writes[PutOp]) -> None:
        now = datetime.now(UTC)
        for (namespace, key), op in writes.items():
            items = self._data.get(namespace)
            if op.value is None:
                if items is not None and items.pop(key, None) is not None and not items:
                    # a namespace is listed only while it holds items
                    del self._data[namespace]
                continue
            value = copy.deepcopy(dict(op.value))
            if items is None:
                items = self._data[namespace] = {}
            known = items.get(key)
            items[key] = (value, now if known is None else known[1], now)
