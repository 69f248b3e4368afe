"""The reference document's agent: one tool call, a tool that streams progress, the answer.

``assistant`` runs the agent as a subgraph; ``quiet`` has a model with streaming disabled.
"""

from flowc_demo.fake_chat import weather_model
from langgraph.config import get_stream_writer
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import create_react_agent


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    writer = get_stream_writer()
    writer(f"Looking up data for city: {city}")
    return f"It's always sunny in {city}!"


agent = create_react_agent(model=weather_model(), tools=[get_weather], version="v1")
quiet = create_react_agent(
    model=weather_model(disable_streaming=True), tools=[get_weather], version="v1"
)
named = create_react_agent(
    model=weather_model(),
    tools=[get_weather],
    prompt="You are a weather bot.",
    name="weather_agent",
    version="v1",
)
inner = create_react_agent(model=weather_model(), tools=[get_weather], version="v1")
assistant = (
    StateGraph(MessagesState).add_node("assistant", inner).add_edge(START, "assistant").compile()
)

GRAPHS = ["agent", "quiet", "named", "assistant"]
INPUTS = [{"messages": [{"role": "user", "content": "what is the weather in sf"}]}]
