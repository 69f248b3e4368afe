"""A structured response after the answer: a pydantic schema, and one with its own prompt."""

from flowc_demo.fake_chat import ToolCallingFakeModel
from langchain_core.messages import AIMessage
from langgraph.prebuilt import create_react_agent
from pydantic import BaseModel


class Weather(BaseModel):
    """The weather of a city."""

    city: str
    sunny: bool


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    return f"It's always sunny in {city}!"


def replies():
    return [
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


schema = create_react_agent(
    model=ToolCallingFakeModel(responses=replies()),
    tools=[get_weather],
    response_format=Weather,
    version="v1",
)
with_prompt = create_react_agent(
    model=ToolCallingFakeModel(responses=replies()),
    tools=[get_weather],
    response_format=("Answer as JSON.", Weather),
    version="v1",
)

as_json_schema = create_react_agent(
    model=ToolCallingFakeModel(responses=replies()),
    tools=[get_weather],
    response_format=Weather.model_json_schema(),
    version="v1",
)

GRAPHS = ["schema", "with_prompt", "as_json_schema"]
INPUTS = [{"messages": [{"role": "user", "content": "what is the weather in sf"}]}]
