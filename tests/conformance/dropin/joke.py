"""The reference document's joke chain ("Stream graph state"), built by chained calls."""

from typing import TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    topic: str
    joke: str


def refine_topic(state: State):
    return {"topic": state["topic"] + " and cats"}


def generate_joke(state: State):
    return {"joke": f"This is a joke about {state['topic']}"}


graph = (
    StateGraph(State)
    .add_node(refine_topic)
    .add_node(generate_joke)
    .add_edge(START, "refine_topic")
    .add_edge("refine_topic", "generate_joke")
    .add_edge("generate_joke", END)
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"topic": "ice cream"}, {}]
CONFIGS = [None, {"tags": ["my-tag"], "metadata": {"user_id": "u-1"}, "recursion_limit": 3}]
