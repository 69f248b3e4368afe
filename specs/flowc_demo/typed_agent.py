"""The typed agent of ``specs/weather_agent.toml``, declared in Python instead."""

from __future__ import annotations

import flowc
from flowc_demo.weather_agent import Weather, get_weather, model

graph = flowc.Graph(
    "typed_agent",
    agent=flowc.Agent(
        model, [get_weather], prompt="You are a weather bot.", response_format=Weather
    ),
    custom_type=str,
)
