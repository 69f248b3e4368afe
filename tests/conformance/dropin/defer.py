"""Deferred nodes (`defer=True`): they run once nothing else is left to run.

A deferred node reached early waits for a longer branch; one behind a join waits for the
join; a deferred node runs next to the `Send` tasks of the step it would run in; two
deferred nodes run together at the end.
"""

import itertools
import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Send


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


def logs(name, delay=0.0):
    def node(state: State):
        time.sleep(delay)
        return {"log": [f"{name} after {len(state['log'])}"]}

    node.__name__ = name
    return node


def chain(builder, *names):
    for name in names:
        builder.add_node(name, logs(name))
    for a, b in itertools.pairwise(names):
        builder.add_edge(a, b)
    return builder


waits_for_a_branch = chain(StateGraph(State), "a", "b", "c")
waits_for_a_branch.add_node("summary", logs("summary"), defer=True)
waits_for_a_branch.add_edge(START, "a").add_edge("a", "summary").add_edge("c", "summary")
waits_for_a_branch = waits_for_a_branch.compile()

behind_a_join = StateGraph(State).add_node("b", logs("b", 0.02)).add_node("c", logs("c"))
behind_a_join.add_edge("b", "c").add_node("a", logs("a")).add_node(
    "summary", logs("summary"), defer=True
)
behind_a_join.add_edge(START, "a").add_edge(START, "b").add_edge(["a", "b"], "summary")
behind_a_join = behind_a_join.compile()


def fan_out(state: State):
    return [Send("sent", {"topic": "s", "log": []})]


with_sends = StateGraph(State).add_node("a", logs("a")).add_node("sent", logs("sent"))
with_sends.add_node("summary", logs("summary", 0.02), defer=True)
with_sends.add_edge(START, "a").add_conditional_edges("a", fan_out).add_edge("a", "summary")
with_sends = with_sends.compile()

two_deferred = chain(StateGraph(State), "a", "b", "c")
two_deferred.add_node("first", logs("first"), defer=True)
two_deferred.add_node("second", logs("second", 0.02), defer=True)
two_deferred.add_edge(START, "a").add_edge("a", "first").add_edge("b", "second")
two_deferred = two_deferred.compile()

alone = StateGraph(State).add_node("a", logs("a"))
alone.add_node("summary", logs("summary"), defer=True)
alone = alone.add_edge(START, "a").add_edge("a", "summary").compile()

GRAPHS = ["waits_for_a_branch", "behind_a_join", "with_sends", "two_deferred", "alone"]
# LangGraph draws dotted edges into deferred nodes from the nodes of the step before they run
# (docs/differences-from-langgraph.md)
DRAWN = ["waits_for_a_branch", "with_sends", "alone"]
INPUTS = [{"topic": "cats", "log": []}]
