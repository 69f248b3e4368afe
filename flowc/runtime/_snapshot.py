"""A thread's state as read from outside a run: :class:`StateSnapshot` and :func:`snapshot`.

:func:`snapshot` turns a stored checkpoint into a :class:`StateSnapshot`
(LangGraph's fields: values, next, config, metadata, created_at,
parent_config, tasks, interrupts); :func:`state_of` loads and reads one.
:mod:`._state` re-exports every name. Standard library only.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ._engine import Plan
from ._persist import (
    NULL_TASK_ID,
    START,
    TASKS,
    next_of,
    subgraph_state,
    task_id,
)
from ._sansio import drive_async, drive_sync
from ._thread_keys import deferred_of, due_tasks, without_waiting
from .control import as_send

ValuesT = TypeVar("ValuesT")

END = "__end__"
PUSH = "__pregel_push"
PULL = "__pregel_pull"


def thread_config(config: Mapping[str, Any], needed_by: str) -> dict[str, Any]:
    """The config of ``config``'s thread as its saver keys it (the thread id as text, the root
    namespace unless one is named); ``needed_by`` is the call a config without a thread fails."""
    configurable = dict(config.get("configurable") or {})
    if configurable.get("thread_id") is None:
        raise ValueError(
            f"{needed_by} needs a thread: config={{'configurable': {{'thread_id': ...}}}}"
        )
    # a run keeps its checkpoints under the thread id as text (a uuid.UUID given, too)
    configurable["thread_id"] = str(configurable["thread_id"])
    configurable.setdefault("checkpoint_ns", "")
    return {"configurable": configurable}


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
    for name, kind in due_tasks(saved.checkpoint["channel_values"]):
        node = plan.nodes.get(name)
        if node is None or node.subgraph is None or node.subgraph.own_saver is not None:
            continue
        tid = task_id(saved.checkpoint["id"], ns, name, kind)
        config = subgraph_state(
            str(configurable["thread_id"]), ns, name, tid, node.subgraph.stateful
        )
        out.append((tid, node.subgraph, config))
    return out


def reading_state(
    plan: Plan, config: Mapping[str, Any], saved: Any, *, live: bool, recurse: bool
) -> Generator[tuple[str, Any], Any, StateSnapshot[Any]]:
    """:func:`state_of`'s rules, sans I/O: yields ``("get_tuple", config)`` for each due
    subgraph task's checkpoint it reads and is sent the saver's answer."""
    children: dict[str, Any] = {}
    if recurse:
        for tid, child, child_config in subgraph_tasks(plan, saved):
            found = yield "get_tuple", child_config
            children[tid] = yield from reading_state(
                child, child_config, found, live=True, recurse=True
            )
    return snapshot(plan, config, saved, live=live, children=children)


def state_of(
    plan: Plan, saver: Any, config: Mapping[str, Any], saved: Any, *, live: bool, recurse: bool
) -> StateSnapshot[Any]:
    """:func:`snapshot`, with each due subgraph task's state read from its checkpoints if ``recurse``."""
    steps = reading_state(plan, config, saved, live=live, recurse=recurse)
    return drive_sync(steps, lambda _, child_config: saver.get_tuple(child_config))


async def astate_of(
    plan: Plan, saver: Any, config: Mapping[str, Any], saved: Any, *, live: bool, recurse: bool
) -> StateSnapshot[Any]:
    """Async twin of :func:`state_of`."""
    steps = reading_state(plan, config, saved, live=live, recurse=recurse)
    return await drive_async(steps, lambda _, child_config: saver.aget_tuple(child_config))


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
    due = without_waiting(due, deferred_of(plan))
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
        tid = task_id(checkpoint_id, ns, name, f"push:{path[1]}" if path[0] == PUSH else "pull")
        state: Any = None
        if name in plan.subgraphs:
            # a Send task to a subgraph node runs it in a namespace of its own, as a pull task
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
