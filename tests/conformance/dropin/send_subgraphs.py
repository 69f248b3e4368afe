"""Send and subgraphs: a subgraph fans out with Send inside itself (map-reduce there), and a
parent sends one task per item to a subgraph node, each running the subgraph on its payload.
"""

import operator
import time
from typing import Annotated, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send


class Inner(TypedDict, total=False):
    items: list[str]
    done: Annotated[list[str], operator.add]


def split(state: Inner):
    return [Send("work", {"items": [item]}) for item in state["items"]]


def work(state: Inner):
    # parallel tasks finish in item order on both sides (a, a!, b, b!), after both subgraph
    # runs started theirs
    item = state["items"][0]
    time.sleep(0.1 + 0.1 * (ord(item[0]) - ord("a")) + 0.05 * (len(item) - 1))
    return {"done": [f"worked {state['items'][0]}"]}


def tally(state: Inner):
    return {"done": [f"tally {len(state['done'])}"]}


inner = StateGraph(Inner)
inner.add_node("work", work)
inner.add_node("tally", tally)
inner.add_conditional_edges(START, split, ["work"])
inner.add_edge("work", "tally")
inner.add_edge("tally", END)
mapper = inner.compile()

# the subgraph as a node of a parent sharing its keys
outer = StateGraph(Inner)
outer.add_node("prepare", lambda state: {"done": ["prepared"]})
outer.add_node("mapper", mapper)
outer.add_edge(START, "prepare")
outer.add_edge("prepare", "mapper")
inside = outer.compile()


# the parent sends each item to the subgraph node: one subgraph run per Send, on its payload
def each(state: Inner):
    return [Send("mapper", {"items": [item, item + "!"]}) for item in state["items"]]


sender = StateGraph(Inner)
sender.add_node("mapper", mapper)
sender.add_node("report", lambda state: {"done": [f"report {len(state['done'])}"]})
sender.add_conditional_edges(START, each, ["mapper"])
sender.add_edge("mapper", "report")
sent_to = sender.compile()

GRAPHS = {"inside": inside, "sent_to": sent_to}
CONCURRENT_SUBGRAPH_RUNS = True
"""The two runs of ``mapper`` that ``sent_to`` starts run at once: which one's first part comes
first is a race on either side, so the tests compare them one run after the other."""
INPUTS = [{"items": ["a", "b"], "done": []}, {"items": [], "done": []}]
