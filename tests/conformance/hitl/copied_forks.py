"""`update_state(config, [(values, as_node), ...], "__copy__")`: the checkpoint is copied as a fork and
the updates are a superstep on top of the copy, each taking the id of a due task of its node (a
`Send` task's first, then the node's own), so that the tasks show the updates as their results;
the thread goes on from there."""

import time
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, Send


def joined(a, b):
    return f"{a} > {b}" if a else b


class State(TypedDict):
    name: Annotated[str, joined]


def one(state: State):
    return Command(goto=[Send("two", {"name": "sent"})], update={"name": "one"})


def two(state: State):
    # the node's own task well after its Send task, so that both sides stream them in one order
    time.sleep(0 if state["name"] == "sent" else 0.2)
    return {"name": "two"}


def three(state: State):
    return {"name": "three"}


builder = StateGraph(State)
builder.add_node("one", one)
builder.add_node("two", two)
builder.add_node("three", three)
builder.add_edge(START, "one")
builder.add_edge("one", "two")
builder.add_edge("two", "three")


def fork_at(*names, values):
    def fork(graph, config):
        (state,) = [
            s for s in graph.get_state_history(config) if [t.name for t in s.tasks] == list(names)
        ]
        updates = [({"name": value}, name) for name, value in zip(names, values, strict=True)]
        graph.update_state(state.config, updates, "__copy__")
        return None

    return fork


GRAPHS = {"twice": (builder, {}), "start": (builder, {})}
SCRIPTS = {
    "twice": [{"name": "start"}, fork_at("two", "two", values=("two*", "two**")), None],
    "start": [{"name": "start"}, fork_at("__start__", values=("start*",)), None],
}
