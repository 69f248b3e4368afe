"""The guide's agent: a model node, a tool node, and a router between them.

The model is LangChain's ``FakeMessagesListChatModel``: its first reply asks for
``get_weather``, its second answers; it starts over for the next run.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypedDict

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, AnyMessage, ToolMessage

from flowc import get_stream_writer
from flowc.reducers import add_messages

EXAMPLE_INPUT = {"messages": [{"role": "user", "content": "what is the weather in sf"}]}

model = FakeMessagesListChatModel(
    responses=[
        AIMessage(
            content="",
            id="ai-1",
            tool_calls=[{"name": "get_weather", "args": {"city": "sf"}, "id": "call-1"}],
        ),
        AIMessage(content="It's always sunny in sf!", id="ai-2"),
    ]
)


class State(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    writer = get_stream_writer()
    writer(f"Looking up data for city: {city}")
    return f"It's always sunny in {city}!"


def agent(state: State) -> State:
    return {"messages": [model.invoke(state["messages"])]}


def tools(state: State) -> State:
    last = state["messages"][-1]
    assert isinstance(last, AIMessage)
    results: list[AnyMessage] = []
    for call in last.tool_calls:
        output = get_weather(**call["args"])
        results.append(ToolMessage(content=output, tool_call_id=call["id"], id=f"tool-{call['id']}"))
    return {"messages": results}


def should_continue(state: State) -> Literal["tools", "__end__"]:
    last = state["messages"][-1]
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else "__end__"
