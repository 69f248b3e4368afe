"""`Runtime.server_info` is LangGraph's: built from the run's `configurable`."""

from typing import Any

import pytest
from typing_extensions import TypedDict

pytestmark = pytest.mark.conformance


class User:
    def __init__(self, identity: str) -> None:
        self.identity = identity

    def __eq__(self, other: object) -> bool:
        return isinstance(other, User) and other.identity == self.identity


USER = User("someone")

CONFIGS: list[dict[str, Any]] = [
    {},
    {"configurable": {}},
    {"configurable": {"assistant_id": "asst-1", "graph_id": "graph-1"}},
    {"configurable": {"graph_id": "graph-only"}},
    {"configurable": {"assistant_id": 7}},
    {"configurable": {"langgraph_auth_user": USER}},
    {"configurable": {"langgraph_auth_user": {"identity": "a dict"}, "graph_id": "g"}},
    {"configurable": {"langgraph_auth_user": {"identity": "a dict"}}},
]


def _seen(stategraph: Any, runtime_class: Any, config: dict[str, Any], use_async: bool) -> Any:
    import asyncio

    class State(TypedDict):
        seen: Any

    def node(state: State, runtime: runtime_class) -> dict[str, Any]:  # type: ignore[valid-type]
        info = runtime.server_info
        if info is None:
            return {"seen": None}
        return {"seen": (type(info).__name__, info.assistant_id, info.graph_id, info.user)}

    graph = stategraph(State).add_node("node", node).add_edge("__start__", "node").compile()
    if use_async:
        return asyncio.run(graph.ainvoke({"seen": 0}, config))
    return graph.invoke({"seen": 0}, config)


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_server_info_as_in_langgraph(use_async: bool) -> None:
    from langgraph.graph import StateGraph as LangGraphStateGraph
    from langgraph.runtime import Runtime as LangGraphRuntime

    from flowc.langgraph import StateGraph
    from flowc.langgraph.runtime import Runtime

    expected = [_seen(LangGraphStateGraph, LangGraphRuntime, c, use_async) for c in CONFIGS]
    assert expected[2] == {"seen": ("ServerInfo", "asst-1", "graph-1", None)}
    assert expected[5] == {"seen": ("ServerInfo", "", "", USER)}
    assert [_seen(StateGraph, Runtime, c, use_async) for c in CONFIGS] == expected


def test_server_info_is_frozen_and_merges_as_in_langgraph() -> None:
    from langgraph.runtime import Runtime as LangGraphRuntime
    from langgraph.runtime import ServerInfo as LangGraphServerInfo

    from flowc.langgraph.runtime import Runtime, ServerInfo

    for runtime, server_info in ((LangGraphRuntime, LangGraphServerInfo), (Runtime, ServerInfo)):
        one, two = server_info("a", "g"), server_info(assistant_id="b", graph_id="h")
        with pytest.raises(AttributeError):
            one.assistant_id = "c"  # type: ignore[misc]
        assert runtime().server_info is None
        assert runtime(server_info=one).merge(runtime()).server_info is one
        assert runtime(server_info=one).merge(runtime(server_info=two)).server_info is two
