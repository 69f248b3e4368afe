"""The SQLite store: one file, the standard library's ``sqlite3``, shared by threads and processes.

Items outlive the process: a second program opening the same file sees them.
The database runs in WAL mode (readers never wait for the writer), each
thread gets its own connection, a batch with writes takes the write lock at
the start of its transaction (``BEGIN IMMEDIATE``) and commits all of its
writes or none, and a busy database is waited for up to ``timeout`` seconds.
The async methods run the sync ones in worker threads.

Values are stored as JSON text: a value JSON cannot hold is refused before
anything is written, and what comes back is plain JSON (a tuple reads back as
a list). Search filters and namespace patterns are applied by
:mod:`flowc.runtime.store`'s rules, so both back ends answer alike.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from flowc.runtime.sqlite_file import SqliteFile
from flowc.runtime.store import GetOp, IndexConfig, PutOp, SearchOp, refuse_index

from ._batched import BatchedStore, Entry, Found, Writes, page

__all__ = ["SqliteStore"]

SCHEMA_VERSION = 1
"""The layout of the store's tables (kept in ``flowc_store_schema``)."""

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS flowc_store_schema (version INTEGER NOT NULL)",
    # a namespace's id orders search results: the order namespaces were first written
    "CREATE TABLE IF NOT EXISTS flowc_store_namespaces ("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, namespace TEXT NOT NULL UNIQUE)",
    "CREATE TABLE IF NOT EXISTS flowc_store_items ("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, namespace TEXT NOT NULL, key TEXT NOT NULL, "
    "value TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
    "UNIQUE (namespace, key))",
)

_SELECT = (
    "SELECT i.namespace, i.key, i.value, i.created_at, i.updated_at FROM flowc_store_items i "
    "JOIN flowc_store_namespaces n ON n.namespace = i.namespace"
)


def _text(namespace: tuple[str, ...]) -> str:
    # labels hold no "." (checked before any query), so the joined text is unambiguous
    return ".".join(namespace)


def _labels(text: str) -> tuple[str, ...]:
    return tuple(text.split(".")) if text else ()


class SqliteStore(SqliteFile, BatchedStore[sqlite3.Connection, str | None]):
    """A store in one SQLite file (created with its tables when missing).

    Search results come in the order their namespaces were first written, then
    their keys; putting a key again keeps its place and its ``created_at``.

    Args:
        path: The database file (it may be the one a ``SqliteSaver`` uses), or
            ``":memory:"`` for a private in-memory one.
        timeout: Seconds to wait for another connection's write lock.
        index: LangGraph's vector-search settings: refused (no vector search yet).

    Raises:
        NotImplementedError: when ``index`` is given.
        sqlite3.DatabaseError: when the file is not a database this store can use.
    """

    _kind = "SqliteStore"

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        timeout: float = 30.0,
        index: IndexConfig | None = None,
    ) -> None:
        refuse_index(index, "SqliteStore")
        self._open(path, timeout)
        try:
            self.setup()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise sqlite3.DatabaseError(f"{self.path}: cannot use as a store: {exc}") from exc

    @classmethod
    @contextlib.contextmanager
    def from_conn_string(cls, conn_string: str, **kwargs: Any) -> Iterator[SqliteStore]:
        """A store on the file ``conn_string``, closed when the ``with`` block ends
        (LangGraph's ``SqliteStore.from_conn_string``)."""
        store = cls(conn_string, **kwargs)
        try:
            yield store
        finally:
            store.close()

    def setup(self) -> None:
        """Create the tables if they are missing (done when the store is made; safe to repeat).

        Raises:
            RuntimeError: when the file's store tables were written by a newer flowc.
        """
        with self._transaction(write=True) as conn:
            for statement in _SCHEMA:
                conn.execute(statement)
            found = conn.execute("SELECT version FROM flowc_store_schema").fetchone()
            if found is None:
                conn.execute("INSERT INTO flowc_store_schema VALUES (?)", (SCHEMA_VERSION,))
            elif found[0] > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path}: the store was written by a newer flowc "
                    f"(schema {found[0]}; this one knows {SCHEMA_VERSION})"
                )

    # batches -----------------------------------------------------------------------------

    def _session(self, *, write: bool) -> AbstractContextManager[sqlite3.Connection]:
        # one transaction: a batch's writes all commit or none do
        return self._transaction(write=write)

    def _prepare(self, op: PutOp) -> str | None:
        return _encode(op)

    def _get(self, conn: sqlite3.Connection, op: GetOp) -> Entry | None:
        row = conn.execute(
            "SELECT value, created_at, updated_at FROM flowc_store_items "
            "WHERE namespace = ? AND key = ?",
            (_text(tuple(op.namespace)), op.key),
        ).fetchone()
        if row is None:
            return None
        return json.loads(row[0]), row[1], row[2]

    def _search(self, conn: sqlite3.Connection, op: SearchOp) -> list[Found]:
        prefix = _text(tuple(op.namespace_prefix))
        where, args = "", []
        if prefix:
            where = " WHERE i.namespace = ? OR substr(i.namespace, 1, ?) = ?"
            args = [prefix, len(prefix) + 1, prefix + "."]
        query = f"{_SELECT}{where} ORDER BY n.id, i.id"
        paged = not op.filter and op.limit >= 0 and op.offset >= 0
        if paged:
            # without a filter the database can page; otherwise the filter is applied here first
            query += " LIMIT ? OFFSET ?"
            args += [op.limit, op.offset]
        rows = [(row, json.loads(row[2])) for row in conn.execute(query, args)]
        if not paged:
            rows = page(rows, op, lambda found: found[1])
        return [(_labels(row[0]), row[1], value, row[3], row[4]) for row, value in rows]

    def _namespaces(self, conn: sqlite3.Connection) -> Iterable[tuple[str, ...]]:
        return [
            _labels(text)
            for (text,) in conn.execute("SELECT namespace FROM flowc_store_namespaces")
        ]

    def _write(self, conn: sqlite3.Connection, writes: Writes[str | None]) -> None:
        now = datetime.now(UTC).isoformat()
        for (namespace, key), value in writes.items():
            text = _text(namespace)
            if value is None:
                conn.execute(
                    "DELETE FROM flowc_store_items WHERE namespace = ? AND key = ?", (text, key)
                )
                # a namespace is listed only while it holds items
                conn.execute(
                    "DELETE FROM flowc_store_namespaces WHERE namespace = ? AND NOT EXISTS "
                    "(SELECT 1 FROM flowc_store_items WHERE namespace = ?)",
                    (text, text),
                )
                continue
            conn.execute(
                "INSERT OR IGNORE INTO flowc_store_namespaces (namespace) VALUES (?)", (text,)
            )
            conn.execute(
                "INSERT INTO flowc_store_items (namespace, key, value, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, key) "
                "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                (text, key, value, now, now),
            )


def _encode(op: PutOp) -> str | None:
    if op.value is None:
        return None
    try:
        return json.dumps(dict(op.value), ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"store item {op.namespace}/{op.key!r}: the value cannot be stored as JSON ({exc}); "
            "a SqliteStore keeps dicts of str, int, float, bool, None, lists and dicts"
        ) from exc
