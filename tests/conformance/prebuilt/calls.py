"""No tool call (the model answers at once) and two parallel tool calls in one reply."""

import time

from flowc_demo.fake_chat import ToolCallingFakeModel
from langchain_core.messages import AIMessage, SystemMessage
from langchain_core.tools import tool
from langgraph.config import get_stream_writer
from langgraph.prebuilt import create_react_agent
from langgraph.prebuilt.chat_agent_executor import AgentState, AgentStatePydantic


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    get_stream_writer()({"city": city})
    return f"It's always sunny in {city}!"


@tool
def get_time(city: str) -> dict:
    """Get the local time of a city."""
    # only one of the parallel tools writes: two would write in either order; and it
    # finishes last, so that with a task per call (v2) the updates come in call order
    time.sleep(0.05)
    return {"city": city, "time": "12:00"}


direct = create_react_agent(
    model=ToolCallingFakeModel(responses=[AIMessage("Hello! Ask me about the weather.", id="a")]),
    tools=[get_weather],
    version="v1",
)
parallel = create_react_agent(
    model=ToolCallingFakeModel(
        responses=[
            AIMessage(
                "Let me look.",
                id="ai-1",
                tool_calls=[
                    {"name": "get_weather", "args": {"city": "sf"}, "id": "call-1"},
                    {"name": "get_time", "args": {"city": "nyc"}, "id": "call-2"},
                ],
            ),
            AIMessage("Sunny in sf, noon in nyc.", id="ai-2"),
        ]
    ),
    tools=[get_weather, get_time],
    version="v1",
)


@tool(return_direct=True)
def lookup(city: str) -> str:
    """Look a city up; its answer is the agent's."""
    return f"{city}: 18 C"


returns_direct = create_react_agent(
    model=ToolCallingFakeModel(
        responses=[
            AIMessage(
                "",
                id="ai-1",
                tool_calls=[{"name": "lookup", "args": {"city": "sf"}, "id": "call-1"}],
            )
        ]
    ),
    tools=[lookup, get_weather],
    version="v1",
)
no_tools = create_react_agent(
    model=ToolCallingFakeModel(responses=[AIMessage("No tools here.", id="n")]),
    tools=[],
    version="v1",
)

GRAPHS = ["direct", "parallel", "returns_direct", "no_tools"]
INPUTS = [{"messages": [{"role": "user", "content": "hi"}]}]


class State(AgentState):
    user_name: str


def greet(state: State):
    return [SystemMessage(f"The user is {state['user_name']}."), *state["messages"]]


custom_state = create_react_agent(
    model=ToolCallingFakeModel(responses=[AIMessage("Hi Ada.", id="c")]),
    tools=[get_weather],
    prompt=greet,
    state_schema=State,
    version="v1",
)


class PydanticState(AgentStatePydantic):
    user_name: str = "Ada"


pydantic_state = create_react_agent(
    model=ToolCallingFakeModel(
        responses=[
            AIMessage(
                "",
                id="p-1",
                tool_calls=[{"name": "get_weather", "args": {"city": "sf"}, "id": "call-1"}],
            ),
            AIMessage("Sunny.", id="p-2"),
        ]
    ),
    tools=[get_weather],
    state_schema=PydanticState,
    version="v1",
)

GRAPHS = [*GRAPHS, "custom_state", "pydantic_state"]
INPUTS = {
    name: [{"messages": [{"role": "user", "content": "hi"}], "user_name": "Ada"}]
    if name == "custom_state"
    else INPUTS
    for name in GRAPHS
}
