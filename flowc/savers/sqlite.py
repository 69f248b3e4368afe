"""The SQLite saver: one file, the standard library's ``sqlite3``, safe across threads and processes.

The database runs in WAL mode, so readers never wait for the writer and a
second process can read a thread while the first writes it. Each thread gets
its own connection (an in-memory database, which cannot be shared that way,
has one connection and a lock), writes take the write lock at the start of
their transaction (``BEGIN IMMEDIATE``) so two writers never deadlock, and a
busy database is waited for up to ``timeout`` seconds before an error. The
async methods run the sync ones in worker threads: the event loop is never
blocked on the disk.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal

from flowc.runtime.checkpoint import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointConfig,
    CheckpointMetadata,
    CheckpointTuple,
    SerializerProtocol,
    check_prune_strategy,
    encode_value,
    thread_of,
)
from flowc.runtime.sqlite_file import SqliteFile

from . import _sql
from ._delta import DELTA, DeltaCache, encode_delta, resolve
from ._shared import (
    EMPTY,
    CheckpointRow,
    assemble_many,
    matching,
    split_checkpoint,
    split_writes,
)
from ._sql import CHECKPOINT_COLUMNS, SCHEMA_VERSION, schema
from ._sqlite_reads import _SqliteReads, stored_blobs, stored_writes
from ._sqlite_writer import Op, Rows, Writer, insert

__all__ = ["SqliteSaver"]

_Deltas = list[tuple[str, str, str, bytes]]
"""Versions to store as deltas: ``(channel, version, base version, delta blob)``."""
_Lists = list[tuple[tuple[str, str, str], str, list[Any]]]
"""Every list a checkpoint stores: ``((thread, ns, channel), version, value)``."""


_DURABILITY = "__pregel_durability"
"""The ``configurable`` key a run on a thread gives its durability under (LangGraph's)."""


_RUN_DURABILITIES = frozenset({"sync", "async", "exit"})
_BASE_STORED = (
    "SELECT 1 FROM checkpoint_blobs WHERE thread_id = ? AND checkpoint_ns = ? "
    "AND channel = ? AND version = ?"
)
_BLOB_INSERT = (
    "INSERT OR IGNORE INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, "
    "version, type, blob) VALUES (?, ?, ?, ?, ?, ?)"
)
_CHECKPOINT_INSERT = (
    f"INSERT OR REPLACE INTO checkpoints ({CHECKPOINT_COLUMNS}, run_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_WRITE_COLUMNS = (
    "INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, "
    "type, value, task_path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_WRITE_UPSERT = "INSERT OR REPLACE " + _WRITE_COLUMNS
_WRITE_INSERT = "INSERT OR IGNORE " + _WRITE_COLUMNS


class SqliteSaver(SqliteFile, _SqliteReads, BaseCheckpointSaver):
    """Checkpoints in one SQLite file (created with its tables when missing).

    Args:
        path: The database file, or ``":memory:"`` for a private in-memory one.
        timeout: Seconds to wait for another connection's write lock.
        synchronous: ``"auto"`` (the default) commits with ``FULL`` the writes of a
            run with ``durability="sync"`` and anything not from a run, so that they
            survive a power loss, and with ``NORMAL`` those of ``"async"`` and ``"exit"``
            runs, which survive a crash of the process (``kill -9``) but may lose the
            last commits to a power loss (the file is never corrupted); ``"FULL"`` and
            ``"NORMAL"`` use one of them for every commit.
        serde: How values are encoded (default :class:`~flowc.runtime.checkpoint.JsonSerializer`).
        deltas: Store a list version that extends the last one stored as the
            items it adds (see :mod:`flowc.savers._delta`); ``False`` stores
            every version whole.
    """

    _kind = "SqliteSaver"
    handover = True
    """The engine hands its checkpoints over (see ``checkpoint.HANDOVER``): the writer may
    encode a list whole later, and the body is encoded without a check that it is plain."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float = 30.0,
        synchronous: Literal["auto", "FULL", "NORMAL"] = "auto",
        serde: SerializerProtocol | None = None,
        deltas: bool = True,
    ) -> None:
        super().__init__(serde=serde)
        self._deltas = DeltaCache() if deltas else None
        self.synchronous = synchronous
        self._open(path, timeout)
        self._writer = Writer(self._session, self._forget_deltas)
        try:
            with self._session(write=True) as conn:
                (found,) = conn.execute("PRAGMA user_version").fetchone()
                if found > SCHEMA_VERSION:
                    raise RuntimeError(
                        f"{self.path}: the checkpoint database was written by a newer flowc "
                        f"(schema {found}; this one knows {SCHEMA_VERSION})"
                    )
                for statement in schema("BLOB"):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            self.close()
            raise sqlite3.DatabaseError(
                f"{self.path}: cannot use as a checkpoint database: {exc}"
            ) from exc

    # connections -------------------------------------------------------------------------

    def close(self) -> None:
        """Store what runs handed over, then close every connection this saver opened."""
        try:
            if not self._closed:
                self._writer.wait()
        finally:
            super().close()

    def _configure(self, conn: sqlite3.Connection) -> None:
        super()._configure(conn)
        conn.execute(
            f"PRAGMA synchronous = {'FULL' if self.synchronous == 'auto' else self.synchronous}"
        )

    def _session(
        self, *, write: bool, config: CheckpointConfig | None = None
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A transaction (see :class:`~flowc.runtime.sqlite_file.SqliteFile`).

        A write for ``config`` of a run whose durability is not ``"sync"`` commits
        with ``synchronous = NORMAL`` in ``"auto"`` mode (see the class).
        """
        if not write or self.synchronous != "auto":
            return self._transaction(write=write)
        relaxed = config is not None and config.get("configurable", {}).get(_DURABILITY) in (
            "async",
            "exit",
        )

        def prepare(conn: sqlite3.Connection) -> None:
            if relaxed != getattr(conn, "relaxed", False):
                # a per-connection setting, changed between transactions (no I/O)
                conn.execute(f"PRAGMA synchronous = {'NORMAL' if relaxed else 'FULL'}")
                setattr(conn, "relaxed", relaxed)  # noqa: B010

        return self._transaction(write=True, prepare=prepare)

    # the protocol ------------------------------------------------------------------------

    def get_tuple(self, config: CheckpointConfig) -> CheckpointTuple | None:
        """The checkpoint ``config`` names, or the thread's latest."""
        thread_id, ns, checkpoint_id = thread_of(config)
        self._writer.wait()
        with self._session(write=False) as conn:
            if checkpoint_id is None:
                found = conn.execute(
                    f"SELECT {CHECKPOINT_COLUMNS} FROM checkpoints WHERE thread_id = ? AND "
                    "checkpoint_ns = ? ORDER BY checkpoint_id DESC LIMIT 1",
                    (thread_id, ns),
                ).fetchone()
            else:
                found = conn.execute(
                    f"SELECT {CHECKPOINT_COLUMNS} FROM checkpoints WHERE thread_id = ? AND "
                    "checkpoint_ns = ? AND checkpoint_id = ?",
                    (thread_id, ns, checkpoint_id),
                ).fetchone()
            if found is None:
                return None
            return self._load(conn, CheckpointRow(*found))

    def latest(self, ns: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Each thread's latest checkpoint in namespace ``ns``, without its values.

        ``(thread id, checkpoint id, body)``, by thread id: what ``flowc check
        --against-db`` compares a spec's state schema with.
        """
        self._writer.wait()
        with self._session(write=False) as conn:
            rows = [
                CheckpointRow(*values) for values in conn.execute(_sql.latest_query("?"), (ns,))
            ]
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
        query, args = _sql.list_query(config, before, limit, bool(filter), "?")
        self._writer.wait()
        with self._session(write=False) as conn:
            rows = (CheckpointRow(*values) for values in conn.execute(query, args))
            found = matching(self.serde, rows, filter, limit)

            def blobs(
                thread_id: str, ns: str, pairs: list[tuple[str, str]]
            ) -> list[tuple[str, str, str, bytes]]:
                stored = stored_blobs(conn, thread_id, ns, pairs)
                return resolve(
                    self.serde, stored, self._channel_rows(conn, thread_id, ns), "<list>"
                )

            def writes(
                thread_id: str, ns: str, ids: list[str]
            ) -> list[tuple[str, str, str, str, bytes, str, int]]:
                return stored_writes(conn, thread_id, ns, ids)

            loaded = assemble_many(self.serde, found, blobs, writes)
        yield from loaded

    def put(
        self,
        config: CheckpointConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> dict[str, Any]:
        """Store a checkpoint and its new channel values in one transaction; its config.

        From a run on a thread, the transaction is the writer's (see
        :mod:`flowc.savers._sqlite_writer`): under ``"sync"`` this returns once it
        has committed, under ``"async"`` and ``"exit"`` at once.
        """
        whole: Mapping[str, Any] = new_versions
        deltas: _Deltas = []
        lists: _Lists = []
        if self._deltas is not None:
            whole, deltas, lists = self._plan_deltas(config, checkpoint, new_versions)
        row, blobs = split_checkpoint(self.serde, config, checkpoint, metadata, whole)
        thread_id, ns = row.thread_id, row.checkpoint_ns
        # a channel version without a value is not stored: a read finds none either way
        args = [
            (thread_id, ns, b.channel, b.version, b.type, b.data) for b in blobs if b.type != EMPTY
        ]
        rows: Rows = ((_BLOB_INSERT, args), (_CHECKPOINT_INSERT, [row.columns()]))

        def write(conn: sqlite3.Connection) -> None:
            for channel, version, base, data in deltas:
                # the base may be gone (another saver deleted the thread): then the list is whole
                found = conn.execute(_BASE_STORED, (thread_id, ns, channel, base))
                if found.fetchone():
                    kind, encoded = DELTA, data
                else:
                    kind, encoded = encode_value(
                        self.serde,
                        checkpoint["channel_values"][channel],
                        channel=channel,
                        checkpoint_id=checkpoint["id"],
                    )
                args.append((thread_id, ns, channel, version, kind, encoded))
            insert(conn, dict(rows))

        self._store(config, write if deltas else rows, wait_for_sync=True)
        if self._deltas is not None:
            for key, version, value in lists:
                self._deltas.remember(key, version, value)
        return row.config()

    def _store(self, config: CheckpointConfig, op: Op, *, wait_for_sync: bool) -> None:
        """Commit ``op`` (rows, or what writes them): a run's joins the writer's queue, and
        with ``wait_for_sync`` a ``"sync"`` run's is waited for; anything else commits now."""
        durability = config.get("configurable", {}).get(_DURABILITY)
        if durability in _RUN_DURABILITIES:
            ticket = self._writer.queue(op, relaxed=durability != "sync")
            if wait_for_sync and durability == "sync":
                self._writer.wait(ticket)
            return
        self._writer.wait()
        with self._session(write=True, config=config) as conn:
            if callable(op):
                op(conn)
            else:
                insert(conn, dict(op))

    def flush(self) -> None:
        """Wait until every checkpoint and write a run handed over is stored (a run ends)."""
        self._writer.wait()

    def _forget_deltas(self) -> None:
        # a batch failed: what the cache says was stored may not be
        if self._deltas is not None:
            self._deltas.forget()

    def _plan_deltas(
        self, config: CheckpointConfig, checkpoint: Checkpoint, new_versions: ChannelVersions
    ) -> tuple[dict[str, Any], _Deltas, _Lists]:
        """The versions stored whole, the ones stored as deltas, and every list stored."""
        assert self._deltas is not None
        values = checkpoint["channel_values"]
        whole: dict[str, Any] = dict(new_versions)
        deltas: _Deltas = []
        lists: _Lists = []
        for channel, version in new_versions.items():
            value = values.get(channel)
            if type(value) is not list:
                continue
            thread_id, ns, _ = thread_of(config)
            key = (thread_id, ns, channel)
            lists.append((key, str(version), value))
            found = self._deltas.base(key, value)
            if found is None or found[0] == str(version):
                continue
            base, length = found
            data = encode_delta(
                self.serde, base, value[length:], channel=channel, checkpoint_id=checkpoint["id"]
            )
            deltas.append((channel, str(version), base, data))
            del whole[channel]
        return whole, deltas, lists

    def put_writes(
        self,
        config: CheckpointConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes: special ones replace, normal ones are kept once.

        From a run on a thread they join the writer's queue (see :meth:`put`),
        and reach the file with or before the next checkpoint.
        """
        (thread_id, ns, checkpoint_id), rows = split_writes(
            self.serde, config, writes, task_id, task_path
        )
        upserts: list[tuple[Any, ...]] = []
        inserts: list[tuple[Any, ...]] = []
        for w in rows:
            (upserts if w.upsert else inserts).append(
                (
                    thread_id,
                    ns,
                    checkpoint_id,
                    w.task_id,
                    w.idx,
                    w.channel,
                    w.type,
                    w.data,
                    w.task_path,
                )
            )
        queued: Rows = ((_WRITE_UPSERT, upserts), (_WRITE_INSERT, inserts))
        self._store(config, queued, wait_for_sync=False)

    def delete_thread(self, thread_id: str) -> None:
        """Delete a thread's checkpoints, blobs and writes, in every namespace, in one transaction."""
        self._writer.wait()
        if self._deltas is not None:
            self._deltas.forget(thread_id)
        with self._session(write=True) as conn:
            _delete_thread(conn, thread_id)

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Delete these runs' checkpoints, their writes and the blobs left unused, in one transaction."""
        self._writer.wait()
        if self._deltas is not None:
            self._deltas.forget()
        with self._session(write=True) as conn:
            _sql.delete_for_runs(_qmark(conn), self.serde, run_ids)

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy a thread to another id in one transaction; what the target has is kept."""
        self._writer.wait()
        with self._session(write=True) as conn:
            _sql.copy_thread(_qmark(conn), source_thread_id, target_thread_id)

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        """Keep each namespace's newest checkpoint (``keep_latest``), or delete the threads."""
        check_prune_strategy(strategy)
        self._writer.wait()
        if self._deltas is not None:
            for thread_id in thread_ids:
                self._deltas.forget(thread_id)
        with self._session(write=True) as conn:
            for thread_id in thread_ids:
                if strategy == "delete":
                    _delete_thread(conn, thread_id)
                else:
                    _sql.prune_keep_latest(_qmark(conn), self.serde, thread_id)


def _delete_thread(conn: sqlite3.Connection, thread_id: str) -> None:
    for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes"):
        conn.execute(f"DELETE FROM {table} WHERE thread_id = ?", (thread_id,))


def _qmark(conn: sqlite3.Connection) -> _sql.Execute:
    """``conn.execute`` taking the ``%s`` placeholders of the shared SQL."""
    return lambda query, args: conn.execute(query.replace("%s", "?"), args)
