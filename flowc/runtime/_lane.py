"""A worker of the pool kept for one caller's jobs, run one after another (:class:`Lane`).

Re-exported by :mod:`.pool`, whose module globals (the cap, the idle timeout) it reads.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Lane"]


class Lane:
    """One worker kept for a caller's jobs, run one after another (a run's live lone steps).

    A stream whose lone node must run on a thread hands it one job a step.
    Through a :class:`Group`, each job wakes a parked worker and hands its
    result over once that worker has parked again; a lane's worker instead
    waits for the next job right where it is, which halves the cost of a
    step's hand-over. The worker is one of the pool's (so nothing is started
    per run) and goes back to the pool after :func:`idle_timeout` seconds
    without a job, or at :meth:`close`.
    """

    __slots__ = ("_group", "_jobs", "_lock", "_serving")

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[
            tuple[contextvars.Context, Callable[..., object], tuple[Any, ...]] | None
        ] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._serving = False
        self._group = _pool.Group()

    def submit(self, fn: Callable[..., object], *args: Any) -> None:
        """Run ``fn(*args)`` on the lane's worker, in a copy of the caller's context.

        ``fn`` reports its own result and errors, as with :meth:`Group.submit`.
        """
        job = (contextvars.copy_context(), fn, args)
        with self._lock:
            self._jobs.put(job)
            if self._serving:
                return
            self._serving = True
        self._group.submit(self._serve)

    def close(self, wait: bool = True) -> None:
        """Let the worker go once its job (if any) is done; with ``wait``, until then."""
        with self._lock:
            if self._serving:
                self._jobs.put(None)
        self._group.cancel()
        if wait:
            self._group.wait()

    def _serve(self) -> None:
        jobs = self._jobs
        while True:
            # waiting here, the worker counts against no cap (as one waiting on its own jobs)
            capped = _pool._max_workers is not None
            if capped:
                _pool._shared().block()
            try:
                job = jobs.get(timeout=_pool._idle_timeout)
            except queue.Empty:
                job = None
                with self._lock:
                    if not jobs.empty():
                        continue
                    self._serving = False
                return
            finally:
                if capped:
                    _pool._shared().unblock()
            if job is None:
                with self._lock:
                    self._serving = False
                return
            ctx, fn, args = job
            try:
                ctx.run(fn, *args)
            except BaseException as exc:  # a job reports its own errors; this is a bug
                _pool._report(exc)


# after Lane: the pool imports this module at its end, whichever of the two comes first
from . import pool as _pool  # noqa: E402
