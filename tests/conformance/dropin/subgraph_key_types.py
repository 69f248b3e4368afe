"""A subgraph whose shared key is typed otherwise than in its parent.

The parent keeps `list[BaseMessage]`, the subgraph is a `MessagesState` (`list[AnyMessage]`):
LangGraph passes the values as they are, and so does the drop-in.
"""

from typing import Annotated, TypedDict

from langchain_core.messages import AIMessage, BaseMessage
from langgraph.graph import START, MessagesState, StateGraph, add_messages


class Parent(TypedDict):
    messages: Annotated[list[BaseMessage], add_messages]
    turns: int


def reply(state: MessagesState):
    return {"messages": [AIMessage(content=f"seen {len(state['messages'])}", id="reply")]}


child = StateGraph(MessagesState).add_node("reply", reply).add_edge(START, "reply").compile()


def count(state: Parent):
    return {"turns": state["turns"] + 1}


graph = (
    StateGraph(Parent)
    .add_node("child", child)
    .add_node("count", count)
    .add_edge(START, "child")
    .add_edge("child", "count")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"messages": [("user", "hi")], "turns": 0}]
