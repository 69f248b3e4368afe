"""One SQLite file shared by threads and processes: what the SQLite saver and store share.

A connection per thread (a fork opens its own), WAL mode so readers never wait
for the writer, a busy database waited for up to ``timeout`` seconds, writes
that take the write lock at the start of their transaction (``BEGIN
IMMEDIATE``) so two writers never deadlock, and an in-memory database (which
cannot be shared between connections) served by one connection and a lock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Self

__all__ = ["SqliteFile"]


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced (the base class cannot)."""

    relaxed = False
    """Whether its ``PRAGMA synchronous`` is ``NORMAL`` now (the saver's ``"auto"`` mode)."""


class SqliteFile:
    """The connections to one SQLite file, and its transactions.

    A subclass calls :meth:`_open` first in its ``__init__`` and may extend
    :meth:`_configure`, which sets up each new connection.
    """

    _kind = "SQLite file"
    """What the subclass is called in errors (``this SqliteStore is closed``)."""

    path: str
    timeout: float

    def _open(self, path: str | os.PathLike[str], timeout: float) -> None:
        self.path = str(path)
        self.timeout = timeout
        self._local = threading.local()
        # weak: a thread that ends drops its connection (threading.local), which closes it
        self._all: weakref.WeakSet[sqlite3.Connection] = weakref.WeakSet()
        self._all_lock = threading.Lock()
        self._closed = False
        self._shared: sqlite3.Connection | None = None
        self._shared_lock: threading.Lock | None = None
        if self.path == ":memory:":
            self._shared = self._connect()
            self._shared_lock = threading.Lock()

    def _configure(self, conn: sqlite3.Connection) -> None:
        """Set up a new connection (its pragmas)."""
        conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
        if self.path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")

    def _connect(self) -> sqlite3.Connection:
        self._refuse_closed()
        conn = sqlite3.connect(
            self.path,
            timeout=self.timeout,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )
        self._configure(conn)
        with self._all_lock:
            self._all.add(conn)
        return conn

    def _connection(self) -> sqlite3.Connection:
        # a connection made before a fork belongs to the parent: the child opens its own
        pid = os.getpid()
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != pid:
            conn = self._connect()
            self._local.conn, self._local.pid = conn, pid
        return conn

    def _refuse_closed(self) -> None:
        if self._closed:
            raise RuntimeError(f"{self.path}: this {self._kind} is closed")

    @contextlib.contextmanager
    def _transaction(
        self, *, write: bool, prepare: Callable[[sqlite3.Connection], None] | None = None
    ) -> Iterator[sqlite3.Connection]:
        """A transaction: ``BEGIN IMMEDIATE`` for writes, a consistent snapshot for reads.

        ``prepare`` runs on the connection before the transaction begins (a
        per-connection setting changed between transactions).
        """
        self._refuse_closed()
        lock = self._shared_lock or contextlib.nullcontext()
        with lock:
            conn = self._shared or self._connection()
            if prepare is not None:
                prepare(conn)
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Close every connection opened on this file (on any thread)."""
        self._closed = True
        with self._all_lock:
            conns = list(self._all)
            self._all.clear()
        for conn in conns:
            conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
