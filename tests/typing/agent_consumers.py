"""Code that uses the typed agent of ``specs/weather_agent.toml``; ``mypy --strict`` accepts it.

``tests/test_agent_typing.py`` runs mypy over this module and over
``agent_errors/``, whose every file holds one mistake.
"""

from __future__ import annotations

from typing import Literal, assert_type

from flowc_demo.weather_agent import Weather

from tests.golden import weather_agent
from tests.golden.weather_agent_types import GetWeatherArgs

INPUT: weather_agent.WeatherAgentInput = {"messages": []}


def answer_tokens() -> str:
    """The model's tokens, by node: only the agent's."""
    out: list[str] = []
    for event in weather_agent.stream(INPUT, stream_mode="messages"):
        node = event.metadata["langgraph_node"]
        assert_type(node, Literal["agent", "tools", "generate_structured_response"])
        if node == "agent":
            out.append(str(event.message.content))
    return "".join(out)


def progress() -> list[str]:
    """The tool's progress: the custom events carry the spec's `custom_type`."""
    return [e.data for e in weather_agent.stream(INPUT, stream_mode="custom")]


def the_weather() -> bool:
    """The structured response is the spec's response type."""
    final = weather_agent.invoke(INPUT)
    response = final["structured_response"]
    assert_type(response, Weather)
    return response.sunny


def steps() -> list[str]:
    """Each node's update, narrowed by its class."""
    out = []
    for event in weather_agent.stream(INPUT, stream_mode="updates"):
        match event:
            case weather_agent.GenerateStructuredResponseUpdated(data=data) if data:
                out.append(data["structured_response"].city)
            case weather_agent.AgentUpdated() | weather_agent.ToolsUpdated():
                out.append(event.node)
    return out


ASKED: GetWeatherArgs = {"city": "sf"}
"""A tool call's arguments, as the model sends them."""
