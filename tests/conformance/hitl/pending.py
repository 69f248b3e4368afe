"""A parallel step where one task interrupts: the other task's writes are kept and not run again
on resume, under every durability; a node asking twice is resumed twice; a fork of an earlier
checkpoint (`update_state` on it) is resumed from, and its own interrupt answered."""

import operator
import time
from collections import Counter
from typing import Annotated, TypedDict

from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt

RAN = Counter()
"""How many times `quick` ran, per thread: the last node reports it."""


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def quick(state: State, config):
    RAN[config["configurable"]["thread_id"]] += 1
    return {"log": ["quick"]}


def form(state: State):
    # well after `quick`, so that both sides stream the step in one order (even on a loaded
    # machine, where a thread may start late)
    time.sleep(0.2)
    first = interrupt("first?")
    second = interrupt(f"second after {first}?")
    return {"log": [f"form:{first}+{second}"]}


def report(state: State, config):
    return {"log": [f"quick ran {RAN[config['configurable']['thread_id']]}x"]}


kept = StateGraph(State)
kept.add_node("quick", quick)
kept.add_node("form", form)
kept.add_node("report", report)
kept.add_edge(START, "quick")
kept.add_edge(START, "form")
kept.add_edge(["quick", "form"], "report")


def ask(state: State):
    time.sleep(0.2)
    return {"log": [f"ask:{interrupt('ok?')}"]}


forked = StateGraph(State)
forked.add_node("quick", quick)
forked.add_node("ask", ask)
forked.add_node("report", report)
forked.add_edge(START, "quick")
forked.add_edge(START, "ask")
forked.add_edge(["quick", "ask"], "report")


def fork_the_first_step(graph, config):
    # the checkpoint both tasks ran from, updated: the thread goes on from that update
    (start,) = [s for s in graph.get_state_history(config) if set(s.next) == {"ask", "quick"}]
    graph.update_state(start.config, {"log": ["forked"]})
    return None


def script(durability):
    options = {"durability": durability}
    return [({"log": []}, options), (Command(resume="1"), options), (Command(resume="2"), options)]


def fork_script(durability):
    options = {"durability": durability}
    return [
        ({"log": []}, options),
        (Command(resume="yes"), options),
        fork_the_first_step,
        (None, options),
        (Command(resume="again"), options),
    ]


GRAPHS = {
    **{f"kept_{d}": (kept, {}) for d in ("sync", "async", "exit")},
    **{f"forked_{d}": (forked, {}) for d in ("sync", "async", "exit")},
}
SCRIPTS = {
    **{f"kept_{d}": script(d) for d in ("sync", "async", "exit")},
    **{f"forked_{d}": fork_script(d) for d in ("sync", "async", "exit")},
}
