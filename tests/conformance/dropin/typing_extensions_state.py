"""States written with ``typing_extensions``: inheritance, ``total=False``, ``Required``,
``NotRequired``, ``Annotated`` reducers (under ``Required`` too), per-node update types."""

import operator

from langgraph.graph import END, START, StateGraph
from typing_extensions import Annotated, NotRequired, Required, TypedDict  # noqa: UP035 - as LangGraph code writes it


class Base(TypedDict, total=False):
    topic: str
    log: Annotated[list[str], operator.add]


class State(Base):
    count: Required[Annotated[int, operator.add]]
    mood: NotRequired[str]


class Count(TypedDict):
    count: int


class Note(TypedDict, total=False):
    log: list[str]
    mood: str


def count(state: State) -> Count:
    return {"count": 1}


def note(state: State) -> Note:
    return {"log": [f"{state.get('topic', '?')} at {state['count']}"], "mood": "busy"}


def route(state: State):
    return "count" if state["count"] < 3 else END


graph = (
    StateGraph(State)
    .add_node(count)
    .add_node(note)
    .add_edge(START, "count")
    .add_edge("count", "note")
    .add_conditional_edges("note", route, ["count", END])
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"count": 0}, {"count": 1, "topic": "tea", "log": ["start"]}]
