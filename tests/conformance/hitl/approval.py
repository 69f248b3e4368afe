"""Tool approval: a node asks, then routes with Command; an async node; durability="exit"

(``on_exit`` runs in ``updates`` mode only: under "exit" the streamed checkpoints' parents are
flowc's documented difference, see docs/differences-from-langgraph.md).
"""

import asyncio
import operator
from typing import Annotated, Literal, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict, total=False):
    request: str
    log: Annotated[list[str], operator.add]


def plan(state: State):
    return {"log": [f"plan:{state['request']}"]}


def approve(state: State) -> Command[Literal["run_tool", "__end__"]]:
    answer = interrupt({"question": "run it?", "request": state["request"]})
    if answer == "yes":
        return Command(goto="run_tool", update={"log": ["approved"]})
    return Command(goto=END, update={"log": [f"refused:{answer}"]})


def run_tool(state: State):
    return {"log": ["ran"]}


def build(approve_node):
    builder = StateGraph(State)
    builder.add_node("plan", plan)
    builder.add_node("approve", approve_node)
    builder.add_node("run_tool", run_tool)
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "approve")
    builder.add_edge("run_tool", END)
    return builder


async def aapprove(state: State) -> Command[Literal["run_tool", "__end__"]]:
    await asyncio.sleep(0)
    answer = interrupt({"question": "run it?", "request": state["request"]})
    goto = "run_tool" if answer == "yes" else END
    return Command(goto=goto, update={"log": [f"async:{answer}"]})


GRAPHS = {
    "sync_nodes": (build(approve), {}),
    "async_node": (build(aapprove), {}),
    "on_exit": (build(approve), {}),
}
SCRIPTS = {
    "sync_nodes": [
        {"request": "rm a"},
        Command(resume="yes"),
        {"request": "rm b"},
        Command(resume="no"),
    ],
    "async_node": [{"request": "rm a"}, Command(resume="yes")],
    # only each run's last checkpoint is stored, with the interrupt
    "on_exit": [
        ({"request": "rm a"}, {"durability": "exit"}),
        (Command(resume="yes"), {"durability": "exit"}),
    ],
}
