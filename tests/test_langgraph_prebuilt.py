"""flowc.langgraph.prebuilt: what it refuses, and how, and what it checks at build time.

The behaviour of the agents and tool nodes it builds is compared with
LangGraph's own in tests/conformance/test_prebuilt.py.
"""

from __future__ import annotations

import sys
import types
from typing import Annotated, Any

import pytest
from flowc_demo.fake_chat import ToolCallingFakeModel, weather_model
from langchain_core.messages import AIMessage, ToolMessage

from flowc.langgraph import GraphCompileError, UnsupportedFeatureError
from flowc.langgraph.prebuilt import (
    InjectedState,
    InjectedStore,
    ToolNode,
    create_react_agent,
    tools_condition,
)


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    return f"It's always sunny in {city}!"


def test_a_checkpointer_keeps_the_conversation_of_a_thread_as_langgraphs_agent_does() -> None:
    from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver
    from langgraph.prebuilt import create_react_agent as langgraph_agent

    from flowc.savers.memory import InMemorySaver

    def model() -> ToolCallingFakeModel:
        replies = []
        for i, city in enumerate(("sf", "nyc")):
            call = {"name": "get_weather", "args": {"city": city}, "id": f"call-{i}"}
            replies += [
                AIMessage("", id=f"ask-{i}", tool_calls=[call]),
                AIMessage(city, id=f"a-{i}"),
            ]
        return ToolCallingFakeModel(responses=replies)

    config = {"configurable": {"thread_id": "t-1"}}
    runs = []
    for make, saver in ((langgraph_agent, LangGraphSaver()), (create_react_agent, InMemorySaver())):
        agent = make(model(), [get_weather], checkpointer=saver)
        for question in ("weather in sf?", "and in nyc?"):
            result = agent.invoke({"messages": [("user", question)]}, config)
        runs.append([(m.type, m.content) for m in result["messages"]])
    assert runs[1] == runs[0]
    assert runs[1] == [
        ("human", "weather in sf?"),
        ("ai", ""),
        ("tool", "It's always sunny in sf!"),
        ("ai", "sf"),
        ("human", "and in nyc?"),
        ("ai", ""),
        ("tool", "It's always sunny in nyc!"),
        ("ai", "nyc"),
    ]


def test_a_v1_agent_with_a_post_model_hook_and_tools_is_refused_naming_v2() -> None:
    with pytest.raises(ValueError) as info:
        create_react_agent(
            weather_model(), [get_weather], post_model_hook=lambda state: {}, version="v1"
        )
    assert str(info.value) == (
        'create_react_agent(version="v1") cannot run tools after a post_model_hook: the v1 '
        'agent has no route from the hook to the tools; use version="v2"'
    )


def test_a_model_function_is_refused() -> None:
    with pytest.raises(UnsupportedFeatureError, match=r"create_react_agent\(model=<function>\)"):
        create_react_agent(lambda state, runtime: weather_model(), [get_weather])


def test_a_state_schema_without_messages_is_an_error() -> None:
    class State(dict[str, Any]):
        __annotations__ = {"topic": str}

    with pytest.raises(
        ValueError, match=r"Missing required key\(s\) \{'messages'\} in state_schema"
    ):
        create_react_agent(weather_model(), [get_weather], state_schema=State)


def test_a_provider_string_needs_langchain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langchain", None)
    with pytest.raises(ImportError, match=r"Please install langchain \(`pip install langchain`\)"):
        create_react_agent("openai:gpt-4o-mini", [get_weather])


def test_a_provider_string_goes_through_init_chat_model(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def init_chat_model(name: str) -> Any:
        asked.append(name)
        return weather_model()

    package = types.ModuleType("langchain")
    chat_models = types.ModuleType("langchain.chat_models")
    chat_models.init_chat_model = init_chat_model  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "langchain", package)
    monkeypatch.setitem(sys.modules, "langchain.chat_models", chat_models)
    agent = create_react_agent("anthropic:claude-3-7-sonnet-latest", [get_weather])
    assert asked == ["anthropic:claude-3-7-sonnet-latest"]
    result = agent.invoke({"messages": [{"role": "user", "content": "what is the weather in sf"}]})
    assert [m.content for m in result["messages"][1:]] == [
        "",
        "It's always sunny in sf!",
        "It's always sunny in sf!",
    ]


def test_a_tool_that_uses_langgraphs_own_writer_fails_at_build_time() -> None:
    from langgraph.config import get_stream_writer

    def loud(city: str) -> str:
        """Report and answer."""
        get_stream_writer()(city)
        return city

    with pytest.raises(GraphCompileError) as info:
        create_react_agent(weather_model(), [loud])
    assert "tool `loud` of node `tools` uses `get_stream_writer`" in str(info.value)
    assert "from flowc.langgraph import get_stream_writer" in str(info.value)


def test_tool_node_runs_outside_a_graph_in_the_order_of_the_calls() -> None:
    node = ToolNode([get_weather])
    calls = [
        {"name": "get_weather", "args": {"city": "sf"}, "id": "1"},
        {"name": "nowhere", "args": {}, "id": "2"},
        {"name": "get_weather", "args": {"city": "nyc"}, "id": "3"},
    ]
    out = node.invoke({"messages": [AIMessage("", tool_calls=calls)]})
    assert [(m.tool_call_id, m.status, m.content) for m in out["messages"]] == [
        ("1", "success", "It's always sunny in sf!"),
        ("2", "error", "Error: nowhere is not a valid tool, try one of [get_weather]."),
        ("3", "success", "It's always sunny in nyc!"),
    ]
    assert all(isinstance(m, ToolMessage) for m in out["messages"])


def test_tools_condition_routes_on_the_last_message() -> None:
    call = AIMessage("", tool_calls=[{"name": "get_weather", "args": {}, "id": "1"}])
    assert tools_condition({"messages": [call]}) == "tools"
    assert tools_condition({"messages": [AIMessage("done")]}) == "__end__"
    with pytest.raises(ValueError, match="No messages found in input state to tool_edge"):
        tools_condition({"messages": []})


def test_async_only_tools_make_an_async_tool_node_that_stream_refuses() -> None:
    async def get_weather_async(city: str) -> str:
        """Get weather for a given city."""
        return f"It's always sunny in {city}!"

    agent = create_react_agent(weather_model(), [get_weather_async])
    with pytest.raises(TypeError) as info:
        list(agent.stream({"messages": [("user", "hi")]}, stream_mode="updates"))
    assert str(info.value).startswith('No synchronous function provided to "tools".')


def test_a_tool_that_takes_the_store_fails_with_langgraphs_message() -> None:
    def remember(city: str, store: Annotated[Any, InjectedStore()]) -> str:
        """Remember."""
        return city

    node = ToolNode([remember])
    call = AIMessage("", tool_calls=[{"name": "remember", "args": {"city": "sf"}, "id": "1"}])
    with pytest.raises(ValueError) as info:
        node.invoke({"messages": [call]})
    assert str(info.value) == (
        "Cannot inject store into tools with InjectedStore annotations - "
        "please compile your graph with a store."
    )


def test_a_tool_node_sent_one_call_with_its_state_runs_that_call_on_that_state() -> None:
    def topic(subject: Annotated[str, InjectedState("topic")]) -> str:
        """The topic."""
        return subject

    node = ToolNode([topic])
    sent = {
        "__type": "tool_call_with_context",
        "tool_call": {"name": "topic", "args": {}, "id": "c-1", "type": "tool_call"},
        "state": {"messages": [], "topic": "cats"},
    }
    out = node.invoke(sent)
    assert [(m.tool_call_id, m.content) for m in out["messages"]] == [("c-1", "cats")]


def test_agents_differing_only_in_their_tools_have_different_keys_in_the_dropin_cache() -> None:
    # a runner read back from the disk cache by another agent's key would run async-only
    # tools as synchronous ones (or the other way round)
    from flowc.langgraph._warm import warm_key

    async def get_weather_async(city: str) -> str:
        """Get weather for a given city."""
        return f"It's always sunny in {city}!"

    def get_time(city: str) -> str:
        """Get the time in a given city."""
        return "noon"

    keys = [
        warm_key(create_react_agent(weather_model(), tools).blueprint, False)
        for tools in ([get_weather], [get_weather_async], [get_weather, get_time], [get_weather])
    ]
    assert None not in keys
    assert len(set(keys[:3])) == 3
    assert keys[3] == keys[0]
