"""Node and router functions shared by the flowc, LangGraph and hand-written versions.

Kept as small as a node can be, so that a benchmark measures the machinery
around the nodes, not the nodes. The module imports nothing at run time beyond
``typing``, so that it adds nothing to the import-time measurement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowc.runtime import StreamWriter

LOOP_STEPS = 1000
"""How many times the self-loop graph runs its node."""


def inc(state: dict[str, Any]) -> dict[str, Any]:
    """Count one step."""
    return {"count": state["count"] + 1}


def inc_write(state: dict[str, Any], writer: StreamWriter) -> dict[str, Any]:
    """Count one step and tell the stream writer."""
    count = state["count"] + 1
    writer({"count": count})
    return {"count": count}


def fan(state: dict[str, Any]) -> dict[str, Any]:
    """One of the parallel nodes: append one item through the list reducer."""
    return {"items": [1]}


def join(state: dict[str, Any]) -> dict[str, Any]:
    """The node that waits for every parallel node."""
    return {"count": len(state["items"])}


def again(state: dict[str, Any]) -> str:
    """Router of the self-loop: go round until the count reaches ``LOOP_STEPS``."""
    return "tick" if state["count"] < LOOP_STEPS else "__end__"


def fan_write(state: dict[str, Any], writer: StreamWriter) -> dict[str, Any]:
    """A parallel node that tells the stream writer, then appends one item."""
    writer({"items": 1})
    return {"items": [1]}


def to_fan(state: dict[str, Any]) -> str:
    """First router of the router graph: on to the node that fans out."""
    return "b0"


def to_tail(state: dict[str, Any]) -> str:
    """Second router of the router graph: on to the tail of the graph."""
    return "c2"


NAP_SECONDS = 0.01
"""How long each node of the parallel-sleep graph sleeps."""


def nap(state: dict[str, Any]) -> dict[str, Any]:
    """Sleep (a stand-in for a blocking call), then append one item."""
    import time

    time.sleep(NAP_SECONDS)
    return {"items": [1]}
