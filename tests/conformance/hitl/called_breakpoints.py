"""A graph compiled with `interrupt_before` and no checkpointer, run by a node of a graph that has
one (with or without the node's config): it stops there on its parent's thread, and the run's own
`interrupt_after="*"` stops the parent only, not the graph the node runs; nor do the parent's own
breakpoints stop the graph when it is the node itself."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def logs(name):
    def node(state: State):
        return {"log": [name]}

    return node


inner = StateGraph(State)
inner.add_node("model", logs("model"))
inner.add_node("weather", logs("weather"))
inner.add_edge(START, "model")
inner.add_edge("model", "weather")
weather = inner.compile(interrupt_before=["weather"])


def call(state: State):
    return weather.invoke(state)


def call_with_config(state: State, config):
    return weather.invoke(state, config)


def parent(node):
    builder = StateGraph(State)
    builder.add_node("router", logs("router"))
    builder.add_node("weather_graph", node)
    builder.add_edge(START, "router")
    builder.add_edge("router", "weather_graph")
    return builder


AFTER_ALL = {"interrupt_after": "*"}
GRAPHS = {
    "called": (parent(call), {}),
    "called_with_config": (parent(call_with_config), {}),
    "run_breakpoints": (parent(call_with_config), {}),
    # the graph as the node itself, under a parent compiled with a breakpoint of its own
    "as_node": (parent(weather), {"interrupt_before": ["router"]}),
}
SCRIPTS = {
    "called": [{"log": []}, None],
    "called_with_config": [{"log": []}, None],
    "run_breakpoints": [({"log": []}, AFTER_ALL), (None, AFTER_ALL), (None, AFTER_ALL)],
    "as_node": [{"log": []}, None, None],
}
