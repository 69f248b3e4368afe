"""Graphs compiled without a checkpointer that stop: at `interrupt()`, in a subgraph, at a
breakpoint.

LangGraph lets such a run stop: the stream ends with the `__interrupt__` update, `invoke`
returns the state with it (a breakpoint's run with none), no checkpoint streams, and
`Command(resume=...)` raises, as nothing could resume the run.
"""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


def pre(state: State):
    return {"log": ["pre"]}


def ask(state: State):
    if state["topic"] == "ask":
        return {"log": [f"ask:{interrupt({'about': state['topic']})}"]}
    return {"log": ["ask:not asked"]}


def after(state: State):
    return {"log": ["after"]}


builder = StateGraph(State)
builder.add_node("pre", pre)
builder.add_node("ask", ask)
builder.add_node("after", after)
builder.add_edge(START, "pre")
builder.add_edge("pre", "ask")
builder.add_edge("ask", "after")
graph = builder.compile()

# the subgraph is compiled without one too: a node of the root, it stops the root's run
inner = StateGraph(State)
inner.add_node("ask", ask)
inner.add_edge(START, "ask")
outer = StateGraph(State)
outer.add_node("pre", pre)
outer.add_node("inner", inner.compile())
outer.add_edge(START, "pre")
outer.add_edge("pre", "inner")
nested = outer.compile()

plain = StateGraph(State)
plain.add_node("pre", pre)
plain.add_node("after", after)
plain.add_edge(START, "pre")
plain.add_edge("pre", "after")
before_after = plain.compile(interrupt_before=["after"])
after_pre = plain.compile(interrupt_after=["pre"])

GRAPHS = {
    "graph": graph,
    "nested": nested,
    "before_after": before_after,
    "after_pre": after_pre,
}
INPUTS = {
    "graph": [{"topic": "ask", "log": []}, {"topic": "no", "log": []}, Command(resume="yes")],
    "nested": [{"topic": "ask", "log": []}, {"topic": "no", "log": []}],
    "before_after": [{"topic": "t", "log": []}],
    "after_pre": [{"topic": "t", "log": []}],
}
