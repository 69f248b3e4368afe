"""Tool arguments the tool node fills in, hidden from the model: the state, a state field,
the tool call's id, the run's config; and tools that stream progress while they run side by side."""

from typing import Annotated

from flowc_demo.fake_chat import ToolCallingFakeModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import InjectedToolCallId
from langgraph.config import get_stream_writer
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import InjectedState, ToolNode, create_react_agent, tools_condition


def history(city: str, state: Annotated[dict, InjectedState]) -> str:
    """How many messages the conversation has."""
    return f"{city}: {len(state['messages'])} messages so far"


def last_words(messages: Annotated[list, InjectedState("messages")]) -> str:
    """The first user message."""
    return f"you said {messages[0].content!r}"


def receipt(city: str, tool_call_id: Annotated[str, InjectedToolCallId]) -> str:
    """A receipt for the call."""
    return f"{city} <- {tool_call_id}"


def where(city: str, config: RunnableConfig) -> str:
    """The node the tool runs in."""
    return f"{city} in {config['metadata']['langgraph_node']}"


def calls(*asked):
    return [
        AIMessage(
            "",
            id="ai-1",
            tool_calls=[
                {"name": name, "args": args, "id": f"call-{i}"}
                for i, (name, args) in enumerate(asked, 1)
            ],
        ),
        AIMessage("Done.", id="ai-2"),
    ]


state_tools = create_react_agent(
    model=ToolCallingFakeModel(responses=calls(("history", {"city": "sf"}))),
    tools=[history],
    version="v1",
)
field_tool = create_react_agent(
    # the model sends a value for the injected argument: the tool node replaces it
    model=ToolCallingFakeModel(responses=calls(("last_words", {"messages": ["forged"]}))),
    tools=[last_words],
    version="v1",
)
call_id = create_react_agent(
    model=ToolCallingFakeModel(responses=calls(("receipt", {"city": "sf"}))),
    tools=[receipt],
    version="v1",
)
config_tool = create_react_agent(
    model=ToolCallingFakeModel(responses=calls(("where", {"city": "sf"}))),
    tools=[where],
    version="v1",
)
bad_with_state = create_react_agent(
    # the error names only the model's arguments, not the injected state
    model=ToolCallingFakeModel(responses=calls(("history", {"city": 3}))),
    tools=[history],
    version="v1",
)


class Visit(MessagesState):
    user: str


def greet(name: Annotated[str, InjectedState("user")]) -> str:
    """Greet the user."""
    get_stream_writer()({"greeting": name})
    return f"Hello {name}!"


greeter = ToolCallingFakeModel(responses=calls(("greet", {}))).bind_tools([greet])


def call_model(state: Visit):
    return {"messages": [greeter.invoke(state["messages"])]}


visit = (
    StateGraph(Visit)
    .add_node(call_model)
    .add_node(ToolNode([greet]))
    .add_edge(START, "call_model")
    .add_conditional_edges("call_model", tools_condition)
    .add_edge("tools", "call_model")
    .compile()
)

GRAPHS = ["state_tools", "field_tool", "call_id", "config_tool", "bad_with_state", "visit"]
INPUTS = {
    name: [{"messages": [{"role": "user", "content": "hi"}], "user": "Ada"}]
    if name == "visit"
    else [{"messages": [{"role": "user", "content": "hi"}]}]
    for name in GRAPHS
}
