"""A root state on a thread: `StateGraph(Annotated[list, add_messages])`.

Snapshots show each task's write of the one value bare (`None` for a task that wrote none),
and `update_state` takes the value itself: a message, or a `RemoveMessage` list.
"""

from typing import Annotated

from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import interrupt


def agent(messages: list):
    return AIMessage(content=f"seen {len(messages)}", id=f"ai{len(messages)}")


def quiet(messages: list):
    return None


def ask(messages: list):
    return [HumanMessage(content=interrupt("more?"), id=f"h{len(messages)}")]


builder = StateGraph(Annotated[list, add_messages])
builder.add_node("agent", agent)
builder.add_node("quiet", quiet)
builder.add_node("ask", ask)
builder.add_edge(START, "agent")
builder.add_edge("agent", "quiet")
builder.add_edge("quiet", "ask")


def edit(graph, config):
    # the paused thread's value edited as if `agent` wrote it, then answered
    graph.update_state(config, AIMessage(content="edited", id="ai1"), as_node="agent")
    graph.update_state(config, [RemoveMessage(id="h0")])
    return None


GRAPHS = {"messages": (builder, {"interrupt_after": ["agent"]})}
SCRIPTS = {"messages": [[HumanMessage(content="hi", id="h0")], edit, None]}
