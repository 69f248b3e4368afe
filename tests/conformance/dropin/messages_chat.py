"""A chat model in a node (``MessagesState``): its tokens in ``messages`` mode, with tags and metadata."""

import itertools

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import HumanMessage
from langgraph.graph import START, MessagesState, StateGraph

llm = GenericFakeChatModel(messages=itertools.cycle(["Why did the chicken cross the road?"]))


def call_model(state: MessagesState):
    return {"messages": [llm.invoke(state["messages"])]}


graph = StateGraph(MessagesState).add_node(call_model).add_edge(START, "call_model").compile()

GRAPHS = ["graph"]
INPUTS = [
    {"messages": [HumanMessage("tell me a joke", id="h1")]},
    {"messages": [{"role": "user", "content": "another"}]},
]
CONFIGS = [
    None,
    {"tags": ["run-tag"], "metadata": {"user_id": "u-1"}, "configurable": {"thread_id": "t-1"}},
]
