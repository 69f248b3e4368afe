"""The tables the SQL savers share (SQLite and Postgres differ only in types and placeholders)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from flowc.runtime.checkpoint import CheckpointConfig, SerializerProtocol, thread_of

from ._delta import DELTA, base_of
from ._shared import CheckpointRow, decode_body, versions_of

SCHEMA_VERSION = 1


def schema(blob: str) -> list[str]:
    """``CREATE TABLE`` statements, with ``blob`` the binary type (BLOB or BYTEA)."""
    return [
        f"""CREATE TABLE IF NOT EXISTS checkpoints (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    parent_checkpoint_id TEXT,
    type TEXT NOT NULL,
    checkpoint {blob} NOT NULL,
    metadata_type TEXT NOT NULL,
    metadata {blob} NOT NULL,
    run_id TEXT,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
)""",
        "CREATE INDEX IF NOT EXISTS checkpoints_run_id ON checkpoints (run_id)",
        f"""CREATE TABLE IF NOT EXISTS checkpoint_blobs (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    version TEXT NOT NULL,
    type TEXT NOT NULL,
    blob {blob},
    PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
)""",
        f"""CREATE TABLE IF NOT EXISTS checkpoint_writes (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    channel TEXT NOT NULL,
    type TEXT NOT NULL,
    value {blob},
    task_path TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
)""",
    ]


CHECKPOINT_COLUMNS = (
    "thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, checkpoint, "
    "metadata_type, metadata"
)
"""The columns a :class:`~flowc.savers._shared.CheckpointRow` is read from."""


def latest_query(placeholder: str) -> str:
    """Each thread's checkpoints in one namespace, the thread's latest first."""
    return (
        f"SELECT {CHECKPOINT_COLUMNS} FROM checkpoints WHERE checkpoint_ns = {placeholder} "
        "ORDER BY thread_id, checkpoint_id DESC"
    )


def latest_bodies(
    serde: SerializerProtocol, rows: Iterable[CheckpointRow]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(thread id, checkpoint id, body)`` of the first row of each thread (its latest)."""
    last: str | None = None
    for row in rows:
        if row.thread_id != last:
            last = row.thread_id
            yield row.thread_id, row.checkpoint_id, decode_body(serde, row)


Execute = Callable[[str, Sequence[Any]], Any]
"""``conn.execute`` of either driver, with ``%s`` placeholders (SQLite's are substituted)."""

_CHECKPOINT_COPY = (
    "INSERT INTO checkpoints (" + CHECKPOINT_COLUMNS + ", run_id) SELECT %s, checkpoint_ns, "
    "checkpoint_id, parent_checkpoint_id, type, checkpoint, metadata_type, metadata, run_id "
    "FROM checkpoints WHERE thread_id = %s ON CONFLICT DO NOTHING"
)
_BLOB_COPY = (
    "INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, blob) "
    "SELECT %s, checkpoint_ns, channel, version, type, blob FROM checkpoint_blobs "
    "WHERE thread_id = %s ON CONFLICT DO NOTHING"
)
_WRITE_COPY = (
    "INSERT INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, "
    "channel, type, value, task_path) SELECT %s, checkpoint_ns, checkpoint_id, task_id, idx, "
    "channel, type, value, task_path FROM checkpoint_writes WHERE thread_id = %s "
    "ON CONFLICT DO NOTHING"
)


def copy_thread(execute: Execute, source: str, target: str) -> None:
    """Copy a thread's rows to another thread id (in the caller's transaction)."""
    for statement in (_CHECKPOINT_COPY, _BLOB_COPY, _WRITE_COPY):
        execute(statement, (target, source))


def _delete_checkpoints(execute: Execute, doomed: Sequence[Sequence[Any]]) -> None:
    for thread_id, ns, checkpoint_id in doomed:
        for table in ("checkpoint_writes", "checkpoints"):
            execute(
                f"DELETE FROM {table} WHERE thread_id = %s AND checkpoint_ns = %s "
                "AND checkpoint_id = %s",
                (thread_id, ns, checkpoint_id),
            )


def _drop_unused_blobs(
    execute: Execute, serde: SerializerProtocol, namespaces: set[tuple[str, str]]
) -> None:
    """Delete the blobs no checkpoint left in these namespaces refers to."""
    for thread_id, ns in sorted(namespaces):
        used: set[tuple[str, str]] = set()
        for found in execute(
            f"SELECT {CHECKPOINT_COLUMNS} FROM checkpoints WHERE thread_id = %s "
            "AND checkpoint_ns = %s",
            (thread_id, ns),
        ).fetchall():
            thread, namespace, cid, parent, kind, body, meta_kind, meta = found
            row = CheckpointRow(
                thread, namespace, cid, parent, kind, bytes(body), meta_kind, bytes(meta)
            )
            used.update(versions_of(decode_body(serde, row)).items())
        stored = execute(
            "SELECT channel, version, type, blob FROM checkpoint_blobs WHERE thread_id = %s "
            "AND checkpoint_ns = %s",
            (thread_id, ns),
        ).fetchall()
        # a list stored as a delta needs the version it extends, and so on down
        kinds = {(channel, version): (kind, data) for channel, version, kind, data in stored}
        stack = [pair for pair in used if kinds.get(pair, ("", b""))[0] == DELTA]
        while stack:
            channel, version = stack.pop()
            base = (channel, base_of(bytes(kinds[(channel, version)][1])))
            if base not in used:
                used.add(base)
                if kinds.get(base, ("", b""))[0] == DELTA:
                    stack.append(base)
        for channel, version, _, _ in stored:
            if (channel, version) not in used:
                execute(
                    "DELETE FROM checkpoint_blobs WHERE thread_id = %s AND checkpoint_ns = %s "
                    "AND channel = %s AND version = %s",
                    (thread_id, ns, channel, version),
                )


def delete_for_runs(execute: Execute, serde: SerializerProtocol, run_ids: Sequence[str]) -> None:
    """Delete the checkpoints of these runs, their writes, and blobs left unused."""
    doomed = []
    for run_id in run_ids:
        doomed += execute(
            "SELECT thread_id, checkpoint_ns, checkpoint_id FROM checkpoints WHERE run_id = %s",
            (run_id,),
        ).fetchall()
    _delete_checkpoints(execute, doomed)
    _drop_unused_blobs(execute, serde, {(t, ns) for t, ns, _ in doomed})


def prune_keep_latest(execute: Execute, serde: SerializerProtocol, thread_id: str) -> None:
    """Keep each namespace's newest checkpoint of a thread, its writes and blobs."""
    latest = execute(
        "SELECT checkpoint_ns, max(checkpoint_id) FROM checkpoints WHERE thread_id = %s "
        "GROUP BY checkpoint_ns",
        (thread_id,),
    ).fetchall()
    doomed = []
    for ns, newest in latest:
        doomed += execute(
            "SELECT thread_id, checkpoint_ns, checkpoint_id FROM checkpoints WHERE thread_id = %s "
            "AND checkpoint_ns = %s AND checkpoint_id <> %s",
            (thread_id, ns, newest),
        ).fetchall()
        # writes of checkpoints no longer stored (a write may outlive its checkpoint)
        execute(
            "DELETE FROM checkpoint_writes WHERE thread_id = %s AND checkpoint_ns = %s "
            "AND checkpoint_id <> %s",
            (thread_id, ns, newest),
        )
    _delete_checkpoints(execute, doomed)
    _drop_unused_blobs(execute, serde, {(thread_id, ns) for ns, _ in latest})


def list_query(
    config: CheckpointConfig | None,
    before: CheckpointConfig | None,
    limit: int | None,
    filtered: bool,
    mark: str,
) -> tuple[str, list[Any]]:
    """The query of a saver's ``list()`` and its arguments, with ``mark`` as the
    placeholder (``?`` or ``%s``); without a limit when a metadata filter is applied
    to the rows it gives."""
    where: list[str] = []
    args: list[Any] = []
    if config is not None:
        thread_id, ns, checkpoint_id = thread_of(config)
        where.append(f"thread_id = {mark}")
        args.append(thread_id)
        if "checkpoint_ns" in config.get("configurable", {}):
            where.append(f"checkpoint_ns = {mark}")
            args.append(ns)
        if checkpoint_id is not None:
            where.append(f"checkpoint_id = {mark}")
            args.append(checkpoint_id)
    if before is not None and (before_id := thread_of(before)[2]) is not None:
        where.append(f"checkpoint_id < {mark}")
        args.append(before_id)
    query = f"SELECT {CHECKPOINT_COLUMNS} FROM checkpoints"
    if where:
        query += " WHERE " + " AND ".join(where)
    query += " ORDER BY checkpoint_id DESC"
    if limit is not None and not filtered:
        query += f" LIMIT {mark}"
        args.append(int(limit))
    return query, args
