"""`Send` tasks to a subgraph node that stops at its breakpoint: the parent's snapshot gives each
task's `state` (the config of its subgraph's checkpoints, in the task's namespace), and an
`update_state` on one of them edits that subgraph's state, which the resumed run goes on from."""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send


class Overall(TypedDict):
    subjects: list[str]
    jokes: Annotated[list[str], operator.add]


class Joke(TypedDict):
    subject: str
    jokes: Annotated[list[str], operator.add]


def edit(state: Joke):
    # the second task well after the first, so that both sides stream them in one order
    time.sleep(0 if state["subject"].startswith("cats") else 0.2)
    return {"subject": f"{state['subject']} - edited"}


def generate(state: Joke):
    time.sleep(0 if state["subject"].startswith("cats") else 0.2)
    return {"jokes": [f"joke about {state['subject']}"]}


inner = StateGraph(Joke)
inner.add_node("edit", edit)
inner.add_node("generate", generate)
inner.add_edge(START, "edit")
inner.add_edge("edit", "generate")
inner.add_edge("generate", END)

builder = StateGraph(Overall)
builder.add_node("joke", inner.compile(interrupt_before=["generate"]))
builder.add_conditional_edges(
    START, lambda state: [Send("joke", {"subject": s}) for s in state["subjects"]]
)
builder.add_edge("joke", END)


def update_second(graph, config):
    task = graph.get_state(config).tasks[1]
    graph.update_state(task.state, {"subject": "turtles"})
    return None


GRAPHS = {"update_one": (builder, {})}
SCRIPTS = {"update_one": [{"subjects": ["cats", "dogs"], "jokes": []}, update_second, None]}
