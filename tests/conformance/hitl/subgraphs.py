"""Interrupts inside subgraphs: the root run stops, and a resume goes on inside the subgraph.

The subgraphs are compiled without a checkpointer (or with ``checkpointer=False``): they keep
their checkpoints on the root graph's thread, in their task's namespace. Each superstep has a
single task, so the chunks' order is the graph's, not a race's.
"""

import operator
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def before(state: State):
    return {"log": ["before"]}


def ask(state: State):
    return {"log": [f"ask:{interrupt({'question': 'go on?', 'seen': len(state['log'])})}"]}


def after(state: State):
    return {"log": ["after"]}


inner = StateGraph(State)
inner.add_node("before", before)
inner.add_node("ask", ask)
inner.add_node("after", after)
inner.add_edge(START, "before")
inner.add_edge("before", "ask")
inner.add_edge("ask", "after")
inner.add_edge("after", END)


def first(state: State):
    return {"log": ["first"]}


def last(state: State):
    return {"log": ["last"]}


# the subgraph as a node of its parent
node = StateGraph(State)
node.add_node("first", first)
node.add_node("sub", inner.compile())
node.add_node("last", last)
node.add_edge(START, "first")
node.add_edge("first", "sub")
node.add_edge("sub", "last")
node.add_edge("last", END)


def twice(state: State):
    one = interrupt("one?")
    two = interrupt("two?")
    return {"log": [f"twice:{one}+{two}"]}


asks_twice = StateGraph(State)
asks_twice.add_node("before", before)
asks_twice.add_node("twice", twice)
asks_twice.add_edge(START, "before")
asks_twice.add_edge("before", "twice")
# a compiled graph a node function names (a global, a closure) is the node's subgraph: the
# node's task states (snapshots, checkpoints) name the subgraph's checkpoints (see call_named);
# reached through a dict, it is not
COMPILED = {"asks_twice": asks_twice.compile()}


def call_inner(state: State):
    # the subgraph run from inside a node: its chunks stream under the node's namespace
    done = COMPILED["asks_twice"].invoke({"log": ["inner"]})
    return {"log": done["log"]}


call = StateGraph(State)
call.add_node("first", first)
call.add_node("call_inner", call_inner)
call.add_edge(START, "first")
call.add_edge("first", "call_inner")

# two levels deep: the interrupt's namespace runs through both subgraph tasks
middle = StateGraph(State)
middle.add_node("before", before)
middle.add_node("inner", inner.compile())
middle.add_edge(START, "before")
middle.add_edge("before", "inner")
nested = StateGraph(State)
nested.add_node("middle", middle.compile())
nested.add_node("last", last)
nested.add_edge(START, "middle")
nested.add_edge("middle", "last")


# checkpointer=True: the subgraph keeps its state on the thread from one run of the node to
# the next, in the namespace of the node's name
stateful = StateGraph(State)
stateful.add_node("first", first)
stateful.add_node("sub", inner.compile(checkpointer=True))
stateful.add_edge(START, "first")
stateful.add_edge("first", "sub")


def counted(state: State):
    return {"log": [f"counted:{interrupt('count?')}:{len(state['log'])}"]}


COMPILED["counting"] = (
    StateGraph(State)
    .add_node("counted", counted)
    .add_edge(START, "counted")
    .compile(checkpointer=True)
)


def call_counting(state: State):
    # invoked inside a node, a graph compiled with checkpointer=True keeps its state too
    return {"log": COMPILED["counting"].invoke({"log": ["in"]})["log"]}


call_stateful = StateGraph(State)
call_stateful.add_node("call_counting", call_counting)
call_stateful.add_edge(START, "call_counting")


ASKS_TWICE = asks_twice.compile()
COUNTING = COMPILED["counting"]


def call_asks_twice(state: State):
    return {"log": ASKS_TWICE.invoke({"log": ["named"]})["log"]}


def call_counting_named(state: State):
    return {"log": COUNTING.invoke({"log": ["in"]})["log"]}


call_named = StateGraph(State)
call_named.add_node("first", first)
call_named.add_node("call_asks_twice", call_asks_twice)
call_named.add_edge(START, "first")
call_named.add_edge("first", "call_asks_twice")

call_named_stateful = StateGraph(State)
call_named_stateful.add_node("call_counting_named", call_counting_named)
call_named_stateful.add_edge(START, "call_counting_named")


def by_id(graph, config):
    # answer the pending interrupt by its id, as a resume map
    (pending,) = graph.get_state(config).interrupts
    return Command(resume={pending.id: "mapped"})


GRAPHS = {
    "node": (node, {}),
    "call": (call, {}),
    "nested": (nested, {}),
    "stateful": (stateful, {}),
    "call_stateful": (call_stateful, {}),
    "call_named": (call_named, {}),
    "call_named_stateful": (call_named_stateful, {}),
}
SCRIPTS = {
    "node": [{"log": []}, Command(resume="yes"), {"log": ["again"]}, by_id],
    "call": [{"log": []}, Command(resume="a"), Command(resume="b"), None],
    "nested": [{"log": []}, Command(resume="deep"), {"log": []}, by_id],
    "stateful": [{"log": []}, Command(resume="one"), {"log": ["again"]}, by_id],
    "call_stateful": [{"log": []}, Command(resume="a"), {"log": []}, Command(resume="b")],
    "call_named": [{"log": []}, Command(resume="a"), Command(resume="b"), None],
    "call_named_stateful": [{"log": []}, Command(resume="a"), {"log": []}, by_id],
}
