"""A field the response type does not have: `Weather` has `city` and `sunny`."""

from __future__ import annotations

from tests.golden import weather_agent

final = weather_agent.invoke({"messages": []})
print(final["structured_response"].temperature)
