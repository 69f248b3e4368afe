"""A tool's argument of the wrong type: `get_weather` takes a `city: str`."""

from __future__ import annotations

from tests.golden.weather_agent_types import GetWeatherArgs

asked: GetWeatherArgs = {"city": 94103}
