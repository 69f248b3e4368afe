"""Graph input and output schemas, and private channels left out of what invoke returns.

An input sets the keys of the input schema only (others are ignored); `invoke` returns the
keys of the output schema, in its order, while `values` chunks show every channel.
"""

import operator
from typing import Annotated, NotRequired

from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel
from typing_extensions import TypedDict


class State(TypedDict):
    question: str
    notes: Annotated[list[str], operator.add]
    answer: str


class Question(TypedDict):
    question: str


class Answer(TypedDict):
    # `score` is no key of the state: the output schema makes it a channel
    answer: str
    score: NotRequired[int]


def think(state: State):
    return {"notes": [f"about {state['question']}"]}


def reply(state: State):
    return {"answer": state["question"].upper(), "score": len(state["notes"])}


schemas = (
    StateGraph(State, input_schema=Question, output_schema=Answer)
    .add_node("think", think)
    .add_node("reply", reply)
    .add_edge(START, "think")
    .add_edge("think", "reply")
    .add_edge("reply", END)
    .compile()
)


class Draft(TypedDict):
    draft: str


def write(state: State) -> Draft:
    return {"draft": state["question"] + "?"}


def polish(state: Draft):
    return {"answer": state["draft"] * 2}


private = (
    StateGraph(State)
    .add_node("write", write)
    .add_node("polish", polish)
    .add_edge(START, "write")
    .add_edge("write", "polish")
    .compile()
)


class Profile(BaseModel):
    name: str
    visits: int = 0


class Visitor(BaseModel):
    name: str


def visit(state: Profile):
    return {"visits": state.visits + 1}


validated = (
    StateGraph(Profile, input_schema=Visitor)
    .add_node("visit", visit)
    .add_edge(START, "visit")
    .compile()
)

GRAPHS = ["schemas", "private", "validated"]
INPUTS = {
    "schemas": [
        {"question": "why"},
        # keys the input schema has not (the state's too) are ignored
        {"question": "how", "notes": ["given"], "answer": "ignored", "draft": "ignored"},
    ],
    "private": [{"question": "why"}, {"question": "how", "draft": "ignored", "nonsense": 1}],
    # an instance of the input schema, and a dict with a key no schema has
    "validated": [Visitor(name="ada"), {"name": "bob", "nonsense": 1}],
}
