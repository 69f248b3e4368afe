"""State fields in LangGraph's `DeltaChannel` (named through its module: the channel stays
LangGraph's class in the drop-in, which reads it): a reducer that takes a batch of writes.

`messages` folds each batch through `add_messages`; `items` appends, and a node's `Overwrite`
replaces it. Two nodes of one superstep write both fields.
"""

import time
from typing import Annotated

import langgraph.channels.delta
import langgraph.types
from langchain_core.messages import AIMessage
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict


def fold_messages(state, writes):
    for write in writes:
        state = add_messages(state, write)
    return state


def append_items(state, writes):
    return [*state, *(item for write in writes for item in write)]


class State(TypedDict):
    messages: Annotated[list, langgraph.channels.delta.DeltaChannel(fold_messages)]
    items: Annotated[
        list, langgraph.channels.delta.DeltaChannel(append_items, snapshot_frequency=2)
    ]


def left(state: State):
    n = len(state["messages"])
    return {"messages": [AIMessage(content=f"left saw {n}", id=f"left-{n}")], "items": ["l"]}


def right(state: State):
    # finishes after `left`, so that both libraries stream the superstep in one order
    time.sleep(0.05)
    return {"messages": [AIMessage(content="right", id="right")], "items": [len(state["items"])]}


def reset(state: State):
    # LangGraph's own Overwrite (flowc has none of its own: only a DeltaChannel field takes it)
    return {"items": langgraph.types.Overwrite(["reset"])}


graph = (
    StateGraph(State)
    .add_node("left", left)
    .add_node("right", right)
    .add_node("reset", reset)
    .add_edge(START, "left")
    .add_edge(START, "right")
    .add_edge(["left", "right"], "reset")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"messages": [("user", "hi")], "items": ["given"]}, {"messages": []}]
