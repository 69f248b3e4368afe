"""A run on a thread: the checkpoints the engine takes, LangGraph's way.

:class:`Thread` is what :class:`~._engine.Engine` holds when a run's config
names a ``thread_id`` and carries a checkpointer (``configurable`` key
``__pregel_checkpointer``, LangGraph's own key for it). It loads the
thread's latest checkpoint, records each task's writes with ``put_writes``
before they are applied, and saves a checkpoint at the step boundaries
LangGraph saves them: the input (``source: "input"``, the step before the
hidden ``__start__`` task), then one after every superstep (``"loop"``).

Channels and versions follow LangGraph's: the state's keys, ``__start__``
(the input, until the first superstep takes it) and ``branch:to:<node>``
(a node is due); every channel written or consumed in a superstep gets the
one new version of that superstep, and a node's ``versions_seen`` records
the versions of the channels that triggered it. So a checkpoint says by
itself which nodes run next, and a saver written for LangGraph reads it.

A saver is anything with LangGraph's ``BaseCheckpointSaver`` methods
(``get_tuple``, ``put``, ``put_writes``, ``get_next_version``): flowc's
savers and LangGraph's own alike; an async run awaits the async twins of a
saver that is not flowc's (:mod:`._saver_io`). Standard library only.
"""

from __future__ import annotations

from collections.abc import Collection, Generator, Mapping, Sequence
from typing import Any, Final

from ._reopen import _Reopening
from ._saver_io import DURABILITY, Read, awaits
from ._saver_shapes import saver_interrupts, saver_sends
from ._thread_keys import (
    BRANCH,
    START,
    TASKS,
    _config,
    _root_checkpoint_id,
    _subgraph_checkpoints,
    config_metadata,
    next_of,
    subgraph_state,
    task_id,
    with_config_metadata,
    without_waiting,
)
from .events import Event
from .fingerprint import SCHEMA_KEY, StateSchema, check_codecs, check_schema, schema_entry

__all__ = [
    "BRANCH",
    "CHECKPOINTER",
    "DURABILITY",
    "START",
    "TASKS",
    "Thread",
    "check_codecs",
    "next_of",
    "saver_sends",
    "subgraph_state",
    "task_id",
]

CHECKPOINTER: Final = "__pregel_checkpointer"
"""The ``configurable`` key of a run's checkpointer (LangGraph's ``CONFIG_KEY_CHECKPOINTER``)."""
INPUT: Final = "__input__"
NO_WRITES: Final = "__no_writes__"
"""What a finished task that wrote nothing stores (LangGraph's marker: the task finished)."""
NULL_TASK_ID: Final = "00000000-0000-0000-0000-000000000000"
"""The task id of a run's own writes (LangGraph's null task)."""
INTERRUPT: Final = "__interrupt__"
RESUME: Final = "__resume__"


def statuses(
    pending: Sequence[tuple[str, str, Any]] | None,
) -> dict[str, tuple[list[tuple[str, Any]], Any]]:
    """Per task id: its output writes (empty if it did not finish) and its error, if any.

    The rule is :func:`._resume.task_statuses`'s (LangGraph's): a task
    finished when it stored a write other than a control write.
    """
    from ._resume import task_statuses

    found = task_statuses(pending or ())
    return {tid: (status.output, status.error) for tid, status in found.items()}


class Thread(_Reopening):
    """One run's checkpoints on one thread (see the module's docstring).

    Args:
        saver: the checkpointer.
        config: the run's config (its ``configurable`` has the ``thread_id``).
        fields: the state's keys: what of a checkpoint's channels is state.
        stream: whether the run streams ``checkpoints`` events.
        debug: whether it streams ``debug`` events.
        schema: the state's fields and declared types (see :mod:`.fingerprint`).
        asynchronous: an async run's (see :mod:`._saver_io`).
    """

    __slots__ = (
        "addressed",
        "bound",
        "count",
        "debug",
        "deferred",
        "deferred_writes",
        "drain",
        "durability",
        "event_ns",
        "extras",
        "fields",
        "fresh",
        "given",
        "handover",
        "latest",
        "loaded",
        "mapped",
        "new_id",
        "now",
        "ns",
        "parent",
        "parents",
        "ran",
        "relaxed",
        "restarted",
        "saved",
        "schema",
        "schema_record",
        "seen",
        "sent",
        "stream",
        "subgraphs",
        "thread_id",
        "tie_break",
        "untracked",
        "versions",
        "written",
    )

    def __init__(
        self,
        saver: Any,
        config: Mapping[str, Any],
        fields: Sequence[str],
        *,
        stream: bool,
        debug: bool,
        durability: str = "async",
        subgraphs: frozenset[str] = frozenset(),
        ns: str = "",
        parents: Mapping[str, str] | None = None,
        event_ns: tuple[str, ...] = (),
        mapped: Mapping[str, str] | None = None,
        schema: StateSchema = (),
        untracked: frozenset[str] = frozenset(),
        asynchronous: bool = False,
    ) -> None:
        configurable = config["configurable"]
        self.saver = saver
        self.outbox = [] if asynchronous and awaits(saver) else None
        self.untracked = untracked
        """The keys that last one run: left out of checkpoints, writes and ``Send`` s stored."""
        self.schema = schema
        """The state's declared fields: checkpoints record them, a resumed run checks them."""
        # what each checkpoint records of them: one object, made once
        self.schema_record: Mapping[str, Any] | None = schema_entry(schema) if schema else None
        self.thread_id = str(configurable["thread_id"])
        self.ns = ns
        self.parents: dict[str, str] = dict(parents or {})
        """Namespace → checkpoint id of each graph this one runs in (a subgraph's)."""
        self.event_ns = event_ns
        self.subgraphs = subgraphs
        """The graph's subgraph nodes: their tasks' ``state`` names their checkpoints."""
        self.fields = fields
        self.stream = stream
        self.debug = debug
        self.extras = config_metadata(config)  # what the config adds to stored metadata
        self.config: dict[str, Any] = {
            "configurable": {"thread_id": self.thread_id, "checkpoint_ns": self.ns}
        }
        """The config of the latest checkpoint (the parent of the next one)."""
        # a subgraph's checkpoints are its own: the id a parent run was given is not one of them
        self.mapped: Mapping[str, str] | None = (
            mapped if ns else _subgraph_checkpoints(configurable)
        )
        """The checkpoint of each subgraph namespace a root run's config names (a subgraph's
        checkpoint config has them in its ``checkpoint_map``): a subgraph run there starts at it."""
        self.addressed: str | None = (
            (mapped or {}).get(ns) if ns else _root_checkpoint_id(configurable)
        )
        """The checkpoint the run's config names (it starts there), if it names one."""
        self.loaded: Any = None
        """The stored checkpoint the run starts from (a ``CheckpointTuple``), if any."""
        self.opened: tuple[dict[str, Any], dict[str, Any] | None] = ({}, None)
        """On a resume: the metadata and parent config of the checkpoint it goes on from."""
        self.restarted = False
        """On a resume: the run stopped after its input checkpoint and takes that input again."""
        self.bound = 0
        """How many more supersteps than the recursion limit the run may take (a resumed
        run's, counted from its checkpoint as LangGraph counts them)."""
        self.stored = self.config
        """The config of the thread's latest stored checkpoint (the parent of the next one stored)."""
        self.fresh: set[str] = set()
        """The channels given a new version since that checkpoint: what a new one must store."""
        self.latest: Any = None
        """The newest channel version (the one a new version comes after)."""
        if durability not in ("sync", "async", "exit"):
            raise ValueError(
                f"durability={durability!r}: use 'sync', 'async' (the default) or 'exit'"
            )
        self.durability = durability
        self.relaxed = getattr(saver, "synchronous", None) is not None
        """Whether the saver is told the run's durability (flowc's SQLite saver then stores
        an ``"async"`` or ``"exit"`` run's writes off its steps, without waiting for the disk,
        and a ``"sync"`` run's writes with the step's checkpoint)."""
        self.drain = getattr(saver, "flush", None)
        """What the saver waits with until it has stored what the run handed it, if it
        stores in the background (flowc's SQLite saver)."""
        from .checkpoint import BaseCheckpointSaver, timestamp_text, uuid6_text, version_tie_break

        self.new_id = uuid6_text
        self.now = timestamp_text
        self.count: int | None = (
            0 if type(saver).get_next_version is BaseCheckpointSaver.get_next_version else None
        )
        """The latest version's counter, for a saver whose versions are flowc's (the thread
        makes them, with one tie-break per run); ``None``: the saver's ``get_next_version``."""
        self.tie_break = version_tie_break()
        self.told: tuple[dict[str, Any], dict[str, Any]] | None = None  # see _told
        self.handover = getattr(saver, "handover", False) is True
        """Whether the saver may keep the parts of the checkpoints it is given (flowc's
        in-memory saver): the thread never changes them after a ``put``."""
        self.deferred: tuple[dict[str, Any], dict[str, Any]] | None = None
        """Under ``"exit"``: the run's latest checkpoint and metadata, stored when the run ends."""
        self.deferred_writes: list[tuple[list[tuple[str, Any]], str]] = []
        """Under ``"exit"``: the writes made against it, stored with it."""
        self.parent: dict[str, Any] | None = None
        self.versions: dict[str, Any] = {}
        self.seen: dict[str, dict[str, Any]] = {}
        self.written: set[str] = set()
        """The channels this superstep's tasks wrote."""
        self.given: dict[str, Any] = {}
        """The run's input."""
        self.saved: dict[str, Any] = {}
        """The thread's state before the input."""
        self.ran: list[tuple[str, tuple[str, ...]]] = []
        """This superstep's tasks: each one's node and the channels that triggered it."""
        self.sent = False
        """Whether the latest checkpoint names ``Send`` tasks (its ``__pregel_tasks`` has a value)."""

    def load(self) -> Generator[Read, Any, tuple[dict[str, Any], int]]:
        """The thread's state and step, asked of its driver (``{}`` and -2 on a new thread)."""
        wanted = self.config
        if self.addressed is not None:
            wanted = {"configurable": {**wanted["configurable"], "checkpoint_id": self.addressed}}
        saved = self.loaded = yield ("get_tuple", (self.saver, wanted))
        if saved is None:
            return {}, -2
        checkpoint = saved.checkpoint
        # before any node runs: a checkpoint saved under a schema this graph cannot read
        check_schema(self.thread_id, checkpoint, self.schema)
        self.config = self.stored = dict(saved.config)
        self.versions = dict(checkpoint["channel_versions"])
        self.fresh = set()
        self.latest = max(self.versions.values()) if self.versions else None
        if self.count is not None:
            from .checkpoint import version_count

            self.count = version_count(self.latest)
        self.seen = {node: dict(seen) for node, seen in checkpoint["versions_seen"].items()}
        stored = checkpoint["channel_values"]
        self.sent = TASKS in stored
        values = {key: stored[key] for key in self.fields if key in stored}
        # new input discards the tasks the thread still had due (a run that failed or
        # stopped): as in LangGraph, their triggers are consumed by the input checkpoint
        self.ran = [(name, (BRANCH + name,)) for name in next_of(stored) if name != START]
        return values, int(saved.metadata.get("step", -1))

    def _bump(self, channels: set[str]) -> None:
        count = self.count
        if count is None:
            version = self.latest = self.saver.get_next_version(self.latest, None)
        else:
            self.count = count = count + 1
            version = self.latest = f"{count:032}{self.tie_break}"
        versions = self.versions
        for channel in channels:
            versions[channel] = version
        self.fresh.update(channels)

    def started(self, tasks: Sequence[Any], pushed: Sequence[Any]) -> None:
        """A superstep's tasks start: give them the ids the latest checkpoint named them by."""
        checkpoint_id = self.config["configurable"]["checkpoint_id"]
        for index, task in enumerate(tasks):
            kind = f"push:{index}" if index < len(pushed) else "pull"
            task.pin_id(task_id(checkpoint_id, self.ns, task.name, kind))
            self.ran.append((task.name, task.triggers))

    def put_writes(
        self,
        tid: str,
        update: Mapping[str, Any] | None,
        goto: Sequence[Any],
        resume: list[Any] | None = None,
    ) -> None:
        """Store a task's writes against the latest checkpoint, before they are applied.

        ``resume`` is the answers the task's ``interrupt()`` calls took (its
        ``__resume__`` write). A task that wrote nothing stores LangGraph's
        ``__no_writes__``, which says it finished.
        """
        written = self.written
        writes: list[tuple[str, Any]] = []
        if update:
            writes = list(update.items())
            written.update(update.keys())  # a SequencedWrites' keys, too
        for target in goto:
            if type(target) is str:
                channel = BRANCH + target
                writes.append((channel, None))
            else:  # a Send: a resume that does not rerun the task sends it from this write
                channel = TASKS
                writes.append((TASKS, thread_sends(self, (target,))[0]))
            written.add(channel)
        if self.untracked and writes:
            writes = [
                (channel, value) for channel, value in writes if channel not in self.untracked
            ]
        if not writes:
            writes.append((NO_WRITES, None))
        if resume:
            writes.insert(0, (RESUME, resume))
        self._put_writes(writes, tid)

    def put_null_writes(self, writes: list[tuple[str, Any]]) -> None:
        """Store writes of the run itself (LangGraph's null task): a resume value, a Command's update."""
        self._put_writes(writes, NULL_TASK_ID)

    def put_interrupt(
        self, tid: str, interrupts: tuple[Any, ...], resume: list[Any] | None
    ) -> None:
        """Store that a task stopped at ``interrupts``, with the answers it took before them."""
        writes: list[tuple[str, Any]] = [(INTERRUPT, saver_interrupts(self.saver, interrupts))]
        if resume:
            writes.append((RESUME, resume))
        self._put_writes(writes, tid)

    def ran_task(self, name: str, triggers: tuple[str, ...]) -> None:
        """Note a task of this superstep: its node and what triggered it."""
        self.ran.append((name, triggers))

    def _put(self, checkpoint: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
        fresh = self.fresh
        # what changed since the stored parent: under "exit", all that changed in the run
        new_versions = {ch: v for ch, v in checkpoint["channel_versions"].items() if ch in fresh}
        metadata = with_config_metadata(metadata, self.extras)
        saved = self._store(self._told(self.stored), checkpoint, metadata, new_versions)
        self.stored = saved
        fresh.clear()
        return saved

    def flush(self) -> None:
        """The run ended: what it handed the saver is stored when this returns.

        Under ``"exit"``, the run's latest checkpoint and its writes are stored now (a
        resumed run that stopped again at the checkpoint it went on from, made none: its
        writes, a node's next interrupt and the answers it took, are that checkpoint's).
        """
        deferred = self.deferred
        self.deferred = None
        saved = self.config if deferred is None else self._put(*deferred)
        for writes, tid in self.deferred_writes:
            self._store_writes(self._told(saved), writes, tid)
        self.deferred_writes.clear()
        drain = self.drain
        if drain is not None:
            drain()

    def checkpoint(
        self,
        source: str,
        step: int,
        values: Mapping[str, Any],
        due: Sequence[str],
        pushed: Sequence[str] = (),
        start: Mapping[str, Any] | None = None,
        sends: Sequence[Any] = (),
        deferred: Collection[str] = (),
    ) -> tuple[str, tuple[Event, ...]]:
        """Save the checkpoint after a superstep (or of the input); its id and events.

        Args:
            source: ``"input"`` or ``"loop"``.
            step: the checkpoint's step.
            values: the state now.
            due: the nodes of the next superstep (by name).
            pushed: the nodes of its ``Send`` tasks, in the order sent.
            start: the input, for the input checkpoint.
            sends: the ``Send`` s of the next superstep's push tasks, which the
                checkpoint stores (LangGraph's ``__pregel_tasks``) so that a resumed
                run has them.
            deferred: the graph's deferred nodes: stored as due, but no task of the
                streamed checkpoint while others are due (see ``without_waiting``).
        """
        versions = self.versions
        if source == "input":
            self.seen.setdefault(INPUT, {})
            self.written.add(START)
        # a node a join makes due has no branch write of its own: its channel is new here
        written = self.written
        for name in due:
            written.add(BRANCH + name)
        consumed: set[str] = set()
        if sends:
            self.written.add(TASKS)
        elif self.sent:
            # the Send tasks ran: the channel's new version has no value
            consumed.add(TASKS)
        self.sent = bool(sends)
        seen = self.seen
        for name, triggers in self.ran:
            # a new dict each time, never changed after: a checkpoint may share it (below)
            mine = seen[name] = {ch: versions[ch] for ch in triggers if ch in versions}
            consumed.update(mine)
        updated = sorted(self.written)
        self._bump(consumed | self.written)
        self.ran.clear()
        self.written.clear()
        # as LangGraph's channels: a key never written has no value in a checkpoint (its start
        # value comes back on load), so a saver stores exactly what the checkpoint holds
        untracked = self.untracked
        channel_values: dict[str, Any] = {
            k: v for k, v in values.items() if k in versions and k not in untracked
        }
        if start is not None:
            channel_values[START] = dict(start)
        for name in due:
            channel_values[BRANCH + name] = None
        if sends:
            channel_values[TASKS] = thread_sends(self, sends)
        checkpoint_id = self.new_id(step)
        checkpoint = {
            "v": 4,
            "id": checkpoint_id,
            "ts": self.now(),
            "channel_values": channel_values,
            "channel_versions": dict(versions),
            "versions_seen": dict(seen),
            "updated_channels": updated,
        }
        if self.schema_record is not None:
            checkpoint[SCHEMA_KEY] = self.schema_record
        metadata: dict[str, Any] = {"source": source, "step": step, "parents": dict(self.parents)}
        parent = self.config if "checkpoint_id" in self.config["configurable"] else None
        self.parent = parent
        streamed = self.stream or self.debug
        # the saver may keep what it is given: the events get a copy of their own
        stored_metadata = dict(metadata) if streamed else metadata
        if self.durability == "exit":
            # stored when the run ends, with the writes made against it (see `flush`)
            self.deferred = (checkpoint, stored_metadata)
            self.deferred_writes.clear()
            self.config = {
                "configurable": {
                    "thread_id": self.thread_id,
                    "checkpoint_ns": self.ns,
                    "checkpoint_id": checkpoint_id,
                }
            }
        else:
            self.config = self._put(checkpoint, stored_metadata)
        if not streamed:
            return checkpoint_id, ()
        names = (START,) if source == "input" else (*pushed, *without_waiting(tuple(due), deferred))
        # as LangGraph's: under "exit" a streamed checkpoint names the loaded one's parent
        shown = parent if self.durability != "exit" else getattr(self.loaded, "parent_config", None)
        return checkpoint_id, _checkpoint_events(
            self, checkpoint_id, shown, values, metadata, names, len(pushed), step
        )


def _checkpoint_events(
    thread: Thread,
    checkpoint_id: str,
    parent: Mapping[str, Any] | None,
    values: Mapping[str, Any],
    metadata: dict[str, Any],
    names: tuple[str, ...],
    pushed: int,
    step: int,
) -> tuple[Event, ...]:
    """The events of a checkpoint saved (for a run streaming checkpoints or debug events)."""
    ns = thread.ns
    kinds = ["pull"] * len(names)
    for index in range(pushed):
        kinds[index] = f"push:{index}"
    tasks = tuple(
        {
            "id": (tid := task_id(checkpoint_id, ns, name, kind)),
            "name": name,
            "interrupts": (),
            "state": subgraph_state(thread.thread_id, ns, name, tid)
            if name in thread.subgraphs
            else None,
        }
        for name, kind in zip(names, kinds, strict=True)
    )
    parent_config: dict[str, Any] | None = None
    if parent is not None and thread.durability == "exit":
        # the loaded checkpoint's parent, as its saver gave it
        parent_config = {"configurable": dict(parent["configurable"])}
    elif parent is not None:
        parent_id = parent["configurable"]["checkpoint_id"]
        parent_config = _config(thread.thread_id, ns, parent_id, thread.parents)
    values = {key: values[key] for key in thread.fields if key in values}
    return thread._events(checkpoint_id, parent_config, values, metadata, names, tasks, step)


def thread_sends(thread: Thread, sends: Sequence[Any]) -> list[Any]:
    """``sends`` as ``thread``'s saver stores them: a ``Send``'s state argument leaves the
    untracked keys out, as LangGraph's does."""
    untracked = thread.untracked
    if untracked:
        sends = [
            type(s)(
                s.node, {k: v for k, v in s.arg.items() if k not in untracked}, timeout=s.timeout
            )
            if isinstance(s.arg, dict)
            else s
            for s in sends
        ]
    return saver_sends(thread.saver, sends)


def put_error(thread: Thread, tid: str, error: BaseException) -> None:
    """Store on ``thread`` that a task failed (LangGraph's ``__error__`` write)."""
    # LangGraph's snapshots show a failed task's error as its repr
    from .checkpoint import ERROR

    thread._put_writes([(ERROR, repr(error))], tid)
