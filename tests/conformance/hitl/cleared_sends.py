"""`update_state(config, None, as_node=END)` after a step whose `Send` task finished and whose other
task interrupted: the interrupt and the due tasks are dropped, the `Send` task's writes are kept."""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import StateGraph
from langgraph.types import Send, interrupt


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def sent(state: State):
    return {"log": ["sent"]}


def asks(state: State):
    # well after `sent`, so that both sides stream the step in one order
    time.sleep(0.2)
    return {"log": [f"asks:{interrupt('ok?')}"]}


builder = StateGraph(State)
builder.add_node("asks", asks)
builder.add_node("sent", sent)
builder.set_conditional_entry_point(lambda state: ["asks", Send("sent", state)])


def end_here(graph, config):
    graph.update_state(config, None, as_node="__end__")
    return None


GRAPHS = {"end": (builder, {})}
SCRIPTS = {"end": [{"log": []}, end_here, None]}
