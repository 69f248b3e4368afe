"""ToolNode and tools_condition in a graph built by hand."""

from flowc_demo.fake_chat import weather_model
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    get_stream_writer()(f"Looking up data for city: {city}")
    return f"It's always sunny in {city}!"


model = weather_model().bind_tools([get_weather])


def call_model(state: MessagesState):
    return {"messages": [model.invoke(state["messages"])]}


graph = (
    StateGraph(MessagesState)
    .add_node(call_model)
    .add_node(ToolNode([get_weather]))
    .add_edge(START, "call_model")
    .add_conditional_edges("call_model", tools_condition)
    .add_edge("tools", "call_model")
    .compile()
)
mapped = (
    StateGraph(MessagesState)
    .add_node("llm", call_model)
    .add_node("run_tools", ToolNode([get_weather], name="ignored"))
    .add_edge(START, "llm")
    .add_conditional_edges("llm", tools_condition, {"tools": "run_tools", END: END})
    .add_edge("run_tools", "llm")
    .compile()
)

GRAPHS = ["graph", "mapped"]
INPUTS = [{"messages": [{"role": "user", "content": "what is the weather in sf"}]}]
