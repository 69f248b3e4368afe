"""A messages filter on a node the agent does not have (it is `tools`, not `tool`)."""

from __future__ import annotations

from tests.golden import weather_agent

for event in weather_agent.stream({"messages": []}, stream_mode="messages"):
    if event.metadata["langgraph_node"] == "tool":
        print(event.message)
