"""One process-wide pool of worker threads for the tasks that runs put on threads.

Runs hand their parallel and live tasks to this pool instead of each starting
(and joining) threads of its own. A job never waits for a busy worker: an idle
worker is woken for it, or a new one starts, so that a run whose nodes block
holds only the workers running them and never delays another run's jobs.
Workers are called one after another (a worker woken for a job wakes the next
while jobs still wait), so that blocking jobs all start while quick ones are
mostly taken by the few workers already awake; a worker hands a job's result
over (:meth:`Group.submit_then`) only once it is free again. A worker leaves
after :func:`idle_timeout` seconds without a job, so after a burst the thread
count returns to where it was.

A run gives its jobs a :class:`Group`, so that when it ends it can cancel those
still queued and wait for those still running without touching other runs'
jobs. A group's ``limit`` (a run's ``max_concurrency``) caps how many of its
jobs run at once; the others wait, in order, in the group.

:func:`set_max_workers` can cap the whole pool's workers (there is no cap by
default): jobs then wait for a busy worker, whichever run they belong to. A
worker that waits for jobs it queued itself (a graph running inside a node)
says so with :meth:`Group.block`: while it waits it does not count against the
cap, so nested graphs always find a worker.

After ``os.fork()`` the child starts with an empty pool.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import threading
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, Final, NamedTuple, TypeVar

__all__ = [
    "Group",
    "Lane",
    "PoolStats",
    "idle_timeout",
    "in_worker",
    "max_workers",
    "set_idle_timeout",
    "set_max_workers",
    "stats",
]

T = TypeVar("T")

_QUEUED: Final = 0
_RUNNING: Final = 1
_FINISHED: Final = 2
_CANCELLED: Final = 3

DEFAULT_IDLE_TIMEOUT: Final = 1.0
"""Seconds an idle worker waits for a job before it exits."""


class _Job:
    __slots__ = ("args", "ctx", "fn", "group", "state", "then")

    def __init__(
        self,
        group: Group,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        ctx: contextvars.Context,
        then: Callable[[Any], object] | None,
    ) -> None:
        self.group = group
        self.fn = fn
        self.args = args
        self.ctx = ctx
        self.then = then
        self.state = _QUEUED


class Group:
    """The jobs of one owner (a run): cancel the queued ones, wait for the running ones.

    Args:
        limit: the most of the group's jobs that run at once (``None``: no
            limit). Jobs beyond it wait in the group, in the order they were
            submitted, and start as the group's running jobs finish.

    Its counts change under the pool's lock; read outside it they are a
    snapshot.
    """

    __slots__ = ("_active", "_backlog", "_notify", "limit", "queued", "running")

    def __init__(self, limit: int | None = None) -> None:
        if limit is not None and limit < 1:
            raise ValueError("a group's limit must be at least 1")
        self.limit = limit
        self.queued: set[_Job] = set()
        """Jobs submitted and not yet started."""
        self.running = 0
        """How many of the group's jobs are running now."""
        self._active = 0
        """Jobs in the pool's queue or running: at most ``limit``."""
        self._backlog: deque[_Job] = deque()
        """Jobs the limit holds back, oldest first."""
        self._notify: Callable[[], object] | None = None

    def submit(self, fn: Callable[..., object], *args: Any) -> None:
        """Run ``fn(*args)`` on a worker, in a copy of the caller's context.

        ``fn`` reports its own result and errors (an exception that escapes it
        is passed to :func:`threading.excepthook`).
        """
        (_pool or _make_pool()).submit(self, fn, args, None)

    def submit_then(self, then: Callable[[T], object], fn: Callable[..., T], *args: Any) -> None:
        """Run ``fn(*args)`` on a worker, then ``then(result)`` once the worker is free.

        The worker has parked, or taken its next job, before ``then`` runs: work
        that the result sets off (the next superstep's jobs) finds it there
        instead of starting a thread. An exception escaping ``fn`` or ``then``
        is passed to :func:`threading.excepthook` (and ``then`` is not called).
        """
        (_pool or _make_pool()).submit(self, fn, args, then)

    @staticmethod
    def in_worker() -> bool:
        """Whether the calling thread is one of the pool's workers (see :meth:`block`)."""
        return getattr(_local, "worker", False) is True

    def submit_all_then(
        self, then: Callable[[T], object], fn: Callable[..., T], argss: Sequence[tuple[Any, ...]]
    ) -> None:
        """:meth:`submit_then` of ``fn(*args)`` for each ``args`` of ``argss``, in order.

        The jobs are queued at once, under one hold of the pool's lock, and
        one worker is called for them (it calls the next while jobs wait).
        """
        (_pool or _make_pool()).submit_all(self, fn, argss, then)

    def block(self) -> bool:
        """The calling thread starts waiting for the group's jobs.

        A worker that waits for jobs it queued (a graph running inside a node)
        does not count against :func:`max_workers` meanwhile, so that nested
        graphs always find a worker. Returns whether the caller is a worker:
        then call :meth:`unblock` when the wait is over.
        """
        if getattr(_local, "worker", False) is not True:
            return False
        _shared().block()
        return True

    def unblock(self) -> None:
        """The wait that :meth:`block` announced is over."""
        _shared().unblock()

    def cancel(self) -> int:
        """Cancel the group's jobs that have not started (they never will); how many.

        Jobs submitted afterwards run as usual.
        """
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
    """Jobs submitted and not yet started (cancelled ones excluded), held back by
    their group's limit or waiting for a worker."""


class _Worker:
    """A parked worker's wake-up call: the pool releases ``wake`` when there is work."""

    __slots__ = ("coming", "wake")

    def __init__(self) -> None:
        self.wake = threading.Lock()
        self.wake.acquire()  # held while the worker is parked
        self.coming = True
        """Woken (or started) for a job and not yet back at the queue."""


_local = threading.local()
_names = itertools.count(1)


class _Pool:
    __slots__ = (
        "_blocked",
        "_coming",
        "_idle",
        "_jobs",
        "_lock",
        "_queued",
        "_running",
        "_waiting",
        "_workers",
        "forked",
        "idle_timeout",
        "max_workers",
    )

    def __init__(self, max_workers: int | None, idle_timeout: float) -> None:
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
        self._queued = 0  # jobs not started: in the queue or held back by their group's limit
        self._waiting = 0  # jobs not started in the queue
        # workers woken or started for a job and not yet back at the queue: a job
        # queued while as many are on their way as jobs wait needs no other worker
        # (a worker done with its job may have taken the one another was woken for)
        self._coming = 0
        self._running = 0

    def submit(
        self,
        group: Group,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        then: Callable[[Any], object] | None,
    ) -> None:
        job = _Job(group, fn, args, contextvars.copy_context(), then)
        with self._lock:
            if not self._enqueue(job):
                return
            if self._coming or not self._call_worker():
                return  # a worker on its way calls the next one if more jobs wait
        self._start(job)

    def _enqueue(self, job: _Job) -> bool:
        """Queue ``job`` (the lock held): whether workers may take it now, or it waits in its
        group until one of the group's running jobs finishes."""
        group = job.group
        group.queued.add(job)
        self._queued += 1
        limit = group.limit
        if limit is not None and group._active >= limit:
            # one of the group's jobs that finishes hands its worker to this one
            group._backlog.append(job)
            return False
        group._active += 1
        self._waiting += 1
        self._jobs.append(job)
        return True

    def submit_all(
        self,
        group: Group,
        fn: Callable[..., Any],
        argss: Sequence[tuple[Any, ...]],
        then: Callable[[Any], object] | None,
    ) -> None:
        # submit() for each, the lock taken once: a superstep's tasks reach the workers
        # without contending with them for it job by job
        jobs = [_Job(group, fn, args, contextvars.copy_context(), then) for args in argss]
        start: _Job | None = None
        with self._lock:
            for job in jobs:
                if not self._enqueue(job):
                    continue
                if start is None and not self._coming and self._call_worker():
                    start = job
        if start is not None:
            try:
                self._start(start)
            except BaseException:
                # the jobs after it would wait for a worker that never comes
                self.cancel(group)
                raise

    def _call_worker(self) -> bool:
        """Wake an idle worker for a waiting job; whether a new one must start (under the lock).

        Every worker is busy, then: a job never waits for another run's jobs to
        finish, unless the pool is capped.
        """
        self._coming += 1
        if self._idle:
            worker = self._idle.pop()
            worker.coming = True
            worker.wake.release()
            return False
        cap = self.max_workers
        if cap is not None and self._workers - self._blocked >= cap:
            self._coming -= 1
            return False  # a busy worker takes the job when it is done
        self._workers += 1
        return True

    def _start(self, job: _Job | None, after: threading.Event | None = None) -> None:
        """Start a worker (counted already) for ``job``, or, from a worker, for the queue.

        A worker that cannot start fails the submit of the job it was for: that
        job is cancelled. Called from a worker, nothing fails: the calling worker
        takes the waiting jobs itself once its job is done. With ``after``, the new
        worker takes no job before that event is set.
        """
        thread = threading.Thread(
            target=self._work,
            args=(after,),
            name=f"flowc-worker-{next(_names)}",
            daemon=True,
        )
        try:
            thread.start()
        except BaseException:
            with self._lock:
                self._workers -= 1
                self._coming -= 1
                if job is None:
                    return
                # the job the thread was started for would wait for a worker forever
                if job.state == _QUEUED:
                    job.state = _CANCELLED
                    job.group.queued.discard(job)
                    job.group._active -= 1
                    self._queued -= 1
                    self._waiting -= 1
            raise

    def _work(self, after: threading.Event | None = None) -> None:
        _local.worker = True
        if after is not None:
            after.wait()
        lock = self._lock
        jobs = self._jobs
        idle = self._idle
        me = _Worker()
        job: _Job | None = None
        group: Group | None = None
        then: Callable[[Any], object] | None = None
        result: Any = None
        while True:
            notify = None
            start = False
            with lock:
                arrived = me.coming
                if arrived:
                    me.coming = False
                    self._coming -= 1
                if job is not None and group is not None:  # the job just run
                    job.state = _FINISHED
                    group.running -= 1
                    group._active -= 1
                    self._running -= 1
                    if group._backlog:
                        # the group's next job takes the finished one's place, at the back
                        # of the queue: this worker is there for it
                        group._active += 1
                        self._waiting += 1
                        jobs.append(group._backlog.popleft())
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
                        self._waiting -= 1
                        self._running += 1
                        break
                    job = None  # cancelled: dropped
                if job is None:
                    idle.append(me)
                elif arrived and self._waiting > self._coming:
                    # a worker just woken for a job calls the next one while jobs still
                    # wait: a superstep's blocking tasks all start, one wake-up after
                    # another, while quick ones are taken by the few workers awake
                    start = self._call_worker()
            if start:
                # the new worker waits while this one goes on to its job, so that a
                # superstep's tasks start in the order they were submitted (a new thread
                # would otherwise take the next job before this one runs the one it took)
                follower = threading.Event()
                self._start(None, follower)
                follower.set()
            if notify is not None:
                notify()
            if then is not None:
                try:
                    then(result)
                except BaseException as exc:  # a bug in the caller's callback
                    _report(exc)
                then = result = None
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
            then = job.then
            try:
                result = job.ctx.run(job.fn, *job.args)
            except BaseException as exc:  # a job reports its own errors; this is a bug
                then = None
                _report(exc)

    def cancel(self, group: Group) -> int:
        # cancelled jobs stay in the queue, where workers drop them
        with self._lock:
            cancelled = group.queued
            for job in cancelled:
                job.state = _CANCELLED
            count = len(cancelled)
            held = len(group._backlog)
            group._backlog.clear()
            group._active -= count - held
            self._queued -= count
            self._waiting -= count - held
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
            # under a cap, a job may wait for the place this worker leaves (without
            # one, a worker is always on its way while jobs wait)
            if self._waiting > self._coming and self._call_worker():
                job = next(j for j in self._jobs if j.state == _QUEUED)
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
_max_workers: int | None = None
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


def max_workers() -> int | None:
    """The most workers that may run jobs at once (``None``, the default: no cap)."""
    return _max_workers


def set_max_workers(count: int | None) -> int | None:
    """Cap the workers that may run jobs at once (``None``: no cap); returns the previous cap.

    Under a cap, a job waits for a busy worker once the cap is reached, whichever
    run that worker serves: runs whose nodes block can then hold up other runs.
    The cap is checked when a worker would start: lowering it stops no worker.
    """
    global _max_workers
    if count is not None and count < 1:
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


# the lane is a worker of this pool's, kept for one caller (its own module: this one's size)
from ._lane import Lane  # noqa: E402
