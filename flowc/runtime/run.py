"""Run and task context shared by generated runners.

A generated module owns its superstep loop; this module gives it the few
things every loop needs: the run's requested modes as flags, task objects
with lazily computed ids, the stream writer, the namespace context that lets a
graph called inside a node join its parent's stream, and the helpers that run
a superstep's tasks on threads or asyncio tasks while streaming their events
as they happen.
"""

from __future__ import annotations

import contextvars
import itertools
import queue
import sys
import threading
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterator,
    Mapping,
    Sequence,
)
from functools import partial
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypeVar

from . import messages as _messages
from .config import DEFAULT_RECURSION_LIMIT, Config, NodeConfig
from .control import as_send
from .errors import InvalidUpdateError
from .events import (
    CustomEvent,
    Event,
    Namespace,
    PendingTaskId,
    StreamMode,
    TaskId,
    iso_timestamp,
    pending_task_event,
    pending_task_result_event,
    stamped_debug_event,
)

# asyncio, hashlib, uuid and the worker pool are imported where they are
# used: together they would double what importing a generated module costs,
# and a sync run of a graph without parallel steps needs none of them.
if TYPE_CHECKING:
    import asyncio
    from hashlib import blake2b

    from .interrupts import Resumes
    from .pool import Group, Lane

__all__ = [
    "CURRENT_TASK",
    "MODES",
    "Done",
    "Run",
    "StreamWriter",
    "Task",
    "current_task",
    "get_config",
    "get_stream_writer",
    "parse_modes",
    "timestamp",
]

T = TypeVar("T")
C = TypeVar("C")
R = TypeVar("R")

StreamWriter: TypeAlias = Callable[[C], None]
"""What ``get_stream_writer()`` returns and what a ``writer`` parameter receives."""

MODES: Final[frozenset[str]] = frozenset(
    ("values", "updates", "custom", "messages", "tasks", "checkpoints", "debug")
)

_current: contextvars.ContextVar[Task | None] = contextvars.ContextVar(
    "flowc_current_task", default=None
)
_calls_lock = threading.Lock()
CURRENT_TASK: Final = _current
"""The context variable holding the running task; runners set it around inline calls."""


def current_task() -> Task | None:
    """The task running in this context, or ``None`` outside a run.

    Runners set the context variable once for the inline task they reuse and
    mark that task active only while its node runs, instead of setting and
    resetting the variable around every node. Between two of a run's steps the
    variable may still hold its task, inactive: the code running then is the
    run's consumer, which runs in the run's parent task (or in no task).
    """
    task = _current.get()
    while task is not None and not task.active:
        task = task.run.parent
    return task


def _noop_writer(_: Any) -> None:
    return None


def get_stream_writer() -> StreamWriter[Any]:
    """The stream writer of the task running in this context.

    Calls to it become ``custom`` events of the run; when the run did not ask
    for ``custom``, it does nothing.

    Raises:
        RuntimeError: when called outside a flowc run.
    """
    task = current_task()
    if task is None:
        raise RuntimeError("get_stream_writer() was called outside a running flowc graph")
    return task.writer


def get_config() -> NodeConfig:
    """The config of the task running in this context (as a ``config`` parameter gets it)."""
    task = current_task()
    if task is None:
        raise RuntimeError("get_config() was called outside a running flowc graph")
    return task.node_config()


def timestamp() -> str:
    """Now, as LangGraph writes debug timestamps (UTC, ISO 8601, ``+00:00``)."""
    return iso_timestamp((_now or _load_now())())


_now: Callable[[], int] | None = None
_blake2b: type[blake2b] | None = None


def _load_now() -> Callable[[], int]:
    # the clock of debug events: time.time_ns (their ISO text is made when first read)
    global _now
    from time import time_ns

    _now = time_ns
    return time_ns


def _load_blake2b() -> type[blake2b]:
    # hashlib, which loads OpenSSL, is imported the first time a run needs a task id
    global _blake2b
    from hashlib import blake2b

    _blake2b = blake2b
    return blake2b


_MASK64: Final = (1 << 64) - 1
_STEP_MIX: Final = 0x9E3779B97F4A7C15
"""An odd 64-bit constant: ``step * _STEP_MIX`` differs for every step (mod 2**64)."""
_id_suffixes: dict[tuple[str, str], str] = {}
"""The last two groups of the task ids of a run id and namespace."""
_node_keys: dict[str, int] = {}
"""A 64-bit hash of each node name."""


def _id_suffix(run_id: str, checkpoint_ns: str) -> str:
    if len(_id_suffixes) >= 1024:  # many runs without a fixed id: forget the old ones
        _id_suffixes.clear()
    key = f"{run_id}|{checkpoint_ns}".encode()
    h = (_blake2b or _load_blake2b())(key, digest_size=8).hexdigest()
    suffix = _id_suffixes[run_id, checkpoint_ns] = f"-{h[:4]}-{h[4:]}"
    return suffix


def _node_key(name: str) -> int:
    if len(_node_keys) >= 4096:
        _node_keys.clear()
    digest = (_blake2b or _load_blake2b())(name.encode(), digest_size=8).digest()
    key = _node_keys[name] = int.from_bytes(digest)
    return key


_ONE_MODE: Final[dict[str, frozenset[str]]] = {mode: frozenset((mode,)) for mode in MODES}


def parse_modes(stream_mode: StreamMode | Sequence[StreamMode]) -> frozenset[str]:
    """The set of modes named by a ``stream_mode`` argument, validated.

    ``None`` means the default, ``updates``, as in LangGraph.
    """
    if stream_mode is None:
        return _ONE_MODE["updates"]
    if isinstance(stream_mode, str):
        # the common call names one mode: its set is made once, at import
        one = _ONE_MODE.get(stream_mode)
        if one is not None:
            return one
        modes = frozenset((stream_mode,))
    else:
        modes = frozenset(stream_mode)
    unknown = modes - MODES
    if unknown:
        raise ValueError(
            f"unknown stream mode {sorted(unknown)[0]!r}; expected one of {sorted(MODES)}"
        )
    return modes


def _mode_flags(modes: frozenset[str]) -> tuple[bool, bool, bool, bool, bool, bool]:
    """Whether ``modes`` has values, updates, custom, messages, tasks and debug."""
    return (
        "values" in modes,
        "updates" in modes,
        "custom" in modes,
        "messages" in modes,
        "tasks" in modes,
        "debug" in modes,
    )


_FLAGS: dict[frozenset[str], tuple[bool, bool, bool, bool, bool, bool]] = {}
"""The flags of each set of modes met so far (at most 128 sets)."""


class Run:
    """One run of one graph: its modes, config, namespace and resources."""

    __slots__ = (
        "_jobs",
        "_lane",
        "_pending",
        "_run_id",
        "checkpoint_ns",
        "config",
        "custom",
        "debug",
        "forward",
        "graph",
        "limit",
        "live",
        "local",
        "message_stream",
        "messages",
        "modes",
        "ns",
        "parent",
        "result",
        "subgraphs",
        "tags",
        "tasks",
        "thread",
        "updates",
        "user_metadata",
        "values",
    )

    def __init__(
        self,
        graph: str,
        local: frozenset[str],
        *,
        subgraphs: bool = False,
        config: Config | None = None,
        ns: Namespace = (),
        parent: Task | None = None,
        forward: frozenset[str] = frozenset(),
        default_limit: int = DEFAULT_RECURSION_LIMIT,
    ) -> None:
        cfg: Config = config if config is not None else {}
        self.graph = graph
        self.config = cfg
        self.local = local
        self.forward = forward
        self.parent = parent
        self.ns = ns
        self.checkpoint_ns = "|".join(ns) if ns else ""
        self.subgraphs = subgraphs
        modes = local | forward if forward else local
        self.modes = modes
        flags = _FLAGS.get(modes)
        if flags is None:
            flags = _FLAGS[modes] = _mode_flags(modes)
        self.values, self.updates, self.custom, self.messages, self.tasks, self.debug = flags
        # one set of streamed message ids per stream() call; a subgraph whose
        # messages go to its parent's stream shares its parent's
        self.message_stream: _messages.MessageStream | None = None
        if self.messages:
            if "messages" in local:
                self.message_stream = _messages.MessageStream()
            elif parent is not None:
                self.message_stream = parent.run.message_stream
        # tasks run on threads (not inline) when their events must stream as they happen
        self.live = self.custom or self.messages or subgraphs or bool(forward)
        self.tags: list[str]
        self.user_metadata: dict[str, Any]
        if config is None:
            limit = default_limit
            self.tags = []
            self.user_metadata = {}
            self._run_id = None
        else:
            limit = cfg.get("recursion_limit", default_limit)
            self.tags = list(cfg.get("tags", ()))
            self.user_metadata = dict(cfg.get("metadata", {}))
            rid = cfg.get("run_id")
            self._run_id = None if rid is None else str(rid)
        if type(limit) is not int:
            # LangGraph fails later with a bare comparison error ("3") or takes True for 1
            raise TypeError(f"recursion_limit must be an int, not {type(limit).__name__}")
        if limit < 1:
            raise ValueError("recursion_limit must be at least 1")
        self.limit = limit
        self._jobs: Group | None = None
        self._lane: Lane | None = None
        self._pending: list[asyncio.Future[Any]] = []
        self.result: dict[str, Any] | None = None
        """The final values, set by the runner when the run completes."""
        self.thread: Any = None
        """The run's thread (``._persist.Thread``) when it runs on one: its subgraphs' runs
        keep their checkpoints in it, under their own namespaces."""

    @classmethod
    def start(
        cls,
        graph: str,
        stream_mode: StreamMode | Sequence[StreamMode],
        subgraphs: bool,
        config: Config | None,
        default_limit: int = DEFAULT_RECURSION_LIMIT,
        stateful: bool = False,
    ) -> Run:
        """A run for a ``stream`` call, nested in the current task if there is one
        (``stateful``: see :meth:`nested`)."""
        local = parse_modes(stream_mode)
        parent = current_task()
        if parent is None:
            return cls(
                graph, local, subgraphs=subgraphs, config=config, default_limit=default_limit
            )
        return cls.nested(graph, parent, local, config, subgraphs=subgraphs, stateful=stateful)

    @classmethod
    def nested(
        cls,
        graph: str,
        parent: Task,
        local: frozenset[str] = frozenset(),
        config: Config | None = None,
        *,
        subgraphs: bool = False,
        stateful: bool = False,
    ) -> Run:
        """A run of a graph inside ``parent``'s task, joining the parent's stream.

        A ``stateful`` graph (LangGraph's ``compile(checkpointer=True)``) runs in
        the namespace of its node's name, without task ids, as LangGraph's: its
        checkpoints are found again by the next task of the node.

        ``local`` and ``subgraphs`` are what the code that started the nested run
        asked for (nothing, for a subgraph node). Every run above that streams
        subgraphs wants this run's events in its own modes too: those are
        *forwarded* to the parent task, at any depth. So with ``subgraphs=False``
        at the root nothing of a nested run reaches the root's stream.

        The nested run inherits the task's config as LangGraph passes a task's
        config down: recursion limit, run tags and metadata plus the node's own,
        configurable values; ``config`` overrides them key by key.
        """
        prun = parent.run
        forward = prun.forward | prun.local if prun.subgraphs else prun.forward
        metadata = dict(prun.user_metadata)
        if parent.metadata:
            metadata.update(parent.metadata)
        merged: Config = {
            "recursion_limit": prun.limit,
            "tags": [*prun.tags, *parent.tags],
            "metadata": metadata,
            "run_id": prun.run_id,
        }
        inherited = prun.config
        if "configurable" in inherited:
            merged["configurable"] = inherited["configurable"]
        if "callbacks" in inherited:
            merged["callbacks"] = inherited["callbacks"]
        if config:
            merged.update(config)
            # a node passing its own config on: its per-task keys describe the parent task
            merged["metadata"] = {
                key: value
                for key, value in merged.get("metadata", {}).items()
                if not key.startswith("langgraph_")
            }
        return cls(
            graph,
            local,
            subgraphs=subgraphs,
            config=merged,
            ns=(
                (*(segment.partition(":")[0] for segment in prun.ns), parent.name)
                if stateful
                else (*prun.ns, *parent.next_segments())
            ),
            parent=parent,
            forward=forward,
        )

    @property
    def run_id(self) -> str:
        """The run's id (from ``config["run_id"]``, else random, made on first use)."""
        rid = self._run_id
        if rid is None:
            import uuid

            rid = self._run_id = str(uuid.uuid4())
        return rid

    def task_id(self, step: int, name: str) -> TaskId:
        """A uuid-shaped id for ``name``'s task in ``step``, stable for a fixed run id.

        The first three groups add ``step`` times an odd constant to a hash of
        the node's name (made once per process), so that ids shortened to their
        first group still tell tasks apart; the last two hash the run id and the
        namespace (BLAKE2b, made once per run). So a node's tasks in
        different steps never share an id, and two nodes' tasks share one only
        if the hashes of their names differ by the constant times a difference
        of steps: for two given nodes, about one chance in 10**15 within the
        default recursion limit. Formatting an id this way costs a third of
        hashing every id whole.
        """
        run_id = self.run_id
        ns = self.checkpoint_ns
        suffix = _id_suffixes.get((run_id, ns)) or _id_suffix(run_id, ns)
        node = _node_keys.get(name)
        if node is None:
            node = _node_key(name)
        head = ((node + step * _STEP_MIX) & _MASK64).to_bytes(8).hex()
        return TaskId(f"{head[:8]}-{head[8:12]}-{head[12:]}{suffix}")

    def task_metadata(self, task: Task) -> dict[str, Any] | None:
        """The ``metadata`` of a task event: config metadata, node metadata, tags."""
        if not self.user_metadata and not task.metadata and not self.tags and not task.tags:
            return None
        meta = dict(self.user_metadata)
        if task.metadata:
            meta.update(task.metadata)
        if self.tags or task.tags:
            meta["tags"] = [*self.tags, *task.tags]
        return meta

    def task_starts(self, tasks: Sequence[Task], inputs: Sequence[Any]) -> list[Event]:
        """``tasks``/``debug`` events for a superstep's tasks, before any runs.

        A task's id goes into its events pending unless it was already made,
        and debug events get the clock's reading: both are made into text when
        first read (:func:`~flowc.runtime.events.pending_task_event`), so that
        a consumer that does not read them does not pay for them.
        """
        if len(tasks) != 1:
            return [
                event
                for task, inp in zip(tasks, inputs, strict=True)
                for event in self.task_starts((task,), (inp,))
            ]
        # one task: the steps that run inline, where these events cost most
        task = tasks[0]
        step = task.step
        name = task.name
        ns = self.ns
        event = pending_task_event(
            task.id_or_pending(),
            name,
            inputs[0],
            task.triggers,
            self.task_metadata(task)
            if self.user_metadata or self.tags or task.metadata or task.tags
            else None,
            step,
            ns,
        )
        if not self.debug:
            return [event]
        debug = stamped_debug_event(step, (_now or _load_now())(), event, ns)
        return [event, debug] if self.tasks else [debug]

    def task_result(
        self, task: Task, result: Any, error: BaseException | None
    ) -> tuple[Event, ...]:
        """``tasks``/``debug`` events for a finished (or failed) task."""
        ns = self.ns
        step = task.step
        event = pending_task_result_event(
            task.id_or_pending(),
            task.name,
            error,
            result if result else {},
            step,
            (),
            ns,
        )
        if not self.debug:
            return (event,)
        debug = stamped_debug_event(step, (_now or _load_now())(), event, ns)
        return (event, debug) if self.tasks else (debug,)

    def task_result_interrupted(self, task: Task, interrupts: tuple[Any, ...]) -> tuple[Event, ...]:
        """``tasks``/``debug`` events for a task that stopped at ``interrupts``."""
        ns = self.ns
        step = task.step
        event = pending_task_result_event(
            task.id_or_pending(), task.name, None, {}, step, interrupts, ns
        )
        if not self.debug:
            return (event,)
        debug = stamped_debug_event(step, (_now or _load_now())(), event, ns)
        return (event, debug) if self.tasks else (debug,)

    def split(self, events: Iterator[Event]) -> Iterator[Event]:
        """Pass a nested run's events on: forwarded ones to the parent, local ones out.

        Events of graphs nested deeper go out only if this run's caller asked for
        ``subgraphs``; forwarded events keep their full namespace either way.
        """
        parent = self.parent
        forward = self.forward
        local = self.local
        deep = self.subgraphs
        own = self.ns
        for event in events:
            if parent is not None and event.mode in forward:
                parent.emit(event)
            if event.mode in local and (deep or event.ns == own):
                yield event

    async def asplit(self, events: AsyncIterator[Event]) -> AsyncGenerator[Event, None]:
        """Async twin of :meth:`split`."""
        parent = self.parent
        forward = self.forward
        local = self.local
        deep = self.subgraphs
        own = self.ns
        async for event in events:
            if parent is not None and event.mode in forward:
                parent.emit(event)
            if event.mode in local and (deep or event.ns == own):
                yield event

    # -- running a superstep's tasks -------------------------------------------------

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
            for task, fn, args in jobs:
                task.emit = put
                submit(put, _work, task, fn, args)
        pending = len(jobs)
        while pending:
            # a worker waiting for the tasks it queued (a graph run inside a node) lets
            # another worker start meanwhile, so that nested graphs never run out of workers
            if group.block():
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
            loop.call_soon_threadsafe(inbox.put_nowait, item)

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


def _max_concurrency(run: Run) -> int | None:
    """The run's ``max_concurrency``: its config's, else that of the run it is nested in.

    LangGraph passes a run's config down to the graphs its nodes run, and each
    of those runs gets the same limit for its own tasks.

    Raises:
        ValueError: for a limit that is not a positive integer.
    """
    current: Run | None = run
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
        result = _messages.run_task(task, fn, args) if task.run.messages else fn(task, *args)
    except BaseException as exc:
        return Done(task, None, exc)
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
        if task.run.messages:
            result = await _messages.arun_task(task, fn, args)
        else:
            result = await fn(task, *args)
    except BaseException as exc:
        import asyncio

        if isinstance(exc, asyncio.CancelledError):
            raise
        put(Done(task, None, exc))
    else:
        put(Done(task, result, None))
    finally:
        _current.reset(token)


class Task:
    """One node running in one superstep of one run."""

    __slots__ = (
        "_calls_step",
        "_id",
        "_id_step",
        "_writer",
        "active",
        "calls",
        "emit",
        "metadata",
        "name",
        "resumes",
        "run",
        "step",
        "tags",
        "triggers",
    )

    def __init__(
        self,
        run: Run,
        name: str,
        step: int,
        triggers: tuple[str, ...],
        emit: Callable[[Event], None],
        metadata: dict[str, Any] | None = None,
        tags: tuple[str, ...] = (),
    ) -> None:
        self.run = run
        self.name = name
        self.step = step
        self.triggers = triggers
        self.emit = emit
        self.metadata = metadata
        self.tags = tags
        self.calls: itertools.count[int] | None = None
        self.active = True
        """Whether the node runs now (runners clear it between the steps of a reused task)."""
        self._calls_step = step
        self._id: TaskId | None = None
        self._id_step = step
        self._writer: StreamWriter[Any] | None = None
        self.resumes: Resumes | None = None
        """The task's answers to ``interrupt()`` (set on runs on a thread, else ``None``)."""

    # A runner reuses one task object for the inline steps of a run by assigning
    # ``step`` (and, for another node, ``name``, ``triggers``, ``metadata`` and
    # ``tags``): the id and the namespace count belong to a step, so a new step
    # makes them anew.

    def renew(self, step: int) -> None:
        """Make this task the same node's task of a later superstep (runners reuse inline tasks)."""
        self.step = step

    def pin_id(self, tid: TaskId) -> None:
        """Give this step's task the id ``tid`` (a ``Send`` task's, made from its index)."""
        self._id = tid
        self._id_step = self.step

    def id_or_pending(self) -> TaskId | PendingTaskId:
        """The id if this step's was made, else the run, step and node it is made from when read."""
        tid = self._id
        step = self.step
        return tid if tid is not None and self._id_step == step else (self.run, step, self.name)

    @property
    def id(self) -> TaskId:
        """The task's uuid-shaped id (computed on first use)."""
        tid = self._id
        step = self.step
        if tid is None or self._id_step != step:
            tid = self._id = self.run.task_id(step, self.name)
            self._id_step = step
        return tid

    @property
    def checkpoint_ns(self) -> str:
        """LangGraph's ``checkpoint_ns`` of this task: the run's, plus ``name:id``."""
        own = f"{self.name}:{self.id}"
        parent = self.run.checkpoint_ns
        return f"{parent}|{own}" if parent else own

    def next_segments(self) -> tuple[str, ...]:
        """Namespace segments for the next graph this task runs (``'1'``, ``'2'``... after the first)."""
        calls = self.calls
        step = self.step
        if calls is None or self._calls_step != step:
            with _calls_lock:
                calls = self.calls
                if calls is None or self._calls_step != step:
                    # next() on a count is atomic: threads a node starts may each run a graph
                    calls = self.calls = itertools.count()
                    self._calls_step = step
        n = next(calls)
        own = f"{self.name}:{self.id}"
        return (own,) if n == 0 else (own, str(n))

    @property
    def writer(self) -> StreamWriter[Any]:
        """This task's stream writer (a no-op unless the run streams ``custom``)."""
        writer = self._writer
        if writer is None:
            if self.run.custom:
                ns = self.run.ns

                def writer(chunk: Any, _task: Task = self, _ns: Namespace = ns) -> None:
                    _task.emit(CustomEvent(chunk, _ns))

            else:
                writer = _noop_writer
            self._writer = writer
        return writer

    def node_config(self) -> NodeConfig:
        """The config a node that declares a ``config`` parameter receives."""
        run = self.run
        # LangChain chat models read checkpoint_ns from here into their metadata
        configurable = dict(run.config.get("configurable", {}))
        configurable["checkpoint_ns"] = self.checkpoint_ns
        config: NodeConfig = {
            "tags": [*run.tags, *self.tags],
            "metadata": _messages.config_metadata(self),
            "recursion_limit": run.limit,
            "configurable": configurable,
        }
        if "callbacks" in run.config:
            config["callbacks"] = run.config["callbacks"]
        extras = _messages.config_extras() if run.messages else None
        if extras:
            config.update(extras)  # type: ignore[typeddict-item]
        return config


def enter(task: Task) -> contextvars.Token[Task | None]:
    """Make ``task`` the current task (for tasks run inline)."""
    return _current.set(task)


def leave(token: contextvars.Token[Task | None]) -> None:
    """Undo :func:`enter`."""
    _current.reset(token)


def failing(error: Exception) -> Iterator[Any]:
    """A stream that raises ``error`` when it is first asked for an event.

    A runner starts a run when ``stream()`` is called, and hands back its
    superstep loop itself; arguments it refuses raise here instead, on the
    first ``next()``, as they do in LangGraph.
    """
    yield from ()
    raise error


async def afailing(error: Exception) -> AsyncGenerator[Any, None]:
    """Async twin of :func:`failing`: raises ``error`` on the first ``anext()``."""
    nothing: tuple[Any, ...] = ()
    for item in nothing:
        yield item
    raise error


def drain(events: Generator[T, None, R], sink: Callable[[T], None]) -> R:
    """Send every item of ``events`` to ``sink``; return what the generator returns."""
    while True:
        try:
            item = next(events)
        except StopIteration as stop:
            result: R = stop.value
            return result
        sink(item)


async def adrain(events: AsyncIterator[T], sink: Callable[[T], None]) -> None:
    """Async twin of :func:`drain`."""
    async for item in events:
        sink(item)


def ignore(_: Any) -> None:
    """An ``emit`` that drops events (a task's placeholder until it is scheduled)."""
    return None


def default_mode() -> StreamMode:
    """LangGraph's default ``stream_mode``: ``values`` inside a running task, else ``updates``."""
    return "values" if current_task() is not None else "updates"


_MISSING: Final = object()


def shared_input(state: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """The keys of a dataclass or pydantic state that a subgraph node passes to its graph.

    LangGraph reads them from the instance the node receives: every field of a
    dataclass; of a pydantic model, the fields that are not ``None`` unless set
    or defaulted to something else.
    """
    fields_set = getattr(state, "model_fields_set", None)
    if fields_set is None:
        return {
            key: value for key in keys if (value := getattr(state, key, _MISSING)) is not _MISSING
        }
    defaults = {name: info.default for name, info in type(state).model_fields.items()}
    return {
        key: value
        for key in keys
        if (value := getattr(state, key, _MISSING)) is not _MISSING
        and (value is not None or defaults.get(key, _MISSING) is not None or key in fields_set)
    }


def check_concurrent_writes(
    updates: Sequence[Mapping[str, Any] | None], last_value: frozenset[str]
) -> None:
    """Fail as LangGraph does when tasks of one superstep wrote the same plain key.

    ``updates`` are the superstep's writes in the order they are applied; the
    key named is the first (in that order) that got a second value.

    Raises:
        InvalidUpdateError: when a key without a reducer was written twice.
    """
    counts: dict[str, int] = {}
    for update in updates:
        if update:
            for key in update:
                if key in last_value:
                    counts[key] = counts.get(key, 0) + 1
    for key, count in counts.items():
        if count > 1:
            raise InvalidUpdateError(
                f"At key '{key}': Can receive only one value per step. "
                "Use an Annotated key to handle multiple values.\n"
                "For troubleshooting, visit: https://docs.langchain.com/oss/python/langgraph/"
                "errors/INVALID_CONCURRENT_GRAPH_UPDATE"
            )


def check_update(node: str, update: Any, keys: frozenset[str]) -> dict[str, Any] | None:
    """A node's return value as a dict of writes (``None`` for no writes).

    Raises:
        InvalidUpdateError: for anything but a mapping of state keys or ``None``.
    """
    if update is None:
        return None
    writes: dict[str, Any]
    if type(update) is dict:
        writes = update
    elif isinstance(update, Mapping):
        writes = dict(update)
    else:
        raise InvalidUpdateError(
            f"node {node!r} returned {type(update).__name__}; "
            "a node returns a dict of state keys, or None"
        )
    if not writes:
        return None
    if not keys.issuperset(writes):
        unknown = sorted(str(k) for k in writes if k not in keys)
        raise InvalidUpdateError(
            f"node {node!r} wrote {', '.join(repr(k) for k in unknown)}, "
            f"which the state does not have (state keys: {', '.join(sorted(keys))})"
        )
    return writes


_END_NAMES: Final[frozenset[str]] = frozenset(("__end__", "END"))


def route(
    router: str,
    result: Any,
    targets: tuple[str, ...],
    path_map: Mapping[str, str] | None,
) -> tuple[Any, ...]:
    """The nodes a router's return value leads to (END left out), and the ``Send``s it made.

    Raises:
        InvalidUpdateError: if the router named something it may not lead to.
    """
    if isinstance(result, str):
        picks: tuple[Any, ...] = (result,)
    elif isinstance(result, list | tuple):
        picks = tuple(result)
    elif (one := as_send(result)) is not None:
        picks = (one,)
    else:
        raise InvalidUpdateError(
            f"router {router!r} returned {result!r}; a router returns a node name or a list of them"
        )
    out: list[Any] = []
    for pick in picks:
        send = as_send(pick) if not isinstance(pick, str) else None
        if send is not None:
            # a Send names its node itself, whatever the path map (the engine checks it)
            out.append(send)
            continue
        if path_map is not None:
            if pick not in path_map:
                raise InvalidUpdateError(
                    f"router {router!r} returned {pick!r}, which its path map does not map"
                )
            pick = path_map[pick]
        if pick in _END_NAMES:
            continue
        if pick not in targets:
            raise InvalidUpdateError(
                f"router {router!r} returned {pick!r}; it may lead to "
                + ", ".join(repr(t) for t in targets)
            )
        out.append(pick)
    return tuple(out)


def no_sync(node: str) -> TypeError:
    """LangGraph's error for an async-only node reached by a sync run."""
    return TypeError(
        f'No synchronous function provided to "{node}".\n'
        "Either initialize with a synchronous function or invoke via the async API "
        "(ainvoke, astream, etc.)"
    )
