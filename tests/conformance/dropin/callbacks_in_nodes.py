"""Nodes that call LangChain runnables and a chat model, with their config and without it:
callbacks given to the run see those calls under the node's run."""

from typing import TypedDict

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig, RunnableLambda
from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    text: str
    reply: str


shout = RunnableLambda(lambda text: text.upper(), name="shout")


def with_config(state: State, config: RunnableConfig):
    return {"text": shout.invoke(state["text"], config)}


def without_config(state: State):
    return {"text": shout.invoke(state["text"] + "!")}


def ask(state: State):
    model = GenericFakeChatModel(messages=iter([AIMessage(content="hi there", id="m1")]))
    return {"reply": model.invoke(state["text"]).content}


async def ask_async(state: State):
    model = GenericFakeChatModel(messages=iter([AIMessage(content="bye now", id="m2")]))
    return {"reply": (await model.ainvoke(state["text"])).content}


graph = (
    StateGraph(State)
    .add_node(with_config)
    .add_node(without_config)
    .add_node(ask)
    .add_node(ask_async)
    .add_edge(START, "with_config")
    .add_edge("with_config", "without_config")
    .add_edge("without_config", "ask")
    .add_edge("ask", "ask_async")
    .add_edge("ask_async", END)
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [{"text": "hey"}]
