"""The names of a thread's checkpoints, as LangGraph makes them: configs, task ids, and the
channels that say which nodes are due. Standard library only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Final

from .control import as_send
from .events import TaskId

START: Final = "__start__"


BRANCH: Final = "branch:to:"

TASKS: Final = "__pregel_tasks"
"""The channel of a checkpoint's ``Send`` tasks (LangGraph's)."""

_blake2b: Any = None
"""``hashlib.blake2b``, once a task id was made (an import statement per id costs more)."""


def task_id(checkpoint_id: str, ns: str, name: str, kind: str = "pull") -> TaskId:
    """The id of ``name``'s task scheduled by checkpoint ``checkpoint_id``.

    LangGraph makes a task's id from the checkpoint that scheduled it, so
    ``get_state`` gives a due task the id its run streamed; so does this.
    """
    global _blake2b
    blake2b = _blake2b
    if blake2b is None:
        # hashlib (OpenSSL) is imported by the first run on a thread, not with every runner
        from hashlib import blake2b

        _blake2b = blake2b
    digest = blake2b(f"{checkpoint_id}|{ns}|{name}|{kind}".encode(), digest_size=16).hexdigest()
    return TaskId(f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}")


NOT_METADATA: Final = frozenset(
    {
        "thread_id",
        "checkpoint_id",
        "checkpoint_ns",
        "checkpoint_map",
        "langgraph_step",
        "langgraph_node",
        "langgraph_triggers",
        "langgraph_path",
        "langgraph_checkpoint_ns",
    }
)
"""The ``configurable`` keys LangGraph keeps out of checkpoint metadata and out of the metadata of
task events (its ``EXCLUDED_METADATA_KEYS``): a node that passes its config on to a graph it
runs gives that run its thread's keys."""


def config_metadata(config: Mapping[str, Any]) -> dict[str, Any]:
    """What a run's config adds to each checkpoint's metadata, as LangGraph's savers add it.

    The scalar values of its ``metadata`` and ``configurable`` (strings, numbers,
    booleans), but for the thread's own keys and those starting with ``__``; a key
    of ``metadata`` wins over one of ``configurable``, and the checkpoint's own
    metadata over both (the saver's ``get_checkpoint_metadata``).
    """
    out: dict[str, Any] = {}
    for part in (config.get("metadata"), config.get("configurable")):
        if not part or (type(part) is not dict and not isinstance(part, Mapping)):
            continue
        for key, value in part.items():
            if key in out or key in NOT_METADATA or key.startswith("__"):
                continue
            if isinstance(value, str):
                out[key] = value.replace("\u0000", "")
            elif isinstance(value, int | float):  # bool is an int
                out[key] = value
    return out


def with_config_metadata(metadata: dict[str, Any], extras: Mapping[str, Any]) -> dict[str, Any]:
    """``metadata`` with ``extras`` (see :func:`config_metadata`) for the keys it lacks."""
    if not extras:
        return metadata
    return {**metadata, **{k: v for k, v in extras.items() if k not in metadata}}


def next_of(channel_values: Mapping[str, Any]) -> tuple[str, ...]:
    """The nodes a stored checkpoint says are due, in LangGraph's order (by name)."""
    due = [key[len(BRANCH) :] for key in channel_values if key.startswith(BRANCH)]
    if START in channel_values:
        due.append(START)
    return tuple(sorted(due))


def due_tasks(channel_values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A stored checkpoint's due tasks as ``(node, kind)``, in LangGraph's order: its ``Send``
    tasks first (``push:<index>``), then the nodes it has due (``pull``)."""
    sends = [send for send in map(as_send, channel_values.get(TASKS) or ()) if send is not None]
    out = [(send.node, f"push:{index}") for index, send in enumerate(sends)]
    out.extend((name, "pull") for name in next_of(channel_values))
    return out


def deferred_of(plan: Any) -> frozenset[str]:
    """The names of ``plan``'s deferred nodes (``defer=True``): none when it defers none."""
    if not plan.deferring:
        return frozenset()
    return frozenset(name for name, node in plan.nodes.items() if node.defer)


def without_waiting(due: tuple[str, ...], deferred: Collection[str]) -> tuple[str, ...]:
    """``due`` without its ``deferred`` nodes while other nodes are due: as LangGraph's deferred
    channels, such a node is a task (of a snapshot, of a streamed checkpoint) only once
    nothing else is left to run."""
    if not deferred:
        return due
    waiting = [name for name in due if name in deferred]
    if waiting and len(waiting) < len(due):
        return tuple(name for name in due if name not in deferred)
    return due


def _config(
    thread_id: str, ns: str, checkpoint_id: str, parents: Mapping[str, str] | None = None
) -> dict[str, Any]:
    if parents:
        # a subgraph's checkpoint names its parents' too, as LangGraph's checkpoint_map
        return {
            "configurable": {
                "checkpoint_ns": ns,
                "thread_id": thread_id,
                "checkpoint_map": {**parents, ns: checkpoint_id},
                "checkpoint_id": checkpoint_id,
            }
        }
    return {
        "configurable": {
            "checkpoint_ns": ns,
            "thread_id": thread_id,
            "checkpoint_id": checkpoint_id,
        }
    }


def subgraph_state(
    thread_id: str, ns: str, name: str, tid: str, stateful: bool = False
) -> dict[str, Any]:
    """What a due subgraph task's ``state`` is in a snapshot: the config of its checkpoints.

    A ``stateful`` subgraph's (``compile(checkpointer=True)``) namespace has no task ids.
    """
    if stateful:
        return {"configurable": {"thread_id": thread_id, "checkpoint_ns": stateful_ns(ns, name)}}
    own = f"{name}:{tid}"
    return {"configurable": {"thread_id": thread_id, "checkpoint_ns": f"{ns}|{own}" if ns else own}}


def stateful_ns(ns: str, name: str) -> str:
    """The namespace of a stateful subgraph run by node ``name`` in namespace ``ns``."""
    return "|".join((*(part.partition(":")[0] for part in ns.split("|") if part), name))


def _root_checkpoint_id(configurable: Mapping[str, Any]) -> str | None:
    """The root graph's checkpoint a run's config names (``None``: the thread's latest).

    A subgraph's checkpoint config (``get_state(subgraphs=True)`` gives them) names the
    subgraph's namespace and checkpoint: a root run given it goes on from the root checkpoint
    its ``checkpoint_map`` names, as LangGraph's does.
    """
    mapped = configurable.get("checkpoint_map")
    if configurable.get("checkpoint_ns") and isinstance(mapped, Mapping):
        return mapped.get("") or None
    return configurable.get("checkpoint_id") or None


def _subgraph_checkpoints(configurable: Mapping[str, Any]) -> Mapping[str, str] | None:
    mapped = configurable.get("checkpoint_map")
    if configurable.get("checkpoint_ns") and isinstance(mapped, Mapping):
        return {ns: cid for ns, cid in mapped.items() if ns}
    return None


def _uuid6(step: int) -> Any:
    from .checkpoint import uuid6

    return uuid6(clock_seq=step)
