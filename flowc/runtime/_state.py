"""A thread's state read and changed from outside a run: snapshots and ``update_state``.

:func:`snapshot` (in :mod:`._snapshot`, re-exported) turns a stored checkpoint into a
:class:`StateSnapshot` (LangGraph's fields: values, next, config, metadata, created_at,
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
from collections.abc import Callable, Generator, Mapping, Sequence
from functools import partial
from typing import Any

from ._engine import Plan
from ._persist import (
    BRANCH,
    START,
    TASKS,
    saver_sends,
    statuses,
    task_id,
)
from ._sansio import drive_async, drive_sync
from ._snapshot import (
    StateSnapshot,
    TaskState,
    astate_of,
    reading_state,
    snapshot,
    state_of,
    thread_config,
)
from ._thread_keys import config_metadata, due_tasks, with_config_metadata
from ._update_plan import (
    COPY,
    END,
    INPUT,
    PlannedUpdate,
    StateUpdate,
    _route,
    bump_versions,
    checked_updates,
    plan_update,
    split_commands,
    state_after,
    updated_checkpoint,
)
from .checkpoint import checkpoint_config, uuid6
from .errors import InvalidUpdateError
from .fingerprint import check_schema

__all__ = [
    "COPY",
    "END",
    "INPUT",
    "StateSnapshot",
    "StateUpdate",
    "TaskState",
    "astate_of",
    "aupdate_state",
    "plan_update",
    "reading_state",
    "snapshot",
    "state_of",
    "update_state",
]


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
    for name, kind in due_tasks(stored):
        # each due task's triggers are consumed; one that finished has its writes applied
        if kind == "pull":
            seen[name] = {ch: versions[ch] for ch in (BRANCH + name, START) if ch in versions}
        output = found.get(task_id(base["id"], ns, name, kind), ((), None))[0]
        update = {ch: v for ch, v in output if ch in plan.keys}
        if update:
            plan.apply(values, update)
            written.update(update)
        branches.update(ch for ch, _ in output if ch.startswith(BRANCH))
    cleared = {ch for ch in stored if ch.startswith(BRANCH) or ch in (START, TASKS)}
    bump_versions(versions, written | branches | (cleared & set(versions)), next_version)
    channel_values = {key: values[key] for key in plan.fields if key in values and key in versions}
    for channel in sorted(branches):
        channel_values[channel] = None
    checkpoint, metadata, new_versions = updated_checkpoint(
        plan, base, step, parents, versions, channel_values, seen
    )
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

    def answer(op: str, args: tuple[Any, ...]) -> Any:
        if op != "route":
            return getattr(saver, op)(*args)
        as_node, goto = args
        if not isinstance(goto, tuple):
            raise TypeError(f"the router of node {as_node!r} is async: use aupdate_state")
        return goto

    return drive_sync(_updating(plan, saver, config, supersteps), answer)


async def aupdate_state(
    plan: Plan, saver: Any, config: Mapping[str, Any], supersteps: Sequence[Sequence[StateUpdate]]
) -> dict[str, Any]:
    """Async twin of :func:`update_state` (async routers are awaited)."""

    async def answer(op: str, args: tuple[Any, ...]) -> Any:
        if op != "route":
            return await getattr(saver, "a" + op)(*args)
        goto = args[1]
        return goto if isinstance(goto, tuple) else await goto

    return await drive_async(_updating(plan, saver, config, supersteps), answer)


_Op = tuple[str, tuple[Any, ...]]
"""What :func:`_updating` asks its driver for: a saver method (``get_tuple``, ``put``,
``put_writes``, run as is or as its async twin) and its arguments, or ``("route", (node,
goto))`` for a router's answer, which may be awaitable."""


def _updating(
    plan: Plan, saver: Any, config: Mapping[str, Any], supersteps: Sequence[Sequence[StateUpdate]]
) -> Generator[_Op, Any, dict[str, Any]]:
    """The rules of ``update_state``, sync and async alike: the saver's reads and writes and
    the routers' answers are asked of the driver, which does them and sends back the result."""
    _check_supersteps(supersteps)
    plan = plan_at(plan, config)
    current = thread_config(config, "update_state")
    extras = config_metadata(config)
    for index, updates in enumerate(supersteps):
        saved = yield "get_tuple", (current,)
        if saved is not None:
            check_schema(current["configurable"]["thread_id"], saved.checkpoint, plan.schema)
        superseded = False
        if index == 0 and saved is not None and current["configurable"].get("checkpoint_id"):
            latest = yield "get_tuple", (_latest(current),)
            superseded = latest is not None and latest.checkpoint["id"] != saved.checkpoint["id"]
        special = _special(updates)
        if special == COPY:
            parent, checkpoint, metadata = _copy(saved)
            metadata = with_config_metadata(metadata, extras)
            current = dict((yield "put", (parent, checkpoint, metadata, {})))
            copied = updates[0][0]
            if not isinstance(copied, list) or not copied:
                continue
            # a copy given updates: they are a superstep on top of the copy, as LangGraph's
            updates, special = _copied_updates(copied), None
            saved, superseded = (yield "get_tuple", (current,)), False
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
                goto = yield "route", (as_node, _route(plan, as_node, values))
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
            yield "put_writes", (planned.parent_config, writes, tid, "")
        current = dict(
            (
                yield (
                    "put",
                    (
                        planned.parent_config,
                        planned.checkpoint,
                        with_config_metadata(planned.metadata, extras),
                        planned.new_versions,
                    ),
                )
            )
        )
    return _mapped(current, (yield "get_tuple", (current,)))


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


def _copied_updates(items: Sequence[Any]) -> list[StateUpdate]:
    """The updates a ``__copy__`` update gives (``(values, as_node)`` each) as the superstep
    made on the copy: grouped by node, in the order the nodes first come, as LangGraph's."""
    grouped: dict[Any, list[StateUpdate]] = {}
    for item in items:
        if not isinstance(item, Sequence) or isinstance(item, str):
            raise InvalidUpdateError(f"Invalid update item: {item} when copying checkpoint")
        grouped.setdefault(item[1], []).append((item[0], item[1]))
    return [update for group in grouped.values() for update in group]


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
