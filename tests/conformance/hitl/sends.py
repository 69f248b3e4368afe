"""Send tasks that interrupt: parallel tool calls, each asking for approval under its own id."""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, Send, interrupt


class State(TypedDict, total=False):
    items: list[str]
    log: Annotated[list[str], operator.add]


def fan(state: State):
    return [Send("tool", {"items": [item], "log": []}) for item in state["items"]]


def tool(state: State):
    (item,) = state["items"]
    # the tasks finish in the order they were sent, on both sides
    time.sleep(0.1 * (ord(item[0]) - ord("a")) + 0.05)
    answer = interrupt(f"approve {item}?")
    return {"log": [f"{item}:{answer}"]}


def report(state: State):
    return {"log": [f"report:{len(state['log'])}"]}


calls = StateGraph(State)
calls.add_node("tool", tool)
calls.add_node("report", report)
calls.add_conditional_edges(START, fan, ["tool"])
calls.add_edge("tool", "report")


def approve_first(graph, config):
    pending = graph.get_state(config).interrupts
    return Command(resume={i.id: "yes" for i in pending if i.value == "approve a?"})


def approve_all(graph, config):
    return Command(resume={i.id: "ok" for i in graph.get_state(config).interrupts})


GRAPHS = {"calls": (calls, {})}
SCRIPTS = {"calls": [{"items": ["a", "b", "c"]}, approve_first, approve_all]}
