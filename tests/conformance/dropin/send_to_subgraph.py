"""A Send to a subgraph node starts the subgraph from the Send's argument, keys its parent
lacks included, as in LangGraph: `prompt` is a key of the child's state only.

Pydantic states are compared in `tests/conformance/test_send_to_subgraph.py` (LangGraph's v2
parts of a subgraph under a pydantic parent are a known difference, see `test_v2.py`).
"""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Send


class Child(TypedDict):
    prompt: str
    answers: Annotated[list[str], operator.add]


class Parent(TypedDict):
    prompts: list[str]
    answers: Annotated[list[str], operator.add]


def ask(state: Child):
    return {"answers": [f"{state['prompt'].upper()} ({len(state['answers'])})"]}


def assign(state: Parent):
    return [Send("child", {"prompt": p}) for p in state["prompts"]]


child = StateGraph(Child).add_node("ask", ask).add_edge(START, "ask").compile()

graph = (
    StateGraph(Parent)
    .add_node("child", child)
    .add_conditional_edges(START, assign, ["child"])
    .compile()
)

GRAPHS = ["graph"]
# one Send a run: two children run side by side, and their events interleave as they race
INPUTS = [{"prompts": ["a"]}, {"prompts": ["b"], "answers": ["kept"]}]
