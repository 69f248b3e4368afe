"""The SQLite saver's writer: a run's checkpoints and writes, stored in batches off its steps.

A run on a thread tells the saver its durability. Under ``"async"`` and
``"exit"`` a ``put`` or ``put_writes`` encodes its rows in the run's own
thread (so a value that cannot be stored fails there, naming the field) and
hands them to this writer, which stores everything queued meanwhile in one
transaction, in the order it was queued: a task's writes always reach the
file before the checkpoint that applies them, so a ``kill -9`` at any instant
leaves a file that loses only the latest steps, never one that has a
checkpoint without the writes before it. Under ``"sync"`` a task's writes
wait in the queue for the step's checkpoint, and that ``put`` returns once
the batch holding both has committed: one transaction per step, durable
before the next step starts.

Everything else the saver does (reads, deletes, a write from outside a run)
first waits until the queue is empty, so a saver always reads what it was
given. The thread exits when it has had nothing to do for a moment (a saver
that is not used keeps no thread), and an error of a batch is raised by the
next call that waits or queues.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Final

Rows = tuple[tuple[str, list[tuple[Any, ...]]], ...]
"""Statements and the rows each inserts: what most queued calls store."""
Op = Callable[[Any], None] | Rows
"""What a queued call does with the writer's connection, inside the batch's transaction: a
function of it, or rows. A batch's rows go in with one ``executemany`` per statement (rows of
one statement in the order queued), before the next function of the batch runs."""

_IDLE: Final = 0.5
"""Seconds the thread waits for more work before it exits."""

_RELAXED: Final = {"configurable": {"__pregel_durability": "async"}}
"""The config of a batch of ``"async"`` / ``"exit"`` writes only (it may commit without a sync)."""


def insert(conn: Any, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """Run each statement of ``rows`` over its rows, and forget them."""
    for statement, args in rows.items():
        if args:
            conn.executemany(statement, args)
    rows.clear()


class Writer:
    """A queue of writes and the thread that stores them (see the module's docstring).

    Args:
        session: the saver's write transaction: ``session(write=True, config=...)``.
        failed: called (on the writer's thread) when a batch could not be stored.
    """

    def __init__(
        self,
        session: Callable[..., AbstractContextManager[Any]],
        failed: Callable[[], None],
    ) -> None:
        self._session = session
        self._failed = failed
        self._cond = threading.Condition()
        self._ops: list[tuple[Op, bool]] = []
        self._queued = 0
        """How many calls were ever queued (a call's ticket is the count after it)."""
        self._stored = 0
        """How many of them were written (or failed with their batch)."""
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._idle = False
        """Whether the thread waits for work (a queued call then wakes it)."""
        self._pid = os.getpid()

    def queue(self, op: Op, *, relaxed: bool) -> int:
        """Queue ``op``; its ticket. ``relaxed``: it may commit without waiting for the disk."""
        with self._cond:
            self._raise()
            if self._pid != os.getpid():
                # a forked child: the parent's queue and thread are not this process's
                self._ops, self._queued, self._stored, self._thread = [], 0, 0, None
                self._pid = os.getpid()
            self._ops.append((op, relaxed))
            self._queued += 1
            ticket = self._queued
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="flowc-sqlite-writer", daemon=True
                )
                self._thread.start()
            elif self._idle:
                # the thread waits for work (else it takes this with what it takes next)
                self._cond.notify_all()
        return ticket

    def wait(self, ticket: int | None = None) -> None:
        """Wait until the call of ``ticket`` (every queued call, without one) is stored.

        Raises:
            BaseException: what a batch that could not be stored raised.
        """
        with self._cond:
            if self._pid == os.getpid():
                upto = self._queued if ticket is None else ticket
                while self._stored < upto:
                    self._cond.wait()
            self._raise()

    def _raise(self) -> None:
        error = self._error
        if error is not None:
            self._error = None
            raise error

    def _batches(self) -> Iterator[list[tuple[Op, bool]]]:
        while True:
            with self._cond:
                while not self._ops:
                    self._idle = True
                    woken = self._cond.wait(_IDLE)
                    self._idle = False
                    if not woken and not self._ops:
                        self._thread = None
                        return
                batch, self._ops = self._ops, []
            yield batch

    def _run(self) -> None:
        for batch in self._batches():
            error: BaseException | None = None
            try:
                relaxed = all(relaxed for _, relaxed in batch)
                with self._session(write=True, config=_RELAXED if relaxed else None) as conn:
                    rows: dict[str, list[tuple[Any, ...]]] = {}
                    for op, _ in batch:
                        if isinstance(op, tuple):
                            for statement, args in op:
                                rows.setdefault(statement, []).extend(args)
                            continue
                        insert(conn, rows)
                        op(conn)
                    insert(conn, rows)
            except BaseException as exc:  # handed to the run that waits
                error = exc
                self._failed()
            with self._cond:
                self._stored += len(batch)
                if error is not None and self._error is None:
                    self._error = error
                self._cond.notify_all()
