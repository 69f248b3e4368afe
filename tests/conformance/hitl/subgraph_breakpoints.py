"""interrupt_before / interrupt_after given to a subgraph's compile(): the subgraph stops there.

The subgraph runs on its parent's thread (compiled without a checkpointer): stopping at its
breakpoint interrupts its task, with no interrupts, and the root run stops after that superstep;
a run with no input goes on inside the subgraph, from its checkpoint.
"""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph


class State(TypedDict, total=False):
    log: Annotated[list[str], operator.add]


def step(name: str, pause: float = 0.0):
    def run(state: State):
        time.sleep(pause)
        return {"log": [name]}

    return run


inner = StateGraph(State)
inner.add_node("inner_1", step("inner_1"))
inner.add_node("inner_2", step("inner_2"))
inner.add_edge(START, "inner_1")
inner.add_edge("inner_1", "inner_2")
inner.add_edge("inner_2", END)

# a subgraph stopping before its second node
before = StateGraph(State)
before.add_node("first", step("first"))
before.add_node("sub", inner.compile(interrupt_before=["inner_2"]))
before.add_node("last", step("last"))
before.add_edge(START, "first")
before.add_edge("first", "sub")
before.add_edge("sub", "last")

# after its first node
after = StateGraph(State)
after.add_node("sub", inner.compile(interrupt_after=["inner_1"]))
after.add_node("last", step("last"))
after.add_edge(START, "sub")
after.add_edge("sub", "last")

# two levels deep: the grandchild's breakpoint stops the child's task and the root's
middle = StateGraph(State)
middle.add_node("child_1", inner.compile(interrupt_before=["inner_2"]))
middle.add_edge(START, "child_1")
nested = StateGraph(State)
nested.add_node("first", step("first"))
nested.add_node("child", middle.compile())
nested.add_node("last", step("last"))
nested.add_edge(START, "first")
nested.add_edge("first", "child")
nested.add_edge("child", "last")

# beside a sibling of its superstep, which finishes last (100 ms later): the sibling's writes
# are kept and it does not run again
parallel = StateGraph(State)
parallel.add_node("sub", inner.compile(interrupt_before=["inner_2"]))
parallel.add_node("sibling", step("sibling", 0.1))
parallel.add_node("last", step("last"))
parallel.add_edge(START, "sub")
parallel.add_edge(START, "sibling")
parallel.add_edge(["sub", "sibling"], "last")

GRAPHS = {
    "before": (before, {}),
    "after": (after, {}),
    "nested": (nested, {}),
    "parallel": (parallel, {}),
    # the parent's own breakpoints too: it stops before the subgraph, then inside it
    "both": (before, {"interrupt_before": ["sub"]}),
}
SCRIPTS = {
    "before": [{"log": []}, None, {"log": ["again"]}, None],
    "after": [{"log": []}, None],
    "nested": [{"log": []}, None, {"log": ["again"]}, None],
    "parallel": [{"log": []}, None],
    "both": [{"log": []}, None, None],
}
