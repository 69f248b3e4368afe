"""`update_state` at a breakpoint before a node a join or `defer=True` made due: the node stays
due when the update is made as the node that ran last or as one leading to it,
and the next run runs it."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def logs(name):
    def node(state: State):
        return {"log": [name]}

    return node


# a -> b, and the join [a, b] -> qa: qa is due after b, by the join alone
joined = StateGraph(State)
for name in ("a", "b", "qa"):
    joined.add_node(name, logs(name))
joined.add_edge(START, "a")
joined.add_edge("a", "b")
joined.add_edge(["a", "b"], "qa")

# a -> qa (deferred) and a -> b -> c: qa is due after c, by its deferred trigger alone
deferred = StateGraph(State)
for name in ("a", "b", "c"):
    deferred.add_node(name, logs(name))
deferred.add_node("qa", logs("qa"), defer=True)
deferred.add_edge(START, "a")
deferred.add_edge("a", "qa")
deferred.add_edge("a", "b")
deferred.add_edge("b", "c")


def update(as_node):
    def edit(graph, config):
        graph.update_state(config, {"log": ["edited"]}, as_node=as_node)
        return None

    return edit


BREAK = {"interrupt_before": ["qa"]}
GRAPHS = {
    "joined_as_last": (joined, BREAK),
    "joined_as_source": (joined, BREAK),
    "deferred_as_last": (deferred, BREAK),
    "deferred_as_source": (deferred, BREAK),
}
SCRIPTS = {
    "joined_as_last": [{"log": []}, update(None), None],
    "joined_as_source": [{"log": []}, update("a"), None],
    "deferred_as_last": [{"log": []}, update(None), None],
    "deferred_as_source": [{"log": []}, update("a"), None],
}
