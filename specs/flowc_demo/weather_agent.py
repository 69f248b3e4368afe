"""The typed agent of ``specs/weather_agent.toml``: its model, its tool and its response type.

The model plays back a tool call, the answer, then the structured response (as a
call of the tool named after the response type), and streams each reply.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage
from pydantic import BaseModel

from flowc import get_stream_writer
from flowc_demo.fake_chat import ToolCallingFakeModel

EXAMPLE_INPUT = {"messages": [{"role": "user", "content": "what is the weather in sf"}]}


class Weather(BaseModel):
    """The weather of a city."""

    city: str
    sunny: bool


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    get_stream_writer()(f"Looking up data for city: {city}")
    return f"It's always sunny in {city}!"


model = ToolCallingFakeModel(
    responses=[
        AIMessage(
            "",
            id="ai-1",
            tool_calls=[{"name": "get_weather", "args": {"city": "sf"}, "id": "call-1"}],
        ),
        AIMessage("It's always sunny in sf!", id="ai-2"),
        AIMessage(
            "",
            id="ai-3",
            tool_calls=[{"name": "Weather", "args": {"city": "sf", "sunny": True}, "id": "w-1"}],
        ),
    ]
)

