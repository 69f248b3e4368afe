"""Deferred nodes (`defer=True`): they run once nothing else is left to run.

A deferred node reached early waits for a longer branch; one behind a join waits for the
join; a deferred node runs next to the `Send` tasks of the step it would run in; two
deferred nodes run together at the end.
"""

import itertools
import operator
import threading
import time
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Send


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]


def logs(name, *, signal=None, after=None):
    """A node that logs its name; it sets ``signal`` when done, and with ``after`` it finishes
    after that event was set (and cleared it), so that the order of the chunks of parallel
    nodes does not depend on how loaded the machine is."""

    def node(state: State):
        if after is not None:
            after.wait(5)
            after.clear()
            # and the other node's result is in
            time.sleep(0.04)
        result = {"log": [f"{name} after {len(state['log'])}"]}
        if signal is not None:
            signal.set()
        return result

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

a_done, sent_done, first_done = threading.Event(), threading.Event(), threading.Event()
behind_a_join = StateGraph(State).add_node("b", logs("b", after=a_done)).add_node("c", logs("c"))
behind_a_join.add_edge("b", "c").add_node("a", logs("a", signal=a_done)).add_node(
    "summary", logs("summary"), defer=True
)
behind_a_join.add_edge(START, "a").add_edge(START, "b").add_edge(["a", "b"], "summary")
behind_a_join = behind_a_join.compile()


def fan_out(state: State):
    return [Send("sent", {"topic": "s", "log": []})]


with_sends = (
    StateGraph(State).add_node("a", logs("a")).add_node("sent", logs("sent", signal=sent_done))
)
with_sends.add_node("summary", logs("summary", after=sent_done), defer=True)
with_sends.add_edge(START, "a").add_conditional_edges("a", fan_out).add_edge("a", "summary")
with_sends = with_sends.compile()

two_deferred = chain(StateGraph(State), "a", "b", "c")
two_deferred.add_node("first", logs("first", signal=first_done), defer=True)
two_deferred.add_node("second", logs("second", after=first_done), defer=True)
two_deferred.add_edge(START, "a").add_edge("a", "first").add_edge("b", "second")
two_deferred = two_deferred.compile()

alone = StateGraph(State).add_node("a", logs("a"))
alone.add_node("summary", logs("summary"), defer=True)
alone = alone.add_edge(START, "a").add_edge("a", "summary").compile()

GRAPHS = ["waits_for_a_branch", "behind_a_join", "with_sends", "two_deferred", "alone"]
INPUTS = [{"topic": "cats", "log": []}]
