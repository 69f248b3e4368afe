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
import threading
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any

from psycopg import AsyncConnection, Connection
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from flowc.runtime.checkpoint import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointConfig,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
    check_prune_strategy,
    metadata_matches,
    thread_of,
)

from . import _sql
from ._postgres_sql import (
    _DELETES,
    _GET_BLOBS,
    _GET_LATEST,
    _GET_MANY_BLOBS,
    _GET_MANY_WRITES,
    _GET_ONE,
    _GET_WRITES,
    _INSERT_WRITE,
    _PUT_BLOB,
    _PUT_CHECKPOINT,
    _SETUP,
    _UPSERT_WRITE,
)
from ._shared import (
    CheckpointRow,
    WriteRow,
    assemble,
    assemble_many,
    decode_body,
    metadata_of,
    split_checkpoint,
    split_writes,
    versions_of,
)
from ._sql import SCHEMA_VERSION

__all__ = ["PostgresSaver"]


def _row(found: Sequence[Any]) -> CheckpointRow:
    return CheckpointRow(
        found[0],
        found[1],
        found[2],
        found[3],
        found[4],
        bytes(found[5]),
        found[6],
        bytes(found[7]),
    )


def _write_args(where: tuple[str, str, str], w: WriteRow) -> tuple[Any, ...]:
    return (*where, w.task_id, w.idx, w.channel, w.type, w.data, w.task_path)


def _stored_config(row: CheckpointRow) -> dict[str, Any]:
    return {
        "configurable": {
            "thread_id": row.thread_id,
            "checkpoint_ns": row.checkpoint_ns,
            "checkpoint_id": row.checkpoint_id,
        }
    }


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

    # sync --------------------------------------------------------------------------------

    def get_tuple(self, config: CheckpointConfig) -> CheckpointTuple | None:
        """The checkpoint ``config`` names, or the thread's latest."""
        thread_id, ns, checkpoint_id = thread_of(config)
        with self._sync_pool().connection() as conn, conn.transaction():
            if checkpoint_id is None:
                found = conn.execute(_GET_LATEST, (thread_id, ns)).fetchone()
            else:
                found = conn.execute(_GET_ONE, (thread_id, ns, checkpoint_id)).fetchone()
            if found is None:
                return None
            return self._load(conn, _row(found))

    def latest(self, ns: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Each thread's latest checkpoint in namespace ``ns``, without its values.

        ``(thread id, checkpoint id, body)``, by thread id: what ``flowc check
        --against-db`` compares a spec's state schema with.
        """
        with self._sync_pool().connection() as conn, conn.transaction():
            rows = [_row(found) for found in conn.execute(_sql.latest_query("%s"), (ns,))]
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
        query, args = _sql.list_query(config, before, limit, bool(filter), "%s")
        with self._sync_pool().connection() as conn, conn.transaction():
            found = _matching(self.serde, conn.execute(query, args).fetchall(), filter, limit)
            blobs: dict[tuple[str, str], list[Any]] = {}
            writes: dict[tuple[str, str], list[Any]] = {}
            for (thread_id, ns), (pairs, ids) in _wanted(self.serde, found).items():
                channels, versions = [p[0] for p in pairs], [p[1] for p in pairs]
                blobs[(thread_id, ns)] = conn.execute(
                    _GET_MANY_BLOBS, (thread_id, ns, channels, versions)
                ).fetchall()
                writes[(thread_id, ns)] = conn.execute(
                    _GET_MANY_WRITES, (thread_id, ns, ids)
                ).fetchall()
        yield from _assemble_fetched(self.serde, found, blobs, writes)

    def put(
        self,
        config: CheckpointConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> dict[str, Any]:
        """Store a checkpoint and its new channel values in one transaction; its config."""
        row, blobs = split_checkpoint(self.serde, config, checkpoint, metadata, new_versions)
        with self._sync_pool().connection() as conn, conn.transaction():
            with conn.cursor() as cur:
                cur.executemany(
                    _PUT_BLOB,
                    [
                        (row.thread_id, row.checkpoint_ns, b.channel, b.version, b.type, b.data)
                        for b in blobs
                    ],
                )
            conn.execute(_PUT_CHECKPOINT, _checkpoint_args(row))
        return _stored_config(row)

    def put_writes(
        self,
        config: CheckpointConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes in one transaction: special ones replace, normal ones are kept once."""
        where, rows = split_writes(self.serde, config, writes, task_id, task_path)
        with self._sync_pool().connection() as conn, conn.transaction():
            for w in rows:
                conn.execute(_UPSERT_WRITE if w.upsert else _INSERT_WRITE, _write_args(where, w))

    def delete_thread(self, thread_id: str) -> None:
        """Delete a thread's checkpoints, blobs and writes, in every namespace, in one transaction."""
        with self._sync_pool().connection() as conn, conn.transaction():
            for statement in _DELETES:
                conn.execute(statement, (thread_id,))

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
                    for statement in _DELETES:
                        conn.execute(statement, (thread_id,))
                else:
                    _sql.prune_keep_latest(conn.execute, self.serde, thread_id)

    def _load(
        self, conn: Connection[Any], row: CheckpointRow, metadata: Mapping[str, Any] | None = None
    ) -> CheckpointTuple:
        body = decode_body(self.serde, row)
        versions = versions_of(body)
        blobs = conn.execute(
            _GET_BLOBS, (row.thread_id, row.checkpoint_ns, list(versions), list(versions.values()))
        ).fetchall()
        writes = conn.execute(
            _GET_WRITES, (row.thread_id, row.checkpoint_ns, row.checkpoint_id)
        ).fetchall()
        return assemble(
            self.serde,
            row,
            body,
            ((c, t, bytes(d)) for c, t, d in blobs),
            ((t, c, k, bytes(d), p, i) for t, c, k, d, p, i in writes),
            metadata,
        )

    # async -------------------------------------------------------------------------------

    async def aget_tuple(self, config: CheckpointConfig) -> CheckpointTuple | None:
        """Async :meth:`get_tuple`, on the async pool."""
        thread_id, ns, checkpoint_id = thread_of(config)
        pool = await self._async_pool()
        async with pool.connection() as conn, conn.transaction():
            if checkpoint_id is None:
                cur = await conn.execute(_GET_LATEST, (thread_id, ns))
            else:
                cur = await conn.execute(_GET_ONE, (thread_id, ns, checkpoint_id))
            found = await cur.fetchone()
            if found is None:
                return None
            return await self._aload(conn, _row(found))

    async def alist(
        self,
        config: CheckpointConfig | None,
        *,
        filter: Mapping[str, Any] | None = None,
        before: CheckpointConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        """Async :meth:`list`, on the async pool."""
        query, args = _sql.list_query(config, before, limit, bool(filter), "%s")
        pool = await self._async_pool()
        async with pool.connection() as conn, conn.transaction():
            cur = await conn.execute(query, args)
            found = _matching(self.serde, await cur.fetchall(), filter, limit)
            blobs: dict[tuple[str, str], list[Any]] = {}
            writes: dict[tuple[str, str], list[Any]] = {}
            for (thread_id, ns), (pairs, ids) in _wanted(self.serde, found).items():
                channels, versions = [p[0] for p in pairs], [p[1] for p in pairs]
                cur = await conn.execute(_GET_MANY_BLOBS, (thread_id, ns, channels, versions))
                blobs[(thread_id, ns)] = await cur.fetchall()
                cur = await conn.execute(_GET_MANY_WRITES, (thread_id, ns, ids))
                writes[(thread_id, ns)] = await cur.fetchall()
        for item in _assemble_fetched(self.serde, found, blobs, writes):
            yield item

    async def aput(
        self,
        config: CheckpointConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> dict[str, Any]:
        """Async :meth:`put`, on the async pool."""
        row, blobs = split_checkpoint(self.serde, config, checkpoint, metadata, new_versions)
        pool = await self._async_pool()
        async with pool.connection() as conn, conn.transaction():
            async with conn.cursor() as cur:
                await cur.executemany(
                    _PUT_BLOB,
                    [
                        (row.thread_id, row.checkpoint_ns, b.channel, b.version, b.type, b.data)
                        for b in blobs
                    ],
                )
            await conn.execute(_PUT_CHECKPOINT, _checkpoint_args(row))
        return _stored_config(row)

    async def aput_writes(
        self,
        config: CheckpointConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Async :meth:`put_writes`, on the async pool."""
        where, rows = split_writes(self.serde, config, writes, task_id, task_path)
        pool = await self._async_pool()
        async with pool.connection() as conn, conn.transaction():
            for w in rows:
                await conn.execute(
                    _UPSERT_WRITE if w.upsert else _INSERT_WRITE, _write_args(where, w)
                )

    async def adelete_thread(self, thread_id: str) -> None:
        """Async :meth:`delete_thread`, on the async pool."""
        pool = await self._async_pool()
        async with pool.connection() as conn, conn.transaction():
            for statement in _DELETES:
                await conn.execute(statement, (thread_id,))

    async def _aload(
        self,
        conn: AsyncConnection[Any],
        row: CheckpointRow,
        metadata: Mapping[str, Any] | None = None,
    ) -> CheckpointTuple:
        body = decode_body(self.serde, row)
        versions = versions_of(body)
        cur = await conn.execute(
            _GET_BLOBS, (row.thread_id, row.checkpoint_ns, list(versions), list(versions.values()))
        )
        blobs = await cur.fetchall()
        cur = await conn.execute(_GET_WRITES, (row.thread_id, row.checkpoint_ns, row.checkpoint_id))
        writes = await cur.fetchall()
        return assemble(
            self.serde,
            row,
            body,
            ((c, t, bytes(d)) for c, t, d in blobs),
            ((t, c, k, bytes(d), p, i) for t, c, k, d, p, i in writes),
            metadata,
        )


def _matching(
    serde: SerializerProtocol,
    rows: Sequence[Sequence[Any]],
    filter: Mapping[str, Any] | None,
    limit: int | None,
) -> list[tuple[CheckpointRow, dict[str, Any]]]:
    found: list[tuple[CheckpointRow, dict[str, Any]]] = []
    for values in rows:
        if limit is not None and len(found) >= limit:
            break
        row = _row(values)
        metadata = metadata_of(serde, row)
        if metadata_matches(metadata, filter):
            found.append((row, metadata))
    return found


def _wanted(
    serde: SerializerProtocol, found: Sequence[tuple[CheckpointRow, Mapping[str, Any]]]
) -> dict[tuple[str, str], tuple[list[tuple[str, str]], list[str]]]:
    """Per (thread, namespace): the (channel, version) pairs and checkpoint ids to load."""
    pairs: dict[tuple[str, str], set[tuple[str, str]]] = {}
    ids: dict[tuple[str, str], list[str]] = {}
    for row, _ in found:
        key = (row.thread_id, row.checkpoint_ns)
        pairs.setdefault(key, set()).update(versions_of(decode_body(serde, row)).items())
        ids.setdefault(key, []).append(row.checkpoint_id)
    return {key: (sorted(pairs[key]), ids[key]) for key in ids}


def _assemble_fetched(
    serde: SerializerProtocol,
    found: Sequence[tuple[CheckpointRow, Mapping[str, Any]]],
    blobs: Mapping[tuple[str, str], Sequence[Sequence[Any]]],
    writes: Mapping[tuple[str, str], Sequence[Sequence[Any]]],
) -> list[CheckpointTuple]:
    return assemble_many(
        serde,
        found,
        lambda t, ns, _pairs: ((c, v, k, bytes(d)) for c, v, k, d in blobs[(t, ns)]),
        lambda t, ns, _ids: (
            (cid, task, c, k, bytes(d), p, i) for cid, task, c, k, d, p, i in writes[(t, ns)]
        ),
    )


def _checkpoint_args(row: CheckpointRow) -> tuple[Any, ...]:
    return (
        row.thread_id,
        row.checkpoint_ns,
        row.checkpoint_id,
        row.parent_checkpoint_id,
        row.type,
        row.body,
        row.metadata_type,
        row.metadata,
        row.run_id,
    )


def _check_schema(version: int | None) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise RuntimeError(
            f"the checkpoint tables were written by a newer flowc (schema {version}, this one "
            f"knows {SCHEMA_VERSION})"
        )
