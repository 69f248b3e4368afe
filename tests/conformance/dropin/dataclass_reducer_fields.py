"""A dataclass state whose field without a default has a reducer: that field starts from the
reducer's empty value, so an input may leave it out, as in LangGraph.

An input with no state key at all (or only keys the state lacks) runs the node on the empty
state; a field without a reducer or default is still needed.
"""

import operator
from dataclasses import dataclass
from typing import Annotated

from langgraph.graph import START, StateGraph


@dataclass
class Notes:
    info: Annotated[list[str], operator.add]


@dataclass
class Named:
    info: Annotated[list[str], operator.add]
    name: str


def note(state: Notes):
    return {"info": [f"seen {len(state.info)}"]}


def greet(state: Named):
    return {"info": [f"hello {state.name}"]}


notes = StateGraph(Notes).add_node("note", note).add_edge(START, "note").compile()
named = StateGraph(Named).add_node("greet", greet).add_edge(START, "greet").compile()

GRAPHS = ["notes", "named"]
INPUTS = {
    "notes": [{"info": ["a"]}, {}, {"unknown": 1}],
    "named": [{"name": "Ada"}],
}
