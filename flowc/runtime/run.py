"""Run and task context shared by generated runners.

A generated module owns its superstep loop; this module gives it the few
things every loop needs: the run's requested modes as flags, task objects
with lazily computed ids, the stream writer, the namespace context that lets a
graph called inside a node join its parent's stream, and the helpers that run
a superstep's tasks on threads or asyncio tasks while streaming their events
as they happen.
"""

from __future__ import annotations

from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Iterator,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Final

from . import hooks as _hooks
from . import messages as _messages
from .config import DEFAULT_RECURSION_LIMIT, Config
from .events import (
    Event,
    Namespace,
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

    from .pool import Group, Lane

from ._executor import _NO_FUTURES, Done, Executor
from ._outcomes import (
    adrain,
    afailing,
    check_concurrent_writes,
    check_update,
    default_mode,
    drain,
    failing,
    ignore,
    no_sync,
    route,
    shared_input,
)
from ._sequenced import SequencedWrites
from ._task import (
    CURRENT_TASK,
    StreamWriter,
    Task,
    current_task,
    enter,
    get_config,
    get_stream_writer,
    leave,
    remaining_steps,
)
from ._thread_keys import NOT_METADATA

__all__ = [
    "CURRENT_TASK",
    "MODES",
    "OWN_THREAD",
    "Done",
    "Run",
    "StreamWriter",
    "Task",
    "adrain",
    "afailing",
    "check_concurrent_writes",
    "check_update",
    "current_task",
    "default_mode",
    "drain",
    "enter",
    "failing",
    "get_config",
    "get_stream_writer",
    "ignore",
    "leave",
    "no_sync",
    "parse_modes",
    "remaining_steps",
    "route",
    "shared_input",
    "timestamp",
]


MODES: Final[frozenset[str]] = frozenset(
    ("values", "updates", "custom", "messages", "tasks", "checkpoints", "debug")
)


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


def _stateful_ns(outer: Namespace, node: str, calls: int) -> Namespace:
    # the node's name without task ids, found again by the node's next task; a task's second
    # stateful graph (and its third...) gets a namespace of its own, as in LangGraph
    ns = (*(segment.partition(":")[0] for segment in outer), node)
    return (*ns, str(calls)) if calls else ns


OWN_THREAD: Final = "__flowc_own_thread"
"""The ``configurable`` key of a run started inside a task that is a root run all the same: a
graph given a config that names its own thread (see the drop-in), as LangGraph runs it."""


_ONE_MODE: Final[dict[str, frozenset[str]]] = {mode: frozenset((mode,)) for mode in MODES}
_NO_MODES: Final[frozenset[str]] = frozenset()
_QUICK_MODES: Final[dict[Any, frozenset[str]]] = {**_ONE_MODE, (): _NO_MODES}
"""The sets of the commonest ``stream_mode`` arguments: one mode, or none (invoke's)."""
_HASHABLE: Final = (str, tuple)


def parse_modes(stream_mode: StreamMode | Sequence[StreamMode]) -> frozenset[str]:
    """The set of modes named by a ``stream_mode`` argument, validated.

    ``None`` means the default, ``updates``, as in LangGraph.
    """
    if stream_mode is None:
        return _ONE_MODE["updates"]
    if stream_mode == ():
        # invoke's: no modes at all
        return _NO_MODES
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


_NO_TAGS: Final[list[str]] = []
_NO_METADATA: Final[dict[str, Any]] = {}
"""A run's tags and metadata until it has some of its own (never written to)."""

_TASK_METADATA_KEYS: Final = ("task_id", "run_id", "assistant_id", "graph_id")
"""``configurable`` keys LangGraph copies into a run's metadata and shows in the ``metadata``
of its ``tasks`` and ``debug`` events (``thread_id`` and the checkpoint's keys it copies too,
but leaves out of those events)."""

_FLAGS: dict[frozenset[str], tuple[bool, bool, bool, bool, bool, bool]] = {}
"""The flags of each set of modes met so far (at most 128 sets)."""


class Run(Executor):
    """One run of one graph: its modes, config, namespace and resources."""

    __slots__ = (
        "_run_id",
        "checkpoint_ns",
        "config",
        "custom",
        "debug",
        "forward",
        "graph",
        "hooks",
        "limit",
        "live",
        "local",
        "message_stream",
        "messages",
        "modes",
        "ns",
        "parent",
        "result",
        "stop",
        "subgraphs",
        "tags",
        "tasks",
        "thread",
        "updates",
        "user_metadata",
        "values",
        "wraps",
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
        self.tags: list[str]
        self.user_metadata: dict[str, Any]
        self.hooks: _hooks.RunHooks | None = None
        """What an integration does around this run and its tasks (its config has callbacks)."""
        if config is None:
            limit = default_limit
            # shared and never written to: a run only reads them (and copies them on)
            self.tags = _NO_TAGS
            self.user_metadata = _NO_METADATA
            self._run_id = None
        else:
            limit = cfg.get("recursion_limit", default_limit)
            self.tags = list(cfg.get("tags", ()))
            self.user_metadata = dict(cfg.get("metadata", {}))
            configurable = cfg.get("configurable")
            if configurable:
                # the keys LangGraph copies from `configurable` into a run's metadata that
                # its task events keep (the thread's own coordinates it leaves out)
                for key in _TASK_METADATA_KEYS:
                    value = configurable.get(key)
                    if value and key not in self.user_metadata:
                        self.user_metadata[key] = value
            rid = cfg.get("run_id")
            self._run_id = None if rid is None else str(rid)
            if cfg.get("callbacks"):
                self.hooks = _hooks.for_run(self)
        # a task runs wrapped (never inline) when it streams messages or is traced
        self.wraps = self.messages or self.hooks is not None
        # tasks run on threads (not inline) when their events must stream as they happen
        self.live = self.custom or self.wraps or subgraphs or bool(forward)
        if type(limit) is not int:
            # LangGraph fails later with a bare comparison error ("3") or takes True for 1
            raise TypeError(f"recursion_limit must be an int, not {type(limit).__name__}")
        if limit < 1:
            raise ValueError("recursion_limit must be at least 1")
        self.limit = limit
        self.stop = limit
        """The last superstep this run may take (its engine sets it: on a thread the steps
        go on from the thread's): what ``remaining_steps()`` counts down to."""
        self._jobs: Group | None = None
        self._lane: Lane | None = None
        self._pending: list[asyncio.Future[Any]] = _NO_FUTURES
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
        # the common call names one mode (or none, invoke's): its set is made once, at import
        local = _QUICK_MODES.get(stream_mode) if type(stream_mode) in _HASHABLE else None
        if local is None:
            local = parse_modes(stream_mode)
        parent = CURRENT_TASK.get()
        if parent is not None and not parent.active:
            parent = current_task()
        if parent is None or (
            config is not None and OWN_THREAD in config.get("configurable", _NO_METADATA)
        ):
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
                _stateful_ns(prun.ns, parent.name, parent.next_call())
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
        meta = {k: v for k, v in self.user_metadata.items() if k not in NOT_METADATA}
        if task.metadata:
            meta.update(task.metadata)
        if self.tags or task.tags:
            meta["tags"] = [*self.tags, *task.tags]
        return meta or None

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
        if type(result) is SequencedWrites:
            result = result.task_result()
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
        try:
            async for event in events:
                if parent is not None and event.mode in forward:
                    parent.emit(event)
                if event.mode in local and (deep or event.ns == own):
                    yield event
        finally:
            # stopped early: the nested run's tasks are stopped now, not when collected
            close = getattr(events, "aclose", None)
            if close is not None:
                await close()
