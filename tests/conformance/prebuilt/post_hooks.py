"""A post-model hook with tools: after it, each pending tool call is a task of its own; two
parallel calls, one of them return-direct; a hook that answers a call itself.

The agents are LangGraph's default, ``version="v2"``: its v1 agent fails at run time
with a post-model hook and tools, which flowc refuses when the agent is made.
"""

import time

from flowc_demo.fake_chat import ToolCallingFakeModel, weather_model
from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.prebuilt import create_react_agent


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    return f"It's always sunny in {city}!"


@tool(return_direct=True)
def lookup(city: str) -> str:
    """Look a city up; its answer is the agent's."""
    # finishes after get_weather, which runs beside it
    time.sleep(0.05)
    return f"{city}: 18 C"


def review(state):
    # the reply rewritten in place (same id), its tool calls kept
    last = state["messages"][-1]
    return {"messages": [last.model_copy(update={"content": f"(reviewed) {last.content}"})]}


def answer_first(state):
    # answers the first pending call itself: only the others go to the tools
    last = state["messages"][-1]
    if isinstance(last, AIMessage) and last.tool_calls:
        call = last.tool_calls[0]
        return {"messages": [ToolMessage("cached", tool_call_id=call["id"], name=call["name"])]}
    return {}


reviewed = create_react_agent(model=weather_model(), tools=[get_weather], post_model_hook=review)
both = create_react_agent(
    model=ToolCallingFakeModel(
        responses=[
            AIMessage(
                "",
                id="ai-1",
                tool_calls=[
                    {"name": "get_weather", "args": {"city": "sf"}, "id": "call-1"},
                    {"name": "lookup", "args": {"city": "nyc"}, "id": "call-2"},
                ],
            )
        ]
    ),
    tools=[get_weather, lookup],
)
answered = create_react_agent(
    model=ToolCallingFakeModel(
        responses=[
            AIMessage(
                "",
                id="ai-1",
                tool_calls=[
                    {"name": "get_weather", "args": {"city": "sf"}, "id": "call-1"},
                    {"name": "get_weather", "args": {"city": "nyc"}, "id": "call-2"},
                ],
            ),
            AIMessage("Sunny.", id="ai-2"),
        ]
    ),
    tools=[get_weather],
    post_model_hook=answer_first,
)

GRAPHS = ["reviewed", "both", "answered"]
INPUTS = [{"messages": [{"role": "user", "content": "what is the weather in sf"}]}]
