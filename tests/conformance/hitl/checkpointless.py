"""A subgraph compiled with `checkpointer=False`: it keeps no checkpoint on its parent's thread, its
task names no state of its own, and a resume runs it again from its start (its nodes before the
interrupt too); a scalar resume answers its interrupt, a resume map does not (its ids are new
each run), as in LangGraph."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def prepare(state: State):
    return {"log": ["prepare"]}


def ask(state: State):
    return {"log": [f"ask:{interrupt('ok?')}"]}


def after(state: State):
    return {"log": [f"after:{len(state['log'])}"]}


inner = StateGraph(State)
inner.add_node("prepare", prepare)
inner.add_node("ask", ask)
inner.add_edge(START, "prepare")
inner.add_edge("prepare", "ask")

fresh = StateGraph(State)
fresh.add_node("sub", inner.compile(checkpointer=False))
fresh.add_node("after", after)
fresh.add_edge(START, "sub")
fresh.add_edge("sub", "after")


def by_id(graph, config):
    return Command(resume={i.id: "by id" for i in graph.get_state(config).interrupts})


GRAPHS = {"fresh": (fresh, {}), "by_id": (fresh, {})}
SCRIPTS = {
    "fresh": [{"log": []}, None, Command(resume="yes")],
    "by_id": [{"log": []}, by_id, Command(resume="yes")],
}
