"""A thread's state read and changed from outside a run: snapshots and ``update_state``.

:func:`snapshot` turns a stored checkpoint into a :class:`StateSnapshot`
(LangGraph's fields: values, next, config, metadata, created_at,
parent_config, tasks, interrupts). :func:`update_state` and its async twin
write updates into a thread as if nodes had returned them, as LangGraph's
``bulk_update_state`` does: each superstep of updates becomes one checkpoint
(``source: "update"``) whose due nodes are where the updating nodes lead.

The checkpoint an update makes is built by :func:`plan_update`, which does
no I/O: the sync and async entry points load the parent checkpoint, call it,
and store what it returns. Standard library only.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from ._engine import Plan
from ._persist import (
    BRANCH,
    NULL_TASK_ID,
    START,
    TASKS,
    next_of,
    saver_sends,
    statuses,
    subgraph_state,
    task_id,
)
from .checkpoint import checkpoint_config, uuid6
from .control import as_command, as_send
from .errors import InvalidUpdateError
from .fingerprint import SCHEMA_KEY, check_schema, schema_entry
from .run import check_concurrent_writes, check_update

__all__ = [
    "COPY",
    "END",
    "INPUT",
    "StateSnapshot",
    "StateUpdate",
    "TaskState",
    "aupdate_state",
    "plan_update",
    "snapshot",
    "update_state",
]

ValuesT = TypeVar("ValuesT")

END = "__end__"
COPY = "__copy__"
"""``as_node`` of an update that copies the checkpoint as a ``"fork"`` (LangGraph's)."""
INPUT = "__input__"
PUSH = "__pregel_push"
PULL = "__pregel_pull"

StateUpdate = tuple[Any, str | None] | tuple[Any, str | None, str | None]
"""``(values, as_node)`` or ``(values, as_node, task_id)``: one update of a superstep."""


@dataclass(frozen=True, slots=True)
class TaskState:
    """A task of a snapshot: due at its checkpoint, and what it did if it ran."""

    id: str
    name: str
    path: tuple[Any, ...]
    error: Any = None
    interrupts: tuple[Any, ...] = ()
    state: Any = None
    result: Any = None


@dataclass(frozen=True, slots=True)
class StateSnapshot(Generic[ValuesT]):
    """A thread's state at one checkpoint, with LangGraph's fields.

    Attributes:
        values: the state (without a checkpoint: ``{}``).
        next: the nodes due to run next, by name (those that already ran left out).
        config: the config naming the checkpoint.
        metadata: its metadata (``source``, ``step``, ``parents``), ``None`` without one.
        created_at: its ISO time.
        parent_config: the config of the checkpoint before it.
        tasks: the due tasks, with each one's error or result once it ran.
        interrupts: the interrupts of its tasks.
    """

    values: ValuesT
    next: tuple[str, ...]
    config: dict[str, Any]
    metadata: dict[str, Any] | None
    created_at: str | None
    parent_config: dict[str, Any] | None
    tasks: tuple[TaskState, ...]
    interrupts: tuple[Any, ...] = ()


def subgraph_tasks(plan: Plan, saved: Any) -> list[tuple[str, Plan, dict[str, Any]]]:
    """A checkpoint's due subgraph tasks: each one's id, its graph and the config of its state."""
    if saved is None or not plan.subgraphs:
        return []
    configurable = saved.config["configurable"]
    ns = configurable.get("checkpoint_ns", "")
    out: list[tuple[str, Plan, dict[str, Any]]] = []
    for name in next_of(saved.checkpoint["channel_values"]):
        node = plan.nodes.get(name)
        if node is None or node.subgraph is None:
            continue
        tid = task_id(saved.checkpoint["id"], ns, name)
        config = subgraph_state(
            str(configurable["thread_id"]), ns, name, tid, node.subgraph.stateful
        )
        out.append((tid, node.subgraph, config))
    return out


def state_of(
    plan: Plan, saver: Any, config: Mapping[str, Any], saved: Any, *, live: bool, recurse: bool
) -> StateSnapshot[Any]:
    """:func:`snapshot`, with each due subgraph task's state read from its checkpoints if ``recurse``."""
    children: dict[str, Any] = {}
    if recurse:
        for tid, child, child_config in subgraph_tasks(plan, saved):
            found = saver.get_tuple(child_config)
            children[tid] = state_of(child, saver, child_config, found, live=True, recurse=True)
    return snapshot(plan, config, saved, live=live, children=children)


async def astate_of(
    plan: Plan, saver: Any, config: Mapping[str, Any], saved: Any, *, live: bool, recurse: bool
) -> StateSnapshot[Any]:
    """Async twin of :func:`state_of`."""
    children: dict[str, Any] = {}
    if recurse:
        for tid, child, child_config in subgraph_tasks(plan, saved):
            found = await saver.aget_tuple(child_config)
            children[tid] = await astate_of(
                child, saver, child_config, found, live=True, recurse=True
            )
    return snapshot(plan, config, saved, live=live, children=children)


def _with_map(config: dict[str, Any], parents: Mapping[str, str]) -> dict[str, Any]:
    """A subgraph checkpoint's config names its parents' checkpoints (LangGraph's checkpoint_map)."""
    configurable = config["configurable"]
    own = {configurable.get("checkpoint_ns", ""): configurable["checkpoint_id"]}
    return {"configurable": {**configurable, "checkpoint_map": {**parents, **own}}}


def snapshot(
    plan: Plan,
    config: Mapping[str, Any],
    saved: Any,
    *,
    live: bool,
    children: Mapping[str, Any] | None = None,
) -> StateSnapshot[Any]:
    """The snapshot of ``saved`` (a ``CheckpointTuple``, or ``None`` for a thread with none).

    ``live`` (the thread's latest checkpoint, asked for without an id) shows
    the state as it is now, as LangGraph's does: the writes of due tasks that
    finished are applied to the values, those tasks are not in ``next``, and
    tasks show only their unanswered interrupts. Otherwise it is a record of
    the step. The run's own writes (a ``Command``'s update) are the state's.
    ``children`` holds the snapshots of due subgraph tasks, by task id (else
    such a task's ``state`` is the config of its checkpoints).
    """
    if saved is None:
        return StateSnapshot({}, (), dict(config), None, None, None, ())
    from ._resume import task_statuses

    checkpoint = saved.checkpoint
    stored = checkpoint["channel_values"]
    values = plan.stored(stored)
    # outside a run LangGraph lists a checkpoint's tasks in the order nodes were added
    order = {name: index for index, name in enumerate((START, *plan.nodes))}
    due = tuple(sorted(next_of(stored), key=lambda name: order.get(name, len(order))))
    checkpoint_id = checkpoint["id"]
    configurable = saved.config["configurable"]
    ns = configurable.get("checkpoint_ns", "")
    pending = saved.pending_writes or ()
    statuses = task_statuses(pending)
    null = {
        channel: value
        for tid, channel, value in pending
        if tid == NULL_TASK_ID and channel in plan.keys
    }
    if null:
        plan.apply(values, null)
    tasks: list[TaskState] = []
    still: list[str] = []
    # the checkpoint's Send tasks come first, as LangGraph lists them
    sends = [send for send in map(as_send, stored.get(TASKS) or ()) if send is not None]
    paths: list[tuple[Any, ...]] = [(PUSH, index, False) for index in range(len(sends))]
    paths.extend((PULL, name) for name in due)
    for path, name in zip(paths, [*(send.node for send in sends), *due], strict=True):
        pushed = path[0] == PUSH
        tid = task_id(checkpoint_id, ns, name, f"push:{path[1]}" if pushed else "pull")
        state: Any = None
        if name in plan.subgraphs and not pushed:
            state = (children or {}).get(tid) or subgraph_state(
                str(configurable["thread_id"]), ns, name, tid
            )
        status = statuses.get(tid)
        if status is None:
            tasks.append(TaskState(tid, name, path, state=state))
            still.append(name)
            continue
        result = None
        if status.finished:
            result = task_result(status.output, plan.keys)
            if live:
                update = {k: v for k, v in status.output if k in plan.keys}
                if update:
                    plan.apply(values, update)
        else:
            still.append(name)
        raised = status.pending if live else status.interrupts
        tasks.append(TaskState(tid, name, path, status.error, raised, state, result))
    own_config = dict(saved.config)
    parent_config = None if saved.parent_config is None else dict(saved.parent_config)
    parents = saved.metadata.get("parents")
    if parents:
        own_config = _with_map(own_config, parents)
        if parent_config is not None:
            parent_config = _with_map(parent_config, parents)
    return StateSnapshot(
        values,
        tuple(still) if live else tuple(task.name for task in tasks),
        own_config,
        dict(saved.metadata),
        checkpoint["ts"],
        parent_config,
        tuple(tasks),
        tuple(i for task in tasks for i in task.interrupts),
    )


def task_result(output: Sequence[tuple[str, Any]], keys: frozenset[str]) -> dict[str, Any]:
    """A finished task's result as LangGraph's snapshots give it: its writes of state keys.

    A key written twice shows as ``{"$writes": [first, second]}``.
    """
    written: dict[str, list[Any]] = {}
    for channel, value in output:
        if channel in keys:
            written.setdefault(channel, []).append(value)
    return {k: v[0] if len(v) == 1 else {"$writes": v} for k, v in written.items()}


# --- updates -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedUpdate:
    """What an update stores: its writes against the parent, then the new checkpoint."""

    parent_config: dict[str, Any]
    writes: tuple[tuple[str, list[tuple[str, Any]]], ...]
    """Per task id, the writes to store against the parent (none when it is superseded)."""
    checkpoint: dict[str, Any]
    metadata: dict[str, Any]
    new_versions: dict[str, Any]


def _update_task_id(checkpoint_id: str, index: int) -> str:
    # LangGraph's id of an update's task when no due task of its node is there to reuse
    name = "__interrupt__" if index == 0 else f"__interrupt__:{index}"
    return str(uuid.uuid5(uuid.UUID(checkpoint_id), name))


def infer_as_node(plan: Plan, versions_seen: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The node an update without ``as_node`` is taken to come from, as LangGraph infers it.

    It is the node that ran last (the one that saw the newest versions); on a
    thread where nothing ran yet, ``__start__``; ``None`` when two nodes ran
    last together.
    """
    nodes = {START, *plan.nodes}
    if not any(version for seen in versions_seen.values() for version in seen.values()):
        return START
    last = sorted(
        (str(version), node)
        for node, seen in versions_seen.items()
        if node in nodes
        for version in seen.values()
    )
    if len(last) == 1 or (last and last[-1][0] != last[-2][0]):
        return last[-1][1]
    return None


Router = Callable[[str, dict[str, Any]], tuple[Any, ...]]
"""Where node ``name`` leads from a state (its edges and routers)."""


def _valid_updates(
    plan: Plan, saved: Any, updates: Sequence[StateUpdate]
) -> list[tuple[str, Any, str | None]]:
    versions_seen = saved.checkpoint["versions_seen"] if saved is not None else {}
    out: list[tuple[str, Any, str | None]] = []
    for update in updates:
        values, as_node = update[0], update[1]
        given_id = update[2] if len(update) > 2 else None
        if as_node is None:
            if len(updates) > 1:
                raise InvalidUpdateError("as_node is required when applying multiple updates")
            as_node = infer_as_node(plan, versions_seen)
            if as_node is None:
                raise InvalidUpdateError("Ambiguous update, specify as_node")
        if as_node != START and as_node not in plan.nodes:
            raise InvalidUpdateError(f"Node {as_node} does not exist")
        out.append((as_node, values, given_id))
    return out


def plan_update(
    plan: Plan,
    saved: Any,
    thread: Mapping[str, Any],
    updates: Sequence[tuple[str, dict[str, Any] | None, str | None]],
    routes: Sequence[tuple[Any, ...]],
    *,
    superseded: bool,
    next_version: Callable[[Any, None], Any],
    stored_sends: Callable[[Sequence[Any]], list[Any]] = list,
) -> PlannedUpdate:
    """The checkpoint one superstep of updates makes on top of ``saved``.

    Args:
        plan: the graph.
        saved: the checkpoint the updates apply to (``None`` on a new thread).
        thread: the config of the thread (its id and namespace).
        updates: ``(as_node, values, task_id)`` per update, checked (see :func:`checked_updates`).
        routes: where each update's node leads, from the state with the updates applied.
        superseded: the thread has moved past ``saved``: the writes are not stored
            against it (its other children would read them).
        next_version: the saver's ``get_next_version``.
        stored_sends: the ``Send`` s the routes give, as the saver stores them.
    """
    configurable = thread["configurable"]
    ns = configurable.get("checkpoint_ns", "")
    if saved is not None:
        base = saved.checkpoint
        step = int(saved.metadata.get("step", -1))
        parents = dict(saved.metadata.get("parents", {}))
        parent_config = dict(saved.config)
    else:
        base = {
            "channel_values": {},
            "channel_versions": {},
            "versions_seen": {},
            "id": str(uuid6(clock_seq=-2)),
        }
        step = -1
        parents = {}
        parent_config = checkpoint_config(str(configurable["thread_id"]), ns, None)
    stored = dict(base["channel_values"])
    due = next_of(stored)
    reusable: dict[str, list[str]] = {}
    if saved is not None and saved.pending_writes is not None:
        for name in due:
            reusable.setdefault(name, []).append(task_id(base["id"], ns, name))
    values = plan.stored(stored)
    task_writes: list[tuple[str, list[tuple[str, Any]]]] = []
    sends: list[Any] = []
    state_updates: list[dict[str, Any] | None] = []
    for index, ((as_node, update, given_id), goto) in enumerate(zip(updates, routes, strict=True)):
        ids = reusable.get(as_node)
        tid = given_id or (ids.pop(0) if ids else _update_task_id(base["id"], index))
        writes: list[tuple[str, Any]] = list((update or {}).items())
        writes.extend((BRANCH + target, None) for target in goto if type(target) is str)
        pushed = stored_sends([send for target in goto if (send := as_send(target)) is not None])
        writes.extend((TASKS, send) for send in pushed)
        sends.extend(pushed)
        task_writes.append((tid, writes))
        state_updates.append(update)
    if plan.last_value and len(state_updates) > 1:
        check_concurrent_writes(state_updates, plan.last_value)
    written: set[str] = set()
    for update in state_updates:
        if update:
            plan.apply(values, update)
            written.update(update)
    branches = {ch for _, writes in task_writes for ch, _ in writes if ch.startswith(BRANCH)}
    # the due nodes' triggers and the input are cleared: the update is a step of its own
    cleared = {
        ch
        for ch in stored
        if (ch.startswith(BRANCH) or ch in (START, TASKS)) and ch not in branches
    }
    if sends:
        branches.add(TASKS)
    versions = dict(base["channel_versions"])
    changed = written | branches | (cleared & set(versions))
    if changed:
        latest = max(versions.values()) if versions else None
        version = next_version(latest, None)
        for channel in changed:
            versions[channel] = version
    # a key never written (a reducer's start value) is left out, as a run leaves it out
    channel_values: dict[str, Any] = {
        key: values[key] for key in plan.fields if key in values and key in versions
    }
    for channel in sorted(branches):
        channel_values[channel] = sends if channel == TASKS else None
    # as LangGraph's, each updating node is recorded as having seen no channel
    seen = {node: dict(seen) for node, seen in base["versions_seen"].items()}
    for as_node, _, _ in updates:
        seen.setdefault(as_node, {})
    checkpoint = {
        "v": 4,
        "id": str(uuid6(clock_seq=step + 1)),
        "ts": _dt.datetime.now(_dt.UTC).isoformat(),
        "channel_values": channel_values,
        "channel_versions": versions,
        "versions_seen": seen,
        "updated_channels": None,
    }
    if plan.schema:
        checkpoint[SCHEMA_KEY] = schema_entry(plan.schema)
    metadata = {"source": "update", "step": step + 1, "parents": parents}
    previous = base["channel_versions"]
    new_versions = {ch: v for ch, v in versions.items() if previous.get(ch) != v}
    stored_writes = (
        ()
        if saved is None or superseded
        else tuple((tid, [(ch, v) for ch, v in writes]) for tid, writes in task_writes if writes)
    )
    return PlannedUpdate(parent_config, stored_writes, checkpoint, metadata, new_versions)


def checked_updates(
    plan: Plan, saved: Any, updates: Sequence[StateUpdate]
) -> list[tuple[str, dict[str, Any] | None, str | None]]:
    """Each update as ``(as_node, its writes, task id)``; LangGraph's errors for bad ones."""
    out = []
    for as_node, values, given_id in _valid_updates(plan, saved, updates):
        if values is not None and not isinstance(values, Mapping):
            raise InvalidUpdateError(
                f"Expected dict, got {values!r}\nFor troubleshooting, visit: "
                "https://docs.langchain.com/oss/python/langgraph/errors/"
                "INVALID_GRAPH_NODE_RETURN_VALUE"
            )
        node = plan.nodes.get(as_node)
        keys = plan.keys if node is None else node.keys
        out.append((as_node, check_update(as_node, values, keys), given_id))
    return out


def split_commands(
    plan: Plan, updates: Sequence[StateUpdate]
) -> tuple[list[StateUpdate], list[tuple[Any, ...]]]:
    """The updates with each ``Command`` replaced by its ``update``, and each one's ``goto``.

    As in LangGraph, an update given as a ``Command`` is what its node returned:
    its ``goto`` (node names and ``Send`` s) leads on besides the node's edges.
    """
    plain: list[StateUpdate] = []
    gotos: list[tuple[Any, ...]] = []
    for update in updates:
        command = as_command(update[0])
        if command is None:
            plain.append(update)
            gotos.append(())
            continue
        as_node = update[1]
        writes: Any
        goto: tuple[Any, ...]
        if as_node is not None and as_node in plan.nodes:
            writes, goto = plan.outcome(as_node, command)
        else:
            writes = command.update
            if isinstance(writes, list | tuple):
                writes = dict(writes)
            targets: Any = command.goto
            given = tuple(targets) if isinstance(targets, list | tuple) else (targets,)
            goto = tuple(t for t in given if t and t not in (END, "END"))
        plain.append((writes, as_node, update[2] if len(update) > 2 else None))
        gotos.append(goto)
    return plain, gotos


def state_after(plan: Plan, saved: Any, updates: Sequence[tuple[str, Any, Any]]) -> dict[str, Any]:
    """The state with the updates applied: what the updating nodes' routers see."""
    values = (
        plan.stored(saved.checkpoint["channel_values"]) if saved is not None else plan.stored({})
    )
    for _, update, _ in updates:
        if update:
            plan.apply(values, update)
    return values


def _route(plan: Plan, as_node: str, values: dict[str, Any]) -> tuple[Any, ...] | Awaitable[Any]:
    if as_node == START:
        if plan.afirst is not None:
            return plan.afirst(values)
        return plan.entry if plan.first is None else plan.first(values)
    node = plan.nodes[as_node]
    if not node.routed:
        return node.then
    if node.aroute is not None:
        return node.aroute(values)
    assert node.route is not None
    return node.route(values)


def _thread(config: Mapping[str, Any]) -> dict[str, Any]:
    configurable = dict(config.get("configurable") or {})
    if configurable.get("thread_id") is None:
        raise ValueError("update_state needs a thread: config={'configurable': {'thread_id': ...}}")
    configurable["thread_id"] = str(configurable["thread_id"])
    configurable.setdefault("checkpoint_ns", "")
    return {"configurable": configurable}


def _check_supersteps(supersteps: Sequence[Sequence[StateUpdate]]) -> None:
    if len(supersteps) == 0:
        raise ValueError("No supersteps provided")
    if any(len(updates) == 0 for updates in supersteps):
        raise ValueError("No updates provided")


def _copy(saved: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    if saved is None:
        raise InvalidUpdateError("Cannot copy a non-existent checkpoint")
    step = int(saved.metadata.get("step", -1))
    checkpoint = {
        **saved.checkpoint,
        "id": str(uuid6(clock_seq=step + 1)),
        "ts": _dt.datetime.now(_dt.UTC).isoformat(),
    }
    metadata = {"source": "fork", "step": step + 1, "parents": saved.metadata.get("parents", {})}
    parent = saved.parent_config
    if parent is None:
        configurable = dict(saved.config["configurable"])
        configurable.pop("checkpoint_id", None)
        parent = {"configurable": configurable}
    return dict(parent), checkpoint, metadata


def _clear(
    plan: Plan, saved: Any, thread: Mapping[str, Any], next_version: Callable[[Any, None], Any]
) -> PlannedUpdate:
    """``update_state(config, None, as_node=END)``: the due tasks are dropped, as if they ran."""
    if saved is None:
        base: dict[str, Any] = {"channel_values": {}, "channel_versions": {}, "versions_seen": {}}
        step = -1
        parents: dict[str, Any] = {}
        parent_config = dict(thread)
    else:
        base = saved.checkpoint
        step = int(saved.metadata.get("step", -1))
        parents = dict(saved.metadata.get("parents", {}))
        parent_config = dict(saved.config)
    stored = base["channel_values"]
    values = plan.stored(stored)
    seen = {node: dict(s) for node, s in base["versions_seen"].items()}
    versions = dict(base["channel_versions"])
    ns = thread["configurable"].get("checkpoint_ns", "")
    found = statuses(saved.pending_writes if saved is not None else None)
    branches: set[str] = set()
    written: set[str] = set()
    for name in next_of(stored):
        # each due task's triggers are consumed; one that finished has its writes applied
        seen[name] = {ch: versions[ch] for ch in (BRANCH + name, START) if ch in versions}
        output = found.get(task_id(base["id"], ns, name), ((), None))[0]
        update = {ch: v for ch, v in output if ch in plan.keys}
        if update:
            plan.apply(values, update)
            written.update(update)
        branches.update(ch for ch, _ in output if ch.startswith(BRANCH))
    cleared = {ch for ch in stored if ch.startswith(BRANCH) or ch == START}
    changed = written | branches | (cleared & set(versions))
    if changed:
        latest = max(versions.values()) if versions else None
        version = next_version(latest, None)
        for channel in changed:
            versions[channel] = version
    channel_values = {key: values[key] for key in plan.fields if key in values and key in versions}
    for channel in sorted(branches):
        channel_values[channel] = None
    checkpoint = {
        "v": 4,
        "id": str(uuid6(clock_seq=step + 1)),
        "ts": _dt.datetime.now(_dt.UTC).isoformat(),
        "channel_values": channel_values,
        "channel_versions": versions,
        "versions_seen": seen,
        "updated_channels": None,
    }
    if plan.schema:
        checkpoint[SCHEMA_KEY] = schema_entry(plan.schema)
    metadata = {"source": "update", "step": step + 1, "parents": parents}
    previous = base["channel_versions"]
    new_versions = {ch: v for ch, v in versions.items() if previous.get(ch) != v}
    return PlannedUpdate(parent_config, (), checkpoint, metadata, new_versions)


def _as_input(
    saved: Any,
    thread: Mapping[str, Any],
    values: Any,
    *,
    superseded: bool,
    next_version: Callable[[Any, None], Any],
) -> PlannedUpdate:
    """``update_state(config, values, as_node="__input__")``: the checkpoint a run's input makes.

    As LangGraph's: ``values`` is stored as the pending input (the ``__start__``
    channel), the state and the due tasks stay as they were, and the checkpoint
    (``source: "input"``) has ``__start__`` due, so that a run with ``None`` as
    input takes it. The write is stored against the parent, under the task id
    LangGraph gives it.
    """
    if values is None:
        raise InvalidUpdateError(f"Received no input writes for {START}")
    if saved is not None:
        base = saved.checkpoint
        step = int(saved.metadata.get("step", -1)) + 1
        parents = dict(saved.metadata.get("parents", {}))
        parent_config = dict(saved.config)
        base_id = base["id"]
    else:
        base = {"channel_values": {}, "channel_versions": {}, "versions_seen": {}}
        step = -1
        parents = {}
        parent_config = checkpoint_config(
            str(thread["configurable"]["thread_id"]), thread["configurable"]["checkpoint_ns"], None
        )
        base_id = ""
    versions = dict(base["channel_versions"])
    version = next_version(max(versions.values()) if versions else None, None)
    versions[START] = version
    seen = {node: dict(s) for node, s in base["versions_seen"].items()}
    seen.setdefault(INPUT, {})
    checkpoint = {
        "v": 4,
        "id": str(uuid6(clock_seq=step)),
        "ts": _dt.datetime.now(_dt.UTC).isoformat(),
        "channel_values": {**base["channel_values"], START: values},
        "channel_versions": versions,
        "versions_seen": seen,
        "updated_channels": None,
    }
    metadata = {"source": "input", "step": step, "parents": parents}
    writes: tuple[tuple[str, list[tuple[str, Any]]], ...] = ()
    if saved is not None and not superseded:
        writes = ((str(uuid.uuid5(uuid.UUID(base_id), INPUT)), [(START, values)]),)
    return PlannedUpdate(parent_config, writes, checkpoint, metadata, {START: version})


def update_state(
    plan: Plan, saver: Any, config: Mapping[str, Any], supersteps: Sequence[Sequence[StateUpdate]]
) -> dict[str, Any]:
    """Apply supersteps of updates to a thread; the config of the last checkpoint made.

    Each superstep's updates are applied as the writes of the nodes they name
    (``as_node``; without one, the node that ran last), through the state's
    reducers, in order; the new checkpoint (``source: "update"``) has due the
    nodes those nodes lead to. ``(None, "__end__")`` drops the due tasks;
    ``(None, "__copy__")`` copies the checkpoint as a ``"fork"``.
    """
    _check_supersteps(supersteps)
    plan = plan_at(plan, config)
    current = _thread(config)
    for index, updates in enumerate(supersteps):
        saved = saver.get_tuple(current)
        if saved is not None:
            check_schema(current["configurable"]["thread_id"], saved.checkpoint, plan.schema)
        superseded = False
        if index == 0 and saved is not None and current["configurable"].get("checkpoint_id"):
            latest = saver.get_tuple(_latest(current))
            superseded = latest is not None and latest.checkpoint["id"] != saved.checkpoint["id"]
        special = _special(updates)
        if special == COPY:
            parent, checkpoint, metadata = _copy(saved)
            current = dict(saver.put(parent, checkpoint, metadata, {}))
            continue
        if special == END:
            planned = _clear(plan, saved, current, saver.get_next_version)
        elif special == INPUT:
            planned = _as_input(
                saved,
                current,
                updates[0][0],
                superseded=superseded,
                next_version=saver.get_next_version,
            )
        else:
            updates, gotos = split_commands(plan, updates)
            checked = checked_updates(plan, saved, updates)
            values = state_after(plan, saved, checked)
            routes = []
            for (as_node, _, _), extra in zip(checked, gotos, strict=True):
                goto = _route(plan, as_node, values)
                if not isinstance(goto, tuple):
                    raise TypeError(f"the router of node {as_node!r} is async: use aupdate_state")
                routes.append(goto + extra)
            planned = plan_update(
                plan,
                saved,
                current,
                checked,
                routes,
                superseded=superseded,
                next_version=saver.get_next_version,
                stored_sends=partial(saver_sends, saver),
            )
        for tid, writes in planned.writes:
            saver.put_writes(planned.parent_config, writes, tid, "")
        current = dict(
            saver.put(
                planned.parent_config, planned.checkpoint, planned.metadata, planned.new_versions
            )
        )
    return _mapped(current, saver.get_tuple(current))


async def aupdate_state(
    plan: Plan, saver: Any, config: Mapping[str, Any], supersteps: Sequence[Sequence[StateUpdate]]
) -> dict[str, Any]:
    """Async twin of :func:`update_state` (async routers are awaited)."""
    _check_supersteps(supersteps)
    plan = plan_at(plan, config)
    current = _thread(config)
    for index, updates in enumerate(supersteps):
        saved = await saver.aget_tuple(current)
        if saved is not None:
            check_schema(current["configurable"]["thread_id"], saved.checkpoint, plan.schema)
        superseded = False
        if index == 0 and saved is not None and current["configurable"].get("checkpoint_id"):
            latest = await saver.aget_tuple(_latest(current))
            superseded = latest is not None and latest.checkpoint["id"] != saved.checkpoint["id"]
        special = _special(updates)
        if special == COPY:
            parent, checkpoint, metadata = _copy(saved)
            current = dict(await saver.aput(parent, checkpoint, metadata, {}))
            continue
        if special == END:
            planned = _clear(plan, saved, current, saver.get_next_version)
        elif special == INPUT:
            planned = _as_input(
                saved,
                current,
                updates[0][0],
                superseded=superseded,
                next_version=saver.get_next_version,
            )
        else:
            updates, gotos = split_commands(plan, updates)
            checked = checked_updates(plan, saved, updates)
            values = state_after(plan, saved, checked)
            routes = []
            for (as_node, _, _), extra in zip(checked, gotos, strict=True):
                goto = _route(plan, as_node, values)
                routes.append((goto if isinstance(goto, tuple) else await goto) + extra)
            planned = plan_update(
                plan,
                saved,
                current,
                checked,
                routes,
                superseded=superseded,
                next_version=saver.get_next_version,
                stored_sends=partial(saver_sends, saver),
            )
        for tid, writes in planned.writes:
            await saver.aput_writes(planned.parent_config, writes, tid, "")
        current = dict(
            await saver.aput(
                planned.parent_config, planned.checkpoint, planned.metadata, planned.new_versions
            )
        )
    return _mapped(current, await saver.aget_tuple(current))


def plan_at(plan: Plan, config: Mapping[str, Any]) -> Plan:
    """The plan of the (sub)graph whose checkpoints a config's ``checkpoint_ns`` names.

    A subgraph's checkpoint config (``get_state(subgraphs=True)`` gives them) is
    updated through that subgraph's nodes and reducers, as LangGraph updates it.
    """
    ns = (config.get("configurable") or {}).get("checkpoint_ns") or ""
    for part in ns.split("|") if ns else ():
        node = plan.nodes.get(part.partition(":")[0])
        if node is None or node.subgraph is None:
            return plan
        plan = node.subgraph
    return plan


def _mapped(config: dict[str, Any], saved: Any) -> dict[str, Any]:
    """A subgraph checkpoint's config with its ``checkpoint_map`` (its parents' and its own
    checkpoints, as LangGraph's): a root run given it goes on from them."""
    configurable = config["configurable"]
    ns = configurable.get("checkpoint_ns")
    if not ns or saved is None:
        return config
    parents = dict(saved.metadata.get("parents") or {})
    mapped = {**parents, ns: configurable["checkpoint_id"]}
    return {"configurable": {**configurable, "checkpoint_map": mapped}}


def _latest(config: Mapping[str, Any]) -> dict[str, Any]:
    configurable = dict(config["configurable"])
    configurable.pop("checkpoint_id", None)
    return {"configurable": configurable}


def _special(updates: Sequence[StateUpdate]) -> str | None:
    """``END``, ``COPY`` or ``INPUT`` for LangGraph's clearing, copying or input update."""
    values, as_node = updates[0][0], updates[0][1]
    if as_node == COPY:
        if len(updates) > 1:
            raise InvalidUpdateError("Cannot copy checkpoint with multiple updates")
        return COPY
    if values is None and as_node == END:
        if len(updates) > 1:
            raise InvalidUpdateError("Cannot apply multiple updates when clearing state")
        return END
    if as_node == INPUT:
        if len(updates) > 1:
            raise InvalidUpdateError("Cannot apply multiple updates when updating as input")
        return INPUT
    return None
