"""What both stores do with a batch, written once: each back end says how it reads an item,
searches, lists its namespaces and writes."""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import ClassVar, Generic, TypeVar

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
    namespace_matches,
    split_batch,
)

__all__ = ["BatchedStore", "Writes"]

C = TypeVar("C")
"""What a back end reads and writes through for one batch (a connection, or nothing)."""
V = TypeVar("V")
"""A write as the back end keeps it (the operation, or its value encoded)."""

Writes = dict[tuple[tuple[str, ...], str], V]
"""A batch's writes by (namespace, key), the last one of a key kept."""


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
            return self._get(conn, op)
        if isinstance(op, SearchOp):
            return self._search(conn, op)
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
    def _get(self, conn: C, op: GetOp) -> Item | None: ...

    @abstractmethod
    def _search(self, conn: C, op: SearchOp) -> list[SearchItem]: ...

    @abstractmethod
    def _namespaces(self, conn: C) -> Iterable[tuple[str, ...]]:
        """Every namespace that holds items."""

    @abstractmethod
    def _write(self, conn: C, writes: Writes[V]) -> None: ...
