"""Nodes of `subgraph_parallel`: one subgraph run by two parallel nodes.

The subgraph's `work` node learns which parent node runs it from its
``checkpoint_ns`` (``"right:<id>|work:<id>"``); the one under ``right``
finishes first, so that the stream is the same on every run.
"""

from __future__ import annotations

import operator
import time
from typing import Annotated, TypedDict

from flowc import get_config, get_stream_writer
from flowc_demo._order import Relay

EXAMPLE_INPUT = {"topic": "ice cream"}


class ParallelState(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]
    summary: str


class WorkState(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


_relay = Relay(("right", "left"))


def work(state: WorkState) -> WorkState:
    ns = get_config()["metadata"]["langgraph_checkpoint_ns"]
    # run on its own, the graph has no parent node to take turns with
    side = ns.split(":")[0] if "|" in ns else None
    if side is None:
        return {"log": [f"work after {len(state['log'])}"]}
    _relay.wait_turn(side)
    if side == "left":
        # `right`'s result still has to come up through its subgraph's loop and its parent's
        time.sleep(0.04)
    try:
        get_stream_writer()({"finishing": side})
        return {"log": [f"{side} after {len(state['log'])}"]}
    finally:
        _relay.done()


def summarize(state: ParallelState) -> ParallelState:
    return {"summary": f"{state['topic']}: " + " / ".join(state["log"])}
