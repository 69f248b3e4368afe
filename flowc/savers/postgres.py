"""The Postgres saver: psycopg 3 with connection pools, for many runs at once.

Every operation takes a connection from a pool for its own transaction and
gives it back: there is no lock of the saver's own, so runs on different
threads (or tasks) proceed in parallel, as many at a time as the pool has
connections. The sync methods use a :class:`psycopg_pool.ConnectionPool`, the
async ones an :class:`psycopg_pool.AsyncConnectionPool`, opened on first use
in the event loop that first uses them. Tables are created on first use
(under an advisory lock, so processes starting together do not race).

Needs the ``postgres`` extra: ``pip install 'flowc[postgres]'``.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import AsyncIterator, Generator, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from psycopg import AsyncConnection, Connection
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from flowc.runtime._sansio import drive_async, drive_sync
from flowc.runtime.checkpoint import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointConfig,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
    check_prune_strategy,
)

from . import _sql
from ._postgres_sql import (
    _SETUP,
)
from ._postgres_steps import (
    Step,
    aanswer,
    answer,
    deleting,
    getting,
    listing,
    putting,
    row_of,
    writing,
)
from ._shared import split_checkpoint, split_writes
from ._sql import SCHEMA_VERSION

__all__ = ["PostgresSaver"]

T = TypeVar("T")


class PostgresSaver(BaseCheckpointSaver):
    """Checkpoints in a Postgres database, through pools of connections.

    Args:
        conninfo: A libpq connection string or URL (``postgresql://user@host/db``).
        max_size: The most connections each pool (sync, async) opens: the most
            operations that run at once.
        min_size: Connections each pool keeps open.
        timeout: Seconds to wait for a connection (the pool's first ones included)
            before :class:`psycopg_pool.PoolTimeout`.
        serde: How values are encoded (default :class:`~flowc.runtime.checkpoint.JsonSerializer`).
    """

    def __init__(
        self,
        conninfo: str,
        *,
        max_size: int = 10,
        min_size: int = 1,
        timeout: float = 30.0,
        serde: SerializerProtocol | None = None,
    ) -> None:
        super().__init__(serde=serde)
        self.conninfo = conninfo
        self.max_size = max_size
        self.min_size = min_size
        self.timeout = timeout
        self._pool: ConnectionPool[Connection[Any]] | None = None
        self._pool_lock = threading.Lock()
        self._apool: AsyncConnectionPool[AsyncConnection[Any]] | None = None
        self._aopen: asyncio.Future[None] | None = None
        self._aloop: asyncio.AbstractEventLoop | None = None

    # pools -------------------------------------------------------------------------------

    def _sync_pool(self) -> ConnectionPool[Connection[Any]]:
        pool = self._pool
        if pool is not None:
            return pool
        with self._pool_lock:
            if self._pool is None:
                pool = ConnectionPool(
                    self.conninfo,
                    min_size=self.min_size,
                    max_size=self.max_size,
                    kwargs={"autocommit": True},
                    timeout=self.timeout,
                    open=False,
                )
                try:
                    pool.open(wait=True, timeout=self.timeout)
                    with pool.connection() as conn, conn.transaction():
                        self._setup(conn)
                except BaseException:
                    pool.close()
                    raise
                self._pool = pool
            return self._pool

    def _setup(self, conn: Connection[Any]) -> None:
        for statement in _SETUP:
            conn.execute(statement)
        found = conn.execute("SELECT max(version) FROM flowc_checkpoint_schema").fetchone()
        _check_schema(found[0] if found else None)
        if found is None or found[0] is None:
            conn.execute("INSERT INTO flowc_checkpoint_schema VALUES (%s)", (SCHEMA_VERSION,))

    async def _async_pool(self) -> AsyncConnectionPool[AsyncConnection[Any]]:
        loop = asyncio.get_running_loop()
        if self._aopen is None:
            pool: AsyncConnectionPool[AsyncConnection[Any]] = AsyncConnectionPool(
                self.conninfo,
                min_size=self.min_size,
                max_size=self.max_size,
                kwargs={"autocommit": True},
                timeout=self.timeout,
                open=False,
            )
            self._apool, self._aloop = pool, loop
            # no await between the check and this assignment: concurrent first calls share it
            self._aopen = asyncio.ensure_future(self._open_async(pool))
        elif self._aloop is not loop:
            raise RuntimeError(
                "this PostgresSaver's async pool belongs to another event loop; make one "
                "saver per event loop (or close it with aclose() first)"
            )
        opening = self._aopen
        try:
            await opening
        except BaseException:
            # a failed start is not kept: the next call tries again (the server may be back)
            if self._aopen is opening:
                failed, self._apool, self._aopen, self._aloop = self._apool, None, None, None
                if failed is not None:
                    await failed.close()
            raise
        assert self._apool is not None
        return self._apool

    async def _open_async(self, pool: AsyncConnectionPool[AsyncConnection[Any]]) -> None:
        await pool.open(wait=True, timeout=self.timeout)
        async with pool.connection() as conn, conn.transaction():
            for statement in _SETUP:
                await conn.execute(statement)
            cur = await conn.execute("SELECT max(version) FROM flowc_checkpoint_schema")
            found = await cur.fetchone()
            _check_schema(found[0] if found else None)
            if found is None or found[0] is None:
                await conn.execute(
                    "INSERT INTO flowc_checkpoint_schema VALUES (%s)", (SCHEMA_VERSION,)
                )

    def setup(self) -> None:
        """Open the sync pool and create the tables now rather than on first use."""
        self._sync_pool()

    def close(self) -> None:
        """Close the sync pool (the async one is closed by :meth:`aclose`)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()

    async def aclose(self) -> None:
        """Close both pools."""
        apool, self._apool, self._aopen, self._aloop = self._apool, None, None, None
        if apool is not None:
            await apool.close()
        await asyncio.to_thread(self.close)

    def __enter__(self) -> PostgresSaver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> PostgresSaver:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _run(self, steps: Generator[Step, Any, T]) -> T:
        """Run an operation's statements in one transaction on the sync pool."""
        with self._sync_pool().connection() as conn, conn.transaction():
            return drive_sync(steps, functools.partial(answer, conn))

    async def _arun(self, steps: Generator[Step, Any, T]) -> T:
        """:meth:`_run` on the async pool."""
        pool = await self._async_pool()
        async with pool.connection() as conn, conn.transaction():
            return await drive_async(steps, functools.partial(aanswer, conn))

    # sync --------------------------------------------------------------------------------

    def get_tuple(self, config: CheckpointConfig) -> CheckpointTuple | None:
        """The checkpoint ``config`` names, or the thread's latest."""
        return self._run(getting(self.serde, config))

    def latest(self, ns: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Each thread's latest checkpoint in namespace ``ns``, without its values.

        ``(thread id, checkpoint id, body)``, by thread id: what ``flowc check
        --against-db`` compares a spec's state schema with.
        """
        with self._sync_pool().connection() as conn, conn.transaction():
            rows = [row_of(found) for found in conn.execute(_sql.latest_query("%s"), (ns,))]
        return _sql.latest_bodies(self.serde, rows)

    def list(
        self,
        config: CheckpointConfig | None,
        *,
        filter: Mapping[str, Any] | None = None,
        before: CheckpointConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        """Checkpoints newest first (see :meth:`BaseCheckpointSaver.list`)."""
        yield from self._run(listing(self.serde, config, filter, before, limit))

    def put(
        self,
        config: CheckpointConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> dict[str, Any]:
        """Store a checkpoint and its new channel values in one transaction; its config."""
        return self._run(
            putting(*split_checkpoint(self.serde, config, checkpoint, metadata, new_versions))
        )

    def put_writes(
        self,
        config: CheckpointConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes in one transaction: special ones replace, normal ones are kept once."""
        self._run(writing(*split_writes(self.serde, config, writes, task_id, task_path)))

    def delete_thread(self, thread_id: str) -> None:
        """Delete a thread's checkpoints, blobs and writes, in every namespace, in one transaction."""
        self._run(deleting(thread_id))

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Delete these runs' checkpoints, their writes and the blobs left unused, in one transaction."""
        with self._sync_pool().connection() as conn, conn.transaction():
            _sql.delete_for_runs(conn.execute, self.serde, run_ids)

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy a thread to another id in one transaction; what the target has is kept."""
        with self._sync_pool().connection() as conn, conn.transaction():
            _sql.copy_thread(conn.execute, source_thread_id, target_thread_id)

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Keep each namespace's newest checkpoint (``keep_latest``), or delete the threads."""
        check_prune_strategy(strategy)
        with self._sync_pool().connection() as conn, conn.transaction():
            for thread_id in thread_ids:
                if strategy == "delete":
                    drive_sync(deleting(thread_id), functools.partial(answer, conn))
                else:
                    _sql.prune_keep_latest(conn.execute, self.serde, thread_id)

    # async -------------------------------------------------------------------------------

    async def aget_tuple(self, config: CheckpointConfig) -> CheckpointTuple | None:
        """Async :meth:`get_tuple`, on the async pool."""
        return await self._arun(getting(self.serde, config))

    async def alist(
        self,
        config: CheckpointConfig | None,
        *,
        filter: Mapping[str, Any] | None = None,
        before: CheckpointConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        """Async :meth:`list`, on the async pool."""
        for item in await self._arun(listing(self.serde, config, filter, before, limit)):
            yield item

    async def aput(
        self,
        config: CheckpointConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> dict[str, Any]:
        """Async :meth:`put`, on the async pool."""
        return await self._arun(
            putting(*split_checkpoint(self.serde, config, checkpoint, metadata, new_versions))
        )

    async def aput_writes(
        self,
        config: CheckpointConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Async :meth:`put_writes`, on the async pool."""
        await self._arun(writing(*split_writes(self.serde, config, writes, task_id, task_path)))

    async def adelete_thread(self, thread_id: str) -> None:
        """Async :meth:`delete_thread`, on the async pool."""
        await self._arun(deleting(thread_id))


def _check_schema(version: int | None) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise RuntimeError(
            f"the checkpoint tables were written by a newer flowc (schema {version}, this one "
            f"knows {SCHEMA_VERSION})"
        )
