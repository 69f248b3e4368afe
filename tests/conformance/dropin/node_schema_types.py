"""A node's input schema may type a state key otherwise than the state (`str` for the state's
`str | None`): LangGraph passes the value as it is, and so does the drop-in.
"""

from typing import TypedDict

from langgraph.graph import START, StateGraph


class State(TypedDict):
    outcome: str | None
    log: str


class ToolState(TypedDict):
    outcome: str


def decide(state: State):
    return {"outcome": "done" if state["outcome"] is None else f"{state['outcome']} again"}


def record(state: ToolState):
    return {"log": f"{state['outcome']}!"}


builder = StateGraph(State)
builder.add_node("decide", decide)
builder.add_node("record", record, input_schema=ToolState)
builder.add_edge(START, "decide")
builder.add_edge("decide", "record")
graph = builder.compile()

GRAPHS = ["graph"]
INPUTS = [{"outcome": None, "log": ""}, {"outcome": "seen", "log": ""}]
