"""Nodes that take a narrower input than the state: ``add_node(..., input_schema=...)`` and
an annotation naming a smaller TypedDict (which LangGraph also reads as the node's input schema).
"""

from typing import TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict):
    question: str
    context: str
    answer: str


class QuestionOnly(TypedDict):
    question: str


class ContextOnly(TypedDict):
    context: str


def look_up(state):
    assert set(state) <= {"question"}, state
    return {"context": f"facts about {state['question']}"}


def respond(state: ContextOnly):
    assert set(state) <= {"context"}, state
    return {"answer": f"answer from {state['context']}"}


graph = (
    StateGraph(State)
    .add_node("look_up", look_up, input_schema=QuestionOnly)
    .add_node(respond)
    .add_edge(START, "look_up")
    .add_edge("look_up", "respond")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"question": "bees"}, {"question": "bees", "answer": "old"}]
