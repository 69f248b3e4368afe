"""Fan-out from START to three nodes that finish in reverse name order, then a join.

``updates`` come in completion order (zeta, mid, alpha) while the ``log`` reducer
receives the writes in node-name order; ``summarize`` waits for all three
(``add_edge([...], "summarize")``). The nodes are closures named after their node.
"""

import operator
import threading
import time
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    topic: str
    log: Annotated[list[str], operator.add]
    summary: str


class Turns:
    """Lets parallel nodes finish one after the other, in a chosen order."""

    def __init__(self, *order: str) -> None:
        self.order = order
        self.turn = 0
        self.cond = threading.Condition()
        self.ordered = True
        """False while the nodes run one at a time (``max_concurrency=1``): none may wait
        for a turn, which a node that has not started yet could never hand over."""

    def wait(self, name: str) -> None:
        if not self.ordered:
            return
        with self.cond:
            self.cond.wait_for(lambda: self.order[self.turn] == name, timeout=5)
        time.sleep(0.02)

    def done(self) -> None:
        if not self.ordered:
            return
        with self.cond:
            self.turn = (self.turn + 1) % len(self.order)
            self.cond.notify_all()


turns = Turns("zeta", "mid", "alpha")


def visit(name):
    def node(state: State):
        turns.wait(name)
        try:
            return {"log": [f"{name} saw {state['topic']}"]}
        finally:
            turns.done()

    node.__name__ = name
    return node


def summarize(state: State):
    return {"summary": " / ".join(state["log"])}


builder = StateGraph(State)
for name in ("alpha", "mid", "zeta"):
    builder.add_node(visit(name))
builder.add_node(summarize)
builder.add_edge(START, "alpha")
builder.add_edge(START, "mid")
builder.add_edge(START, "zeta")
builder.add_edge(["alpha", "mid", "zeta"], "summarize")
builder.add_edge("summarize", END)
graph = builder.compile()

GRAPHS = ["graph"]
INPUTS = [{"topic": "ice cream"}]
