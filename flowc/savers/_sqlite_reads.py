"""How :class:`~flowc.savers.sqlite.SqliteSaver` reads a stored checkpoint back: its body,
its channels' blobs (deltas rebuilt) and its pending writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flowc.runtime.checkpoint import (
    CheckpointTuple,
    SerializerProtocol,
)

from ._delta import resolve
from ._shared import (
    CheckpointRow,
    assemble,
    decode_body,
    versions_of,
)

_Rows = list[tuple[str, str, bytes]]


# how many (channel, version) pairs one query looks up: well under SQLite's variable limit
_CHUNK = 200


def stored_blobs(
    conn: sqlite3.Connection, thread_id: str, ns: str, pairs: Sequence[tuple[str, str]]
) -> list[tuple[str, str, str, bytes]]:
    """``(channel, version, type, blob)`` of each stored ``(channel, version)`` of a thread."""
    return _chunked(
        conn,
        lambda n: (
            "SELECT channel, version, type, blob FROM checkpoint_blobs WHERE thread_id = ? "
            "AND checkpoint_ns = ? AND (channel, version) IN (VALUES "
            + ", ".join("(?, ?)" for _ in range(n))
            + ")"
        ),
        (thread_id, ns),
        [x for pair in pairs for x in pair],
        per_item=2,
    )


def stored_writes(
    conn: sqlite3.Connection, thread_id: str, ns: str, ids: Sequence[str]
) -> list[tuple[str, str, str, str, bytes, str, int]]:
    """The pending writes stored against each of the checkpoints ``ids`` of a thread."""
    return _chunked(
        conn,
        lambda n: (
            "SELECT checkpoint_id, task_id, channel, type, value, task_path, idx "
            "FROM checkpoint_writes WHERE thread_id = ? AND checkpoint_ns = ? AND "
            "checkpoint_id IN (" + ", ".join("?" for _ in range(n)) + ")"
        ),
        (thread_id, ns),
        list(ids),
    )


def _chunked(
    conn: sqlite3.Connection,
    query: Callable[[int], str],
    head: tuple[Any, ...],
    args: list[Any],
    per_item: int = 1,
) -> list[Any]:
    """The rows of ``query(n)`` run for ``n`` items at a time (``per_item`` arguments each,
    after ``head``), so that no query passes SQLite's limit of variables."""
    rows: list[Any] = []
    step = _CHUNK * per_item
    for start in range(0, len(args), step):
        chunk = args[start : start + step]
        rows += conn.execute(query(len(chunk) // per_item), [*head, *chunk]).fetchall()
    return rows


class _SqliteReads:
    """Reading a stored checkpoint back, with its blobs and writes."""

    serde: SerializerProtocol

    def _load(
        self,
        conn: sqlite3.Connection,
        row: CheckpointRow,
        metadata: Mapping[str, Any] | None = None,
    ) -> CheckpointTuple:
        body = decode_body(self.serde, row)
        pairs = list(versions_of(body).items())
        rows = stored_blobs(conn, row.thread_id, row.checkpoint_ns, pairs)
        fetch = self._channel_rows(conn, row.thread_id, row.checkpoint_ns)
        blobs = [
            (channel, kind, data)
            for channel, _, kind, data in resolve(self.serde, rows, fetch, row.checkpoint_id)
        ]
        writes = conn.execute(
            "SELECT task_id, channel, type, value, task_path, idx FROM checkpoint_writes "
            "WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ?",
            (row.thread_id, row.checkpoint_ns, row.checkpoint_id),
        ).fetchall()
        return assemble(self.serde, row, body, blobs, writes, metadata)

    @staticmethod
    def _channel_rows(conn: sqlite3.Connection, thread_id: str, ns: str) -> Callable[[str], _Rows]:
        """Every stored version of a channel: what a delta's value is rebuilt from."""

        def fetch(channel: str) -> _Rows:
            rows: _Rows = conn.execute(
                "SELECT version, type, blob FROM checkpoint_blobs WHERE thread_id = ? AND "
                "checkpoint_ns = ? AND channel = ?",
                (thread_id, ns, channel),
            ).fetchall()
            return rows

        return fetch
