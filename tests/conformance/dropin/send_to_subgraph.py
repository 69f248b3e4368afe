"""A Send to a subgraph node starts the subgraph from the Send's argument, keys its parent
lacks included, as in LangGraph: `prompt` is a key of the child's state only.

Once with TypedDict states, once with pydantic ones.
"""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Send
from pydantic import BaseModel, Field


class Child(TypedDict):
    prompt: str
    answers: Annotated[list[str], operator.add]


class Parent(TypedDict):
    prompts: list[str]
    answers: Annotated[list[str], operator.add]


class ChildModel(BaseModel):
    prompt: str
    answers: Annotated[list[str], operator.add] = Field(default_factory=list)


class ParentModel(BaseModel):
    prompts: list[str]
    answers: Annotated[list[str], operator.add] = Field(default_factory=list)


def ask(state: Child):
    return {"answers": [f"{state['prompt'].upper()} ({len(state['answers'])})"]}


def ask_model(state: ChildModel):
    return {"answers": [f"{state.prompt.upper()} ({len(state.answers)})"]}


def assign(state: Parent):
    return [Send("child", {"prompt": p}) for p in state["prompts"]]


def assign_model(state: ParentModel):
    return [Send("child", {"prompt": p}) for p in state.prompts]


child = StateGraph(Child).add_node("ask", ask).add_edge(START, "ask").compile()
child_model = StateGraph(ChildModel).add_node("ask", ask_model).add_edge(START, "ask").compile()

graph = (
    StateGraph(Parent)
    .add_node("child", child)
    .add_conditional_edges(START, assign, ["child"])
    .compile()
)
models = (
    StateGraph(ParentModel)
    .add_node("child", child_model)
    .add_conditional_edges(START, assign_model, ["child"])
    .compile()
)

GRAPHS = ["graph", "models"]
# one Send a run: two children run side by side, and their events interleave as they race
INPUTS = [{"prompts": ["a"]}, {"prompts": ["b"], "answers": ["kept"]}]
