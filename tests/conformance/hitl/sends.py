"""Send tasks that interrupt: parallel tool calls, each asking for approval under its own id;
`Send`s whose argument is a `Command` that sends on, stored at the checkpoint a resume starts
from (the saver must store flowc's `Send` and `Command` as LangGraph's serializer knows them)."""

import dataclasses
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


def dispatch(state: State):
    return {"log": ["dispatch"]}


def relays(state: State):
    return [Send("relay", Command(goto=Send("review", item))) for item in state["items"]]


def relay(command):
    # the task's input is the Command it was sent: LangGraph's code edits it as a dataclass
    item = command.goto.arg
    time.sleep(0.1 * (ord(item[0]) - ord("a")))
    answer = interrupt(f"relay {item}?") if item == "b" else "auto"
    return dataclasses.replace(command, update={"log": [f"relay {item}:{answer}"]})


def review(item):
    time.sleep(0.1 * (ord(item[0]) - ord("a")))
    return {"log": [f"review {item}"]}


chained = StateGraph(State)
chained.add_node("dispatch", dispatch)
chained.add_node("relay", relay)
chained.add_node("review", review)
chained.add_edge(START, "dispatch")
chained.add_conditional_edges("dispatch", relays, ["relay"])

GRAPHS = {"calls": (calls, {}), "chained": (chained, {})}
SCRIPTS = {
    "calls": [{"items": ["a", "b", "c"]}, approve_first, approve_all],
    "chained": [{"items": ["a", "b"]}, Command(resume="fine")],
}
