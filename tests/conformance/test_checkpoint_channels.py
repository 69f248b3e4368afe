"""A checkpoint holds the channels a run wrote, as LangGraph's do.

A saver stores a checkpoint's values by the versions that changed; a key that was never
written has no version, so a checkpoint that carried its start value would not be the
checkpoint the saver gives back (LangGraph's own tests check exactly that).
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START as LG_START
from langgraph.graph import StateGraph as LangGraphStateGraph

from flowc.langgraph import START, StateGraph


class State(TypedDict):
    root: Annotated[int, operator.add]
    log: Annotated[list[str], operator.add]
    untouched: Annotated[list[str], operator.add]


def step(state: State) -> dict[str, Any]:
    return {"log": ["step"]}


class RecordingSaver(InMemorySaver):
    """LangGraph's saver, noting the channels of each checkpoint it is handed."""

    def __init__(self) -> None:
        super().__init__()
        self.given: list[list[str]] = []

    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        self.given.append(
            sorted(k for k in checkpoint["channel_values"] if not k.startswith("branch:"))
        )
        return super().put(config, checkpoint, metadata, new_versions)


def _channels(builder_class: Any, start: str) -> list[list[str]]:
    saver = RecordingSaver()
    graph = (
        builder_class(State)
        .add_node("step", step)
        .add_edge(start, "step")
        .compile(checkpointer=saver)
    )
    config = {"configurable": {"thread_id": "t"}}
    graph.invoke({"root": 1}, config)
    return saver.given


def test_checkpoints_hold_the_written_channels_only_as_in_langgraph() -> None:
    assert _channels(StateGraph, START) == _channels(LangGraphStateGraph, LG_START)
    # the key never written is absent from every checkpoint handed to the saver
    assert all("untouched" not in keys for keys in _channels(StateGraph, START))


def _seen_after_a_resume(builder_class: Any, start: str) -> list[Any]:
    saver = InMemorySaver()
    graph = (
        builder_class(State)
        .add_node("step", step)
        .add_edge(start, "step")
        .compile(checkpointer=saver, interrupt_before=["step"])
    )
    config = {"configurable": {"thread_id": "t"}}
    graph.invoke({"root": 1}, config)
    graph.invoke(None, config)
    out = []
    for saved in saver.list(config):
        seen = saved.checkpoint["versions_seen"]
        # the versions themselves are the saver's; which channels each node saw is the graph's
        out.append(sorted((node, sorted(channels)) for node, channels in seen.items()))
    return out


def test_a_resumed_run_records_the_channels_it_resumed_from_as_langgraph() -> None:
    expected = _seen_after_a_resume(LangGraphStateGraph, LG_START)
    assert ("__interrupt__", ["__start__", "branch:to:step", "root"]) in expected[0]
    assert _seen_after_a_resume(StateGraph, START) == expected
