"""What both stores do with a batch, written once: each back end says how it reads an item,
searches, lists its namespaces and writes."""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from flowc.runtime.store import (
    BaseStore,
    GetOp,
    Item,
    ListNamespacesOp,
    Op,
    PutOp,
    Result,
    SearchItem,
    SearchOp,
    matches_filter,
    namespace_matches,
    split_batch,
)

__all__ = ["BatchedStore", "Entry", "Found", "Writes", "page"]

C = TypeVar("C")
"""What a back end reads and writes through for one batch (a connection, or nothing)."""
V = TypeVar("V")
"""A write as the back end keeps it (the operation, or its value encoded)."""

Writes = dict[tuple[tuple[str, ...], str], V]
"""A batch's writes by (namespace, key), the last one of a key kept."""

Entry = tuple[dict[str, Any], datetime | str, datetime | str]
"""A stored value as a back end reads it back: ``(value, created_at, updated_at)``."""

Found = tuple[tuple[str, ...], str, dict[str, Any], datetime | str, datetime | str]
"""An item a search found: ``(namespace, key, value, created_at, updated_at)``."""

R = TypeVar("R")


def page(rows: Iterable[R], op: SearchOp, value_of: Callable[[R], dict[str, Any]]) -> list[R]:
    """The rows whose value (``value_of``) matches ``op``'s filter, from its offset to its limit."""
    kept = [row for row in rows if matches_filter(value_of(row), op.filter)]
    return kept[op.offset : op.offset + op.limit]


class BatchedStore(BaseStore, Generic[C, V]):
    """A store whose batch checks its operations, answers its reads from what the store
    held before it, then makes its writes, all within one :meth:`_session`."""

    __slots__ = ()

    _waits: ClassVar[bool] = True
    """A batch may wait (for a file, a lock another process holds): :meth:`abatch` runs it in
    a worker thread; one that never waits runs in the caller."""

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Run ``ops`` (reads see the store as it was before the batch's writes)."""
        listed, writes = split_batch(ops)
        prepared = {where: self._prepare(op) for where, op in writes.items()}
        with self._session(write=bool(writes)) as conn:
            results = [self._read(conn, op) for op in listed]
            if writes:
                self._write(conn, prepared)
        return results

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """Async twin of :meth:`batch`."""
        if self._waits:
            return await asyncio.to_thread(self.batch, list(ops))
        return self.batch(ops)

    def _read(self, conn: C, op: Op) -> Result:
        if isinstance(op, GetOp):
            entry = self._get(conn, op)
            if entry is None:
                return None
            value, created, updated = entry
            return Item(
                value=value,
                key=op.key,
                namespace=op.namespace,
                created_at=created,
                updated_at=updated,
            )
        if isinstance(op, SearchOp):
            return [SearchItem(*found) for found in self._search(conn, op)]
        if isinstance(op, ListNamespacesOp):
            names: Iterable[tuple[str, ...]] = self._namespaces(conn)
            if op.match_conditions:
                conditions = op.match_conditions
                names = [ns for ns in names if all(namespace_matches(c, ns) for c in conditions)]
            if op.max_depth is not None:
                names = {ns[: op.max_depth] for ns in names}
            return sorted(names)[op.offset : op.offset + op.limit]
        return None

    @abstractmethod
    def _session(self, *, write: bool) -> AbstractContextManager[C]:
        """Hold the store for one batch (``write``: the batch writes)."""

    @abstractmethod
    def _prepare(self, op: PutOp) -> V:
        """A write as :meth:`_write` takes it; raises before anything is written."""

    @abstractmethod
    def _get(self, conn: C, op: GetOp) -> Entry | None:
        """The stored value of ``op``'s key (a copy the caller may change), if any."""

    @abstractmethod
    def _search(self, conn: C, op: SearchOp) -> Iterable[Found]:
        """The items ``op`` finds, in order, filtered and paged (see :func:`page`)."""

    @abstractmethod
    def _namespaces(self, conn: C) -> Iterable[tuple[str, ...]]:
        """Every namespace that holds items."""

    @abstractmethod
    def _write(self, conn: C, writes: Writes[V]) -> None: ...
