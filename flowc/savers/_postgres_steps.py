"""The Postgres saver's operations written once, sans I/O: each is a generator that yields
the statements it needs run and is sent their rows; :func:`answer` runs them on a sync
connection, :func:`aanswer` on an async one (see :mod:`flowc.runtime._sansio`)."""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any

from psycopg import AsyncConnection, Connection

from flowc.runtime.checkpoint import (
    CheckpointConfig,
    CheckpointTuple,
    SerializerProtocol,
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
    _UPSERT_WRITE,
)
from ._shared import (
    BlobRow,
    CheckpointRow,
    WriteRow,
    assemble,
    assemble_many,
    decode_body,
    matching,
    versions_of,
)

__all__ = ["Steps", "aanswer", "answer", "deleting", "getting", "listing", "putting", "writing"]

Step = tuple[str, tuple[Any, ...]]
"""``(how, (statement, args))``: ``"one"`` row, ``"all"`` rows, ``"run"`` (no rows), or
``"many"`` (the statement run once for each of a list of args)."""

Steps = Generator[Step, Any, Any]


def answer(conn: Connection[Any], how: str, call: tuple[Any, ...]) -> Any:
    """Run one step on a sync connection; its rows."""
    if how == "many":
        with conn.cursor() as cur:
            cur.executemany(*call)
        return None
    cur = conn.execute(*call)
    return cur.fetchone() if how == "one" else cur.fetchall() if how == "all" else None


async def aanswer(conn: AsyncConnection[Any], how: str, call: tuple[Any, ...]) -> Any:
    """:func:`answer` on an async connection."""
    if how == "many":
        async with conn.cursor() as cur:
            await cur.executemany(*call)
        return None
    cur = await conn.execute(*call)
    if how == "one":
        return await cur.fetchone()
    return await cur.fetchall() if how == "all" else None


def row_of(found: Sequence[Any]) -> CheckpointRow:
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


def getting(
    serde: SerializerProtocol, config: CheckpointConfig
) -> Generator[Step, Any, CheckpointTuple | None]:
    """The checkpoint ``config`` names, or the thread's latest."""
    thread_id, ns, checkpoint_id = thread_of(config)
    if checkpoint_id is None:
        found = yield "one", (_GET_LATEST, (thread_id, ns))
    else:
        found = yield "one", (_GET_ONE, (thread_id, ns, checkpoint_id))
    if found is None:
        return None
    return (yield from _loading(serde, row_of(found)))


def _loading(
    serde: SerializerProtocol, row: CheckpointRow
) -> Generator[Step, Any, CheckpointTuple]:
    body = decode_body(serde, row)
    versions = versions_of(body)
    where = (row.thread_id, row.checkpoint_ns)
    blobs = yield "all", (_GET_BLOBS, (*where, list(versions), list(versions.values())))
    writes = yield "all", (_GET_WRITES, (*where, row.checkpoint_id))
    return assemble(
        serde,
        row,
        body,
        ((c, t, bytes(d)) for c, t, d in blobs),
        ((t, c, k, bytes(d), p, i) for t, c, k, d, p, i in writes),
        None,
    )


def listing(
    serde: SerializerProtocol,
    config: CheckpointConfig | None,
    filter: Mapping[str, Any] | None,
    before: CheckpointConfig | None,
    limit: int | None,
) -> Generator[Step, Any, list[CheckpointTuple]]:
    """Checkpoints newest first, each thread's blobs and writes fetched at once."""
    query, args = _sql.list_query(config, before, limit, bool(filter), "%s")
    rows = yield "all", (query, args)
    found = matching(serde, map(row_of, rows), filter, limit)
    blobs: dict[tuple[str, str], list[Any]] = {}
    writes: dict[tuple[str, str], list[Any]] = {}
    for (thread_id, ns), (pairs, ids) in _wanted(serde, found).items():
        channels, versions = [p[0] for p in pairs], [p[1] for p in pairs]
        blobs[(thread_id, ns)] = yield "all", (_GET_MANY_BLOBS, (thread_id, ns, channels, versions))
        writes[(thread_id, ns)] = yield "all", (_GET_MANY_WRITES, (thread_id, ns, ids))
    return assemble_many(
        serde,
        found,
        lambda t, ns, _pairs: ((c, v, k, bytes(d)) for c, v, k, d in blobs[(t, ns)]),
        lambda t, ns, _ids: (
            (cid, task, c, k, bytes(d), p, i) for cid, task, c, k, d, p, i in writes[(t, ns)]
        ),
    )


def putting(row: CheckpointRow, blobs: Sequence[BlobRow]) -> Generator[Step, Any, dict[str, Any]]:
    """Store a checkpoint and its new channel values; its config."""
    where = (row.thread_id, row.checkpoint_ns)
    yield "many", (_PUT_BLOB, [(*where, b.channel, b.version, b.type, b.data) for b in blobs])
    yield "run", (_PUT_CHECKPOINT, row.columns())
    return row.config()


def writing(where: tuple[str, str, str], rows: Sequence[WriteRow]) -> Generator[Step, Any, None]:
    """Store a task's writes: special ones replace, normal ones are kept once."""
    for w in rows:
        args = (*where, w.task_id, w.idx, w.channel, w.type, w.data, w.task_path)
        yield "run", (_UPSERT_WRITE if w.upsert else _INSERT_WRITE, args)


def deleting(thread_id: str) -> Generator[Step, Any, None]:
    """Delete a thread's checkpoints, blobs and writes, in every namespace."""
    for statement in _DELETES:
        yield "run", (statement, (thread_id,))


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
