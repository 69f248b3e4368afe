"""One process-wide pool of worker threads for the tasks that runs put on threads.

Runs hand their parallel and live tasks to this pool instead of each starting
(and joining) threads of its own: a thread is started only when a job is queued
and no worker is idle, up to :func:`max_workers`, and a worker leaves after
:func:`idle_timeout` seconds without a job. A run gives its jobs a
:class:`Group`, so that when it ends it can cancel those still queued and wait
for those still running without touching other runs' jobs.

A worker that waits for jobs it queued itself (a graph running inside a node)
says so with :meth:`Group.block`: while it waits it does not count against the
maximum, so nested graphs always find a worker.

After ``os.fork()`` the child starts with an empty pool.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Final, NamedTuple

__all__ = [
    "Group",
    "PoolStats",
    "idle_timeout",
    "in_worker",
    "max_workers",
    "set_idle_timeout",
    "set_max_workers",
    "stats",
]

_QUEUED: Final = 0
_RUNNING: Final = 1
_FINISHED: Final = 2
_CANCELLED: Final = 3

DEFAULT_IDLE_TIMEOUT: Final = 1.0
"""Seconds an idle worker waits for a job before it exits."""


def _default_max_workers() -> int:
    # as concurrent.futures.ThreadPoolExecutor
    return min(32, (os.cpu_count() or 1) + 4)


class _Job:
    __slots__ = ("args", "ctx", "fn", "group", "state")

    def __init__(
        self,
        group: Group,
        fn: Callable[..., object],
        args: tuple[Any, ...],
        ctx: contextvars.Context,
    ) -> None:
        self.group = group
        self.fn = fn
        self.args = args
        self.ctx = ctx
        self.state = _QUEUED


class Group:
    """The jobs of one owner (a run): cancel the queued ones, wait for the running ones.

    Its counts change under the pool's lock; read outside it they are a
    snapshot.
    """

    __slots__ = ("_notify", "queued", "running")

    def __init__(self) -> None:
        self.queued: set[_Job] = set()
        """Jobs submitted and not yet started."""
        self.running = 0
        """How many of the group's jobs are running now."""
        self._notify: Callable[[], object] | None = None

    def submit(self, fn: Callable[..., object], *args: Any) -> None:
        """Run ``fn(*args)`` on a worker, in a copy of the caller's context.

        ``fn`` reports its own result and errors (an exception that escapes it
        is passed to :func:`threading.excepthook`).
        """
        (_pool or _make_pool()).submit(self, fn, args)

    def block(self) -> bool:
        """The calling thread starts waiting for the group's jobs.

        A worker that waits for jobs it queued (a graph running inside a node)
        does not count against the maximum meanwhile, so that nested graphs
        always find a worker. Returns whether the caller is a worker: then call
        :meth:`unblock` when the wait is over.
        """
        if getattr(_local, "worker", False) is not True:
            return False
        _shared().block()
        return True

    def unblock(self) -> None:
        """The wait that :meth:`block` announced is over."""
        _shared().unblock()

    def cancel(self) -> int:
        """Cancel the group's jobs that have not started (they never will); how many."""
        return _shared().cancel(self)

    def on_idle(self, notify: Callable[[], object]) -> bool:
        """Have ``notify()`` called (by a worker) once no job of the group is running.

        Returns ``False``, and never calls ``notify``, if none is running now.
        """
        return _shared().on_idle(self, notify)

    def wait(self) -> None:
        """Block until no job of the group is running."""
        waiter = threading.Lock()
        waiter.acquire()
        if self.on_idle(waiter.release):
            waiter.acquire()


class PoolStats(NamedTuple):
    """What the pool is doing, at one moment (a named tuple: dataclasses cost import time)."""

    workers: int
    """Worker threads alive (idle ones included)."""
    idle: int
    """Workers waiting for a job."""
    running: int
    """Jobs running."""
    queued: int
    """Jobs submitted and not yet started (cancelled ones excluded)."""


class _Worker:
    """A parked worker's wake-up call: the pool releases ``wake`` when there is work."""

    __slots__ = ("wake",)

    def __init__(self) -> None:
        self.wake = threading.Lock()
        self.wake.acquire()  # held while the worker is parked


_local = threading.local()
_names = itertools.count(1)


class _Pool:
    __slots__ = (
        "_blocked",
        "_idle",
        "_jobs",
        "_lock",
        "_queued",
        "_running",
        "_workers",
        "forked",
        "idle_timeout",
        "max_workers",
    )

    def __init__(self, max_workers: int, idle_timeout: float) -> None:
        self.max_workers = max_workers
        self.idle_timeout = idle_timeout
        self.forked = False
        """Set in a forked child: this pool's threads do not exist there."""
        self._lock = threading.Lock()
        # one queue: jobs start in the order they were submitted, whichever worker takes them
        self._jobs: deque[_Job] = deque()
        # parked workers, the most recently parked last: it is woken first, so that
        # workers that a lighter load no longer needs stay parked and exit
        self._idle: list[_Worker] = []
        self._workers = 0
        self._blocked = 0  # workers waiting for jobs they queued (not counted against the max)
        self._queued = 0
        self._running = 0

    def submit(self, group: Group, fn: Callable[..., object], args: tuple[Any, ...]) -> None:
        job = _Job(group, fn, args, contextvars.copy_context())
        with self._lock:
            group.queued.add(job)
            self._queued += 1
            self._jobs.append(job)
            if self._idle:
                self._idle.pop().wake.release()
                return
            if self._workers - self._blocked >= self.max_workers:
                return  # a busy worker takes it when it is done
            self._workers += 1
        self._start(job)

    def _start(self, job: _Job) -> None:
        thread = threading.Thread(
            target=self._work, name=f"flowc-worker-{next(_names)}", daemon=True
        )
        try:
            thread.start()
        except BaseException:
            # the job the thread was started for would wait for a worker forever
            with self._lock:
                self._workers -= 1
                if job.state == _QUEUED:
                    job.state = _CANCELLED
                    job.group.queued.discard(job)
                    self._queued -= 1
            raise

    def _work(self) -> None:
        _local.worker = True
        lock = self._lock
        jobs = self._jobs
        idle = self._idle
        me = _Worker()
        job: _Job | None = None
        group: Group | None = None
        while True:
            notify = None
            with lock:
                if job is not None and group is not None:  # the job just run
                    job.state = _FINISHED
                    group.running -= 1
                    self._running -= 1
                    if not group.running:
                        notify = group._notify
                        group._notify = None
                job = group = None
                while jobs:
                    job = jobs.popleft()
                    if job.state == _QUEUED:
                        job.state = _RUNNING
                        group = job.group
                        group.queued.discard(job)
                        group.running += 1
                        self._queued -= 1
                        self._running += 1
                        break
                    job = None  # cancelled: dropped
                if job is None:
                    idle.append(me)
            if notify is not None:
                notify()
            if self.forked:
                return
            if job is None:
                # parked until woken for a job or the idle timeout passes
                if not me.wake.acquire(timeout=self.idle_timeout):
                    with lock:
                        if me in idle:
                            idle.remove(me)
                            self._workers -= 1
                            return
                    # woken just as the wait timed out
                    me.wake.acquire()
                continue
            try:
                job.ctx.run(job.fn, *job.args)
            except BaseException as exc:  # a job reports its own errors; this is a bug
                _report(exc)

    def cancel(self, group: Group) -> int:
        # cancelled jobs stay in the queue, where workers drop them
        with self._lock:
            cancelled = group.queued
            for job in cancelled:
                job.state = _CANCELLED
            count = len(cancelled)
            self._queued -= count
            cancelled.clear()
        return count

    def on_idle(self, group: Group, notify: Callable[[], object]) -> bool:
        with self._lock:
            if not group.running:
                return False
            group._notify = notify
            return True

    def block(self) -> None:
        job = None
        with self._lock:
            self._blocked += 1
            if self._queued and not self._idle and self._workers - self._blocked < self.max_workers:
                job = next(j for j in self._jobs if j.state == _QUEUED)
                self._workers += 1
        if job is not None:
            self._start(job)

    def unblock(self) -> None:
        with self._lock:
            self._blocked -= 1

    def rewait(self) -> None:
        # parked workers start a new wait, so that a changed idle timeout applies now
        with self._lock:
            for worker in self._idle:
                worker.wake.release()
            self._idle.clear()

    def stats(self) -> PoolStats:
        with self._lock:
            return PoolStats(self._workers, len(self._idle), self._running, self._queued)


def _report(exc: BaseException) -> None:
    threading.excepthook(
        threading.ExceptHookArgs((type(exc), exc, exc.__traceback__, threading.current_thread()))
    )


_pool: _Pool | None = None
_pool_lock = threading.Lock()
_max_workers = _default_max_workers()
_idle_timeout = DEFAULT_IDLE_TIMEOUT


def _shared() -> _Pool:
    pool = _pool
    if pool is None:
        pool = _make_pool()
    return pool


def _make_pool() -> _Pool:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = _Pool(_max_workers, _idle_timeout)
        return _pool


def in_worker() -> bool:
    """Whether the calling thread is one of the pool's workers."""
    return getattr(_local, "worker", False) is True


def stats() -> PoolStats:
    """The pool's workers and jobs now (all zero before its first job)."""
    pool = _pool
    return PoolStats(0, 0, 0, 0) if pool is None else pool.stats()


def max_workers() -> int:
    """The most workers that may run jobs at once."""
    return _max_workers


def set_max_workers(count: int) -> int:
    """Change the most workers that may run jobs at once; returns the previous value.

    The maximum is checked when a worker would start: lowering it stops no worker.
    """
    global _max_workers
    if count < 1:
        raise ValueError("max_workers must be at least 1")
    previous, _max_workers = _max_workers, count
    if _pool is not None:
        _pool.max_workers = count
    return previous


def idle_timeout() -> float:
    """Seconds an idle worker waits for a job before it exits."""
    return _idle_timeout


def set_idle_timeout(seconds: float) -> float:
    """Change how long idle workers wait before they exit; returns the previous value.

    Workers idle now start their wait again with the new timeout.
    """
    global _idle_timeout
    if seconds <= 0:
        raise ValueError("idle_timeout must be positive")
    previous, _idle_timeout = _idle_timeout, seconds
    if _pool is not None:
        _pool.idle_timeout = seconds
        _pool.rewait()
    return previous


def _forget_in_child() -> None:
    # the parent's workers do not exist in a forked child, and its locks may be held
    global _pool, _pool_lock
    if _pool is not None:
        _pool.forked = True
    _pool = None
    _pool_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
