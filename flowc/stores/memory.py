"""The in-memory store: dicts in this process, for tests and short-lived programs.

Values are copied on the way in and on the way out, so changing a dict after
``put`` (or an item's value after ``get``) never changes what is stored.
Thread-safe: one lock around each batch.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flowc.runtime.store import (
    BaseStore,
    GetOp,
    IndexConfig,
    Item,
    ListNamespacesOp,
    Op,
    PutOp,
    Result,
    SearchItem,
    SearchOp,
    matches_filter,
    namespace_matches,
    refuse_index,
    split_batch,
)

__all__ = ["InMemoryStore"]

_Entry = tuple[dict[str, Any], datetime, datetime]
"""A stored value with when its key was created and last written."""


class InMemoryStore(BaseStore):
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

    def __init__(self, *, index: IndexConfig | None = None) -> None:
        refuse_index(index, "InMemoryStore")
        self._data: dict[tuple[str, ...], dict[str, _Entry]] = {}
        self._lock = threading.Lock()

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Run ``ops`` (reads see the store as it was before the batch's writes)."""
        listed, writes = split_batch(ops)
        with self._lock:
            results = [self._read(op) for op in listed]
            if writes:
                self._write(writes)
        return results

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """Async twin of :meth:`batch` (nothing here waits, so it runs in the caller)."""
        return self.batch(ops)

    def _read(self, op: Op) -> Result:
        if isinstance(op, GetOp):
            entry = self._data.get(tuple(op.namespace), {}).get(op.key)
            if entry is None:
                return None
            value, created, updated = entry
            return Item(
                value=copy.deepcopy(value),
                key=op.key,
                namespace=op.namespace,
                created_at=created,
                updated_at=updated,
            )
        if isinstance(op, SearchOp):
            return self._search(op)
        if isinstance(op, ListNamespacesOp):
            return self._namespaces(op)
        return None

    def _search(self, op: SearchOp) -> list[SearchItem]:
        prefix = tuple(op.namespace_prefix)
        n = len(prefix)
        found = [
            (namespace, key, entry)
            for namespace, items in self._data.items()
            if namespace[:n] == prefix
            for key, entry in items.items()
            if matches_filter(entry[0], op.filter)
        ]
        return [
            SearchItem(namespace, key, copy.deepcopy(value), created, updated)
            for namespace, key, (value, created, updated) in found[op.offset : op.offset + op.limit]
        ]

    def _namespaces(self, op: ListNamespacesOp) -> list[tuple[str, ...]]:
        names: Iterable[tuple[str, ...]] = self._data
        if op.match_conditions:
            names = [
                ns for ns in names if all(namespace_matches(c, ns) for c in op.match_conditions)
            ]
        if op.max_depth is not None:
            names = {ns[: op.max_depth] for ns in names}
        return sorted(names)[op.offset : op.offset + op.limit]

    def _write(self, writes: dict[tuple[tuple[str, ...], str], PutOp]) -> None:
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
