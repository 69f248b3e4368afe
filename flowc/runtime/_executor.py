"""Running a superstep's tasks on the worker pool or as asyncio tasks, streaming their events.

:class:`Executor` is the part of a run (:class:`~.run.Run`) that runs tasks:
:meth:`Executor.run_threads` for a sync run, :meth:`Executor.run_async` for an
async one; each yields the tasks' events as they happen and a :class:`Done`
per finished task.
"""

from __future__ import annotations

import contextvars
import queue
import sys
from collections.abc import (
    AsyncIterator,
    Callable,
    Iterator,
    Sequence,
)
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from . import hooks as _hooks
from .config import Config
from .errors import node_failure
from .events import (
    Event,
)

# asyncio, hashlib, uuid and the worker pool are imported where they are
# used: together they would double what importing a generated module costs,
# and a sync run of a graph without parallel steps needs none of them.
if TYPE_CHECKING:
    import asyncio

    from .pool import Group, Lane

from ._task import Task, _current

if TYPE_CHECKING:
    pass


_NO_FUTURES: Final[list[Any]] = []
"""A run's asyncio tasks until it has some of its own (never written to)."""


class Executor:
    """What a run needs to run tasks: its worker group, its lane, its asyncio tasks."""

    __slots__ = ("_jobs", "_lane", "_pending")

    hooks: _hooks.RunHooks | None
    """What an integration does around the run's tasks (a :class:`~.run.Run` sets it)."""

    _jobs: Group | None
    _lane: Lane | None
    _pending: list[asyncio.Future[Any]]
    config: Config
    parent: Task | None

    def _group(self) -> Group:
        group = self._jobs
        if group is None:
            # the pool is imported by the first run that puts a task on a thread
            from .pool import Group

            group = self._jobs = Group(_max_concurrency(self))
        return group

    def run_threads(
        self,
        jobs: Sequence[tuple[Task, Callable[..., Any], tuple[Any, ...]]],
        timeout: float | None = None,
        more: list[tuple[Task, Callable[..., Any], tuple[Any, ...]]] | None = None,
    ) -> Iterator[Event | Done]:
        """Run tasks on the worker pool; yield their events live and a :class:`Done` per task.

        All of them run at once, each on a worker of its own, unless the run's
        ``max_concurrency`` is lower: then the rest start, in order, as others
        finish. Items come in the order they happen, so ``Done`` markers arrive
        in completion order. With a ``timeout`` (seconds), tasks not done by
        then raise ``TimeoutError("Timed out")`` (LangGraph's ``step_timeout``).
        Jobs the consumer puts in ``more`` meanwhile (when it takes a ``Done``)
        start at once and are waited for too.
        """
        inbox: queue.SimpleQueue[Event | Done] = queue.SimpleQueue()
        get = inbox.get if timeout is None else _until(inbox, timeout)
        put = inbox.put
        group = self._group()
        submit = group.submit_then
        if len(jobs) == 1:
            # a lone task (one that streams live): on the worker the run keeps for them
            lane = self._lane
            if lane is None:
                from .pool import Lane

                lane = self._lane = Lane()
            task, fn, args = jobs[0]
            task.emit = put
            lane.submit(_work_then, put, task, fn, args)
        else:
            for job in jobs:
                job[0].emit = put
            # each job is _work's arguments: the task, its body, the body's arguments
            group.submit_all_then(put, _work, jobs)
        pending = len(jobs)
        # a worker waiting for the tasks it queued (a graph run inside a node) lets
        # another worker start meanwhile, so that nested graphs never run out of workers
        on_worker = group.in_worker()
        while pending:
            if on_worker:
                group.block()
                try:
                    item = get()
                finally:
                    group.unblock()
            else:
                item = get()
            if type(item) is Done:
                pending -= 1
                yield item
                if more:
                    for task, fn, args in more:
                        task.emit = put
                        submit(put, _work, task, fn, args)
                    pending += len(more)
                    more.clear()
                continue
            yield item

    async def run_async(
        self,
        jobs: Sequence[tuple[Task, Callable[..., Any], tuple[Any, ...], bool]],
        timeout: float | None = None,
        more: list[tuple[Task, Callable[..., Any], tuple[Any, ...], bool]] | None = None,
    ) -> AsyncIterator[Event | Done]:
        """Run tasks as asyncio tasks (async nodes) or on the worker pool (sync nodes).

        Yields their events live and a :class:`Done` per task in completion
        order. All of them run at once unless the run's ``max_concurrency`` is
        lower: then the rest start, in order, as others finish (async and sync
        tasks count alike). Unfinished tasks stay registered on the run:
        :meth:`aclose` cancels and awaits them if the consumer stops early, so
        that their ``finally`` blocks have run. With a ``timeout`` (seconds),
        tasks not done by then raise ``TimeoutError()``, as LangGraph's
        ``step_timeout`` does in async runs. Jobs the consumer puts in ``more``
        meanwhile (when it takes a ``Done``) start at once and are waited for too.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        inbox: asyncio.Queue[Event | Done] = asyncio.Queue()
        started: list[asyncio.Future[None]] = []
        group: Group | None = None

        def threadsafe_put(item: Event | Done) -> None:
            try:
                loop.call_soon_threadsafe(inbox.put_nowait, item)
            except RuntimeError:  # the loop is closed: the run was left, nothing reads
                return

        hooks = self.hooks
        if hooks is not None:
            # traced tasks' runs start here, on the loop, in order (as LangGraph's start)
            for task, _, args, _ in jobs:
                await hooks.astart(task, args)
        limit = _max_concurrency(self) if len(jobs) > 1 else None
        gate = asyncio.Semaphore(limit) if limit is not None and limit < len(jobs) else None
        for task, fn, args, is_async in jobs:
            if gate is not None:
                # every task waits for a slot as LangGraph's gated tasks do: the
                # semaphore wakes them in order, and aclose() cancels those still waiting
                if is_async:
                    task.emit = inbox.put_nowait
                    gated = _agated(gate, task, fn, args, inbox.put_nowait)
                else:
                    task.emit = threadsafe_put
                    group = self._group()
                    gated = _athread(gate, group, task, fn, args, inbox.put_nowait)
                started.append(loop.create_task(gated, context=contextvars.copy_context()))
            elif is_async:
                task.emit = inbox.put_nowait
                started.append(
                    loop.create_task(
                        _awork(task, fn, args, inbox.put_nowait),
                        context=contextvars.copy_context(),
                    )
                )
            else:
                task.emit = threadsafe_put
                group = self._group()
                group.submit_then(threadsafe_put, _work, task, fn, args)
        if self._pending is _NO_FUTURES:
            self._pending = []
        self._pending.extend(started)
        pending = len(jobs)
        # an event loop on a worker (a node running a graph with asyncio.run) waits
        # for its sync tasks as run_threads does
        nested = group is not None and group.block()
        try:
            while pending:
                if deadline is None:
                    item = await inbox.get()
                else:
                    try:
                        item = await asyncio.wait_for(inbox.get(), max(0, deadline - loop.time()))
                    except TimeoutError:
                        raise TimeoutError() from None
                if type(item) is Done:
                    pending -= 1
                    yield item
                    if more:
                        for task, fn, args, is_async in more:
                            if is_async:
                                task.emit = inbox.put_nowait
                                work = _awork(task, fn, args, inbox.put_nowait)
                                started.append(
                                    loop.create_task(work, context=contextvars.copy_context())
                                )
                                self._pending.append(started[-1])
                            else:
                                task.emit = threadsafe_put
                                group = self._group()
                                group.submit_then(threadsafe_put, _work, task, fn, args)
                        pending += len(more)
                        more.clear()
                    continue
                yield item
        finally:
            if nested and group is not None:
                group.unblock()
        self._pending.clear()

    @property
    def settled(self) -> bool:
        """Whether the run has started no task that may still be queued or running."""
        return self._jobs is None and not self._pending

    async def aclose(self) -> None:
        """Stop the run's unfinished tasks and wait until none of them is running.

        Sync tasks still queued never start; asyncio tasks are cancelled and
        awaited; sync tasks already running on workers are waited for without
        blocking the event loop.
        """
        group = self._jobs
        if group is None and not self._pending:
            return
        if group is not None:
            group.cancel()
        pending, self._pending = self._pending, []
        for future in pending:
            future.cancel()
        import asyncio

        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        if group is None:
            return
        loop = asyncio.get_running_loop()
        idle: asyncio.Future[None] = loop.create_future()
        if not group.on_idle(partial(_resolve_soon, loop, idle)):
            return
        # a running node cannot be stopped: wait for it even if the waiting task is
        # cancelled again meanwhile, and let that cancellation through afterwards
        interrupted = False
        while True:
            try:
                await asyncio.shield(idle)
                break
            except asyncio.CancelledError:
                interrupted = True
        if interrupted:
            raise asyncio.CancelledError

    def close(self) -> None:
        """Cancel the run's queued tasks and wait until none of its tasks is running.

        On a thread that runs an event loop it does not wait: a sync stream
        closed there (by its consumer or by the garbage collector, at any
        ``gc.collect()``) must not freeze the loop. Its running tasks then finish
        on their workers, and their ``finally`` blocks run there.
        """
        group = self._jobs
        lane = self._lane
        if lane is not None:
            self._lane = None
            lane.close(wait=not _on_event_loop())
        if group is not None:
            group.cancel()
            if not _on_event_loop():
                group.wait()


def _until(inbox: queue.SimpleQueue[Any], timeout: float) -> Callable[[], Any]:
    """``inbox.get`` that raises ``TimeoutError("Timed out")`` once ``timeout`` seconds passed."""
    import time

    deadline = time.monotonic() + timeout

    def get() -> Any:
        try:
            return inbox.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError("Timed out") from None

    return get


def _max_concurrency(run: Executor) -> int | None:
    """The run's ``max_concurrency``: its config's, else that of the run it is nested in.

    LangGraph passes a run's config down to the graphs its nodes run, and each
    of those runs gets the same limit for its own tasks.

    Raises:
        ValueError: for a limit that is not a positive integer.
    """
    current: Executor | None = run
    while current is not None:
        limit = current.config.get("max_concurrency")
        if limit is not None:
            if type(limit) is not int or limit < 1:
                raise ValueError(f"max_concurrency must be a positive integer, not {limit!r}")
            return limit
        parent = current.parent
        current = None if parent is None else parent.run
    return None


def _on_event_loop() -> bool:
    # asyncio is not imported for a run that never needed it, and then no loop runs
    asyncio = sys.modules.get("asyncio")
    return asyncio is not None and asyncio._get_running_loop() is not None


def _resolve_soon(loop: asyncio.AbstractEventLoop, future: asyncio.Future[None]) -> None:
    # called on a worker: the future belongs to the loop's thread
    try:
        loop.call_soon_threadsafe(_resolve, future)
    except RuntimeError:  # the loop is closed: nothing waits any more
        return


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class Done:
    """A task finished: with ``result`` or with ``error``."""

    __slots__ = ("error", "result", "task")

    def __init__(self, task: Task, result: Any, error: BaseException | None) -> None:
        self.task = task
        self.result = result
        self.error = error


def _work_then(
    put: Callable[[Done], object], task: Task, fn: Callable[..., Any], args: tuple[Any, ...]
) -> None:
    put(_work(task, fn, args))


def _work(task: Task, fn: Callable[..., Any], args: tuple[Any, ...]) -> Done:
    # the pool hands the Done to the run once the worker is free (Group.submit_then)
    token = _current.set(task)
    try:
        result = _hooks.run_task(task, fn, args) if task.run.wraps else fn(task, *args)
    except BaseException as exc:
        # a worker thread runs no asyncio task: a CancelledError came from the node
        return Done(task, None, node_failure(task.name, exc, False))
    else:
        return Done(task, result, None)
    finally:
        _current.reset(token)


async def _agated(
    gate: asyncio.Semaphore,
    task: Task,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    put: Callable[[Any], None],
) -> None:
    async with gate:
        await _awork(task, fn, args, put)


async def _athread(
    gate: asyncio.Semaphore,
    group: Group,
    task: Task,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    put: Callable[[Any], None],
) -> None:
    # a sync task that holds a slot of the gate while it runs on a worker
    import asyncio

    async with gate:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Done] = loop.create_future()
        group.submit_then(partial(_deliver_soon, loop, done), _work, task, fn, args)
        put(await done)


def _deliver_soon(
    loop: asyncio.AbstractEventLoop, future: asyncio.Future[Done], item: Done
) -> None:
    # called on a worker with the task's Done
    try:
        loop.call_soon_threadsafe(_deliver, future, item)
    except RuntimeError:  # the loop is closed: nothing waits any more
        return


def _deliver(future: asyncio.Future[Done], item: Done) -> None:
    if not future.done():
        future.set_result(item)


async def _awork(
    task: Task, fn: Callable[..., Any], args: tuple[Any, ...], put: Callable[[Any], None]
) -> None:
    token = _current.set(task)
    try:
        if task.run.wraps:
            result = await _hooks.arun_task(task, fn, args)
        else:
            result = await fn(task, *args)
    except BaseException as exc:
        import asyncio

        failure = node_failure(task.name, exc, True)
        if failure is exc and isinstance(exc, asyncio.CancelledError):
            raise  # the run is cancelled: its tasks stop silently
        put(Done(task, None, failure))
    else:
        put(Done(task, result, None))
    finally:
        _current.reset(token)
