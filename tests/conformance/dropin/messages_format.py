"""``add_messages(format="langchain-openai")``: merged messages get OpenAI-format contents
(a base64 image block becomes an ``image_url`` block), in the state and in every chunk.
"""

from typing import Annotated, TypedDict

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.graph import START, StateGraph, add_messages


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages(format="langchain-openai")]


def describe(state: State):
    return {
        "messages": [
            AIMessage([{"type": "text", "text": f"seen {len(state['messages'])}"}], id="a-1")
        ]
    }


def follow_up(state: State):
    return {"messages": [("user", "and now?")]}


graph = (
    StateGraph(State)
    .add_node(describe)
    .add_node(follow_up)
    .add_edge(START, "describe")
    .add_edge("describe", "follow_up")
    .compile()
)

GRAPHS = ["graph"]
INPUTS = [
    {
        "messages": [
            HumanMessage(
                [
                    {"type": "text", "text": "what is this?"},
                    {
                        "type": "image",
                        "source_type": "base64",
                        "data": "1234",
                        "mime_type": "image/jpeg",
                    },
                ],
                id="h-1",
            )
        ]
    }
]
