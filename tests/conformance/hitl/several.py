"""Several interrupts in one node, and one in a loop: the n-th call gets the n-th answer."""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict, total=False):
    n: int
    log: Annotated[list[str], operator.add]


def form(state: State):
    name = interrupt("name?")
    age = interrupt(f"age of {name}?")
    return {"log": [f"form:{name}:{age}"]}


two = StateGraph(State)
two.add_node("form", form)
two.add_edge(START, "form")
two.add_edge("form", END)


def ask_each(state: State):
    # one interrupt per item, in a loop: answers are matched by their order
    answers = [interrupt(f"item {i}?") for i in range(state["n"])]
    return {"log": ["+".join(str(a) for a in answers)]}


def again(state: State):
    return {"n": state["n"] - 1, "log": ["again"]}


def more(state: State):
    return "again" if state["n"] > 1 else END


loop = StateGraph(State)
loop.add_node("ask_each", ask_each)
loop.add_node("again", again)
loop.add_edge(START, "ask_each")
loop.add_conditional_edges("ask_each", more, ["again", END])
loop.add_edge("again", "ask_each")

GRAPHS = {"two": (two, {}), "loop": (loop, {})}
SCRIPTS = {
    "two": [{"n": 0}, Command(resume="Ada"), Command(resume=36), None],
    "loop": [{"n": 2}, Command(resume="a"), Command(resume="b"), Command(resume="c")],
}
