"""The checkpoint an ``update_state`` superstep makes, planned without I/O.

:func:`plan_update` builds it from the parent checkpoint and the updates:
the sync and async entry points of :mod:`._state` load the parent, call it,
and store what it returns. Standard library only.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._engine import Plan
from ._persist import (
    BRANCH,
    START,
    TASKS,
    task_id,
)
from ._thread_keys import deferred_of, due_tasks
from .checkpoint import checkpoint_config, uuid6
from .control import as_command, as_send
from .errors import InvalidUpdateError
from .fingerprint import SCHEMA_KEY, schema_entry
from .run import check_concurrent_writes, check_update

END = "__end__"
COPY = "__copy__"
"""``as_node`` of an update that copies the checkpoint as a ``"fork"`` (LangGraph's)."""
INPUT = "__input__"

StateUpdate = tuple[Any, str | None] | tuple[Any, str | None, str | None]
"""``(values, as_node)`` or ``(values, as_node, task_id)``: one update of a superstep."""


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
    reusable: dict[str, list[str]] = {}
    if saved is not None and saved.pending_writes is not None:
        # an update as a node takes the id of its due task (a Send task's first)
        for name, kind in due_tasks(stored):
            reusable.setdefault(name, []).append(task_id(base["id"], ns, name, kind))
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
        check_concurrent_writes(state_updates, plan.last_value, plan.untracked)
    written: set[str] = set()
    for update in state_updates:
        if update:
            plan.apply(values, update)
            written.update(update)
    branches = {ch for _, writes in task_writes for ch, _ in writes if ch.startswith(BRANCH)}
    # the due nodes' triggers and the input are cleared: the update is a step of its own
    lasting = _lasting_triggers(plan) & stored.keys()
    cleared = {
        ch
        for ch in stored
        if (ch.startswith(BRANCH) or ch in (START, TASKS))
        and ch not in branches
        and ch not in lasting
    }
    if sends:
        branches.add(TASKS)
    versions = dict(base["channel_versions"])
    bump_versions(versions, written | branches | (cleared & set(versions)), next_version)
    # a key never written (a reducer's start value) is left out, as a run leaves it out
    channel_values: dict[str, Any] = {
        key: values[key] for key in plan.fields if key in values and key in versions
    }
    for channel in sorted(branches | lasting):
        channel_values[channel] = sends if channel == TASKS else None
    # as LangGraph's, each updating node is recorded as having seen no channel
    seen = {node: dict(seen) for node, seen in base["versions_seen"].items()}
    for as_node, _, _ in updates:
        seen.setdefault(as_node, {})
    checkpoint, metadata, new_versions = updated_checkpoint(
        plan, base, step, parents, versions, channel_values, seen
    )
    stored_writes = (
        ()
        if saved is None or superseded
        else tuple((tid, [(ch, v) for ch, v in writes]) for tid, writes in task_writes if writes)
    )
    return PlannedUpdate(parent_config, stored_writes, checkpoint, metadata, new_versions)


def _lasting_triggers(plan: Plan) -> set[str]:
    """The triggers an update leaves standing: a join's target and a deferred node stay due,
    as LangGraph's barrier and deferred channels keep their value through a step that does
    not run their node (its branch channels of plain edges are cleared by any step)."""
    targets = {target for _, target in plan.joins} | deferred_of(plan)
    return {BRANCH + target for target in targets}


def bump_versions(
    versions: dict[str, Any], changed: set[str], next_version: Callable[[Any, None], Any]
) -> None:
    """Give the ``changed`` channels one new version (the saver's next)."""
    if changed:
        version = next_version(max(versions.values()) if versions else None, None)
        for channel in changed:
            versions[channel] = version


def updated_checkpoint(
    plan: Plan,
    base: Mapping[str, Any],
    step: int,
    parents: dict[str, Any],
    versions: dict[str, Any],
    channel_values: dict[str, Any],
    seen: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The checkpoint (``source: "update"``) an update makes on top of ``base``, its
    metadata and the versions it changed."""
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
    return checkpoint, metadata, new_versions


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
