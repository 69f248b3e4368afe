"""Root states: `StateGraph(dict)`, `StateGraph(list[str])`, `StateGraph(Annotated[list, add])`,
and a TypedDict whose one key is `__root__`.

The state is one value (LangGraph's `__root__` channel): nodes and routers receive it, a
node's return replaces it or goes through the reducer, a Send carries a value, and every
chunk shows the value itself.
"""

import operator
import threading
from typing import Annotated

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send
from typing_extensions import TypedDict


def rename(state: dict):
    return {"name": state.get("name", "?").upper(), "steps": state.get("steps", 0) + 1}


def count(state: dict):
    return {**state, "steps": state["steps"] + 1}


def again(state: dict) -> str:
    return "count" if state["steps"] < 3 else END


replaced = (
    StateGraph(dict)
    .add_node("rename", rename)
    .add_node("count", count)
    .add_edge(START, "rename")
    .add_edge("rename", "count")
    .add_conditional_edges("count", again, ["count", END])
    .compile()
)


def shout(words: list[str]) -> list[str]:
    return [w + "!" for w in words]


typed = StateGraph(list[str]).add_node("shout", shout).add_edge(START, "shout").compile()


def start(items: list) -> None:
    return None


first_done = threading.Event()


def fan(items: list):
    first_done.clear()
    return [Send("double", i) for i in items if isinstance(i, int)]


def double(i: int) -> list:
    # the second Send finishes after the first, so that both runtimes stream one order
    try:
        if i == 2:
            first_done.wait(timeout=5)
            first_done.clear()
        return [i * 2]
    finally:
        if i == 1:
            first_done.set()


def finish(items: list):
    return Command(update=["done"], goto=END)


reduced = (
    StateGraph(Annotated[list, operator.add])
    .add_node("start", start)
    .add_node("double", double)
    .add_node("finish", finish)
    .add_edge(START, "start")
    .add_conditional_edges("start", fan, ["double"])
    .add_edge("double", "finish")
    .compile()
)


class Keyed(TypedDict):
    __root__: Annotated[list[str], operator.add]


def grow(items: list[str]) -> list[str]:
    return [f"item{len(items)}"]


def more(items: list[str]) -> str:
    return "grow" if len(items) < 3 else END


keyed = (
    StateGraph(Keyed)
    .add_node("grow", grow)
    .add_edge(START, "grow")
    .add_conditional_edges("grow", more, ["grow", END])
    .compile()
)

GRAPHS = ["replaced", "typed", "reduced", "keyed"]
INPUTS = {
    "keyed": [["seed"]],
    "replaced": [{"name": "ada", "steps": 0}, {}],
    "typed": [["a", "b"], []],
    "reduced": [[1, 2], ["x"]],
}
