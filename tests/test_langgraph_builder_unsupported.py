"""What flowc does not support yet fails at compile() (node options at add_node), naming the feature.

Never later, never silently: each LangGraph feature below would otherwise be
ignored or fail in the middle of a run.
"""

from __future__ import annotations

import asyncio
import operator
import re
from typing import Annotated, Any, Literal, TypedDict

import langgraph.types as lgtypes
import pydantic
import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.config import get_store as langgraph_get_store
from langgraph.config import get_stream_writer as langgraph_get_stream_writer
from langgraph.graph import StateGraph as LangGraphStateGraph
from langgraph.managed import RemainingSteps
from langgraph.types import Command, RetryPolicy, Send, interrupt

from flowc.langgraph import END, START, GraphCompileError, StateGraph, UnsupportedFeatureError


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


def bump(state: State) -> dict[str, Any]:
    return {"n": state["n"] + 1}


def one_node(node: Any = bump, **state_kwargs: Any) -> StateGraph[Any]:
    return StateGraph(State, **state_kwargs).add_node("node", node).add_edge(START, "node")


def compile_error(builder: StateGraph[Any], **kwargs: Any) -> list[tuple[str, str, str | None]]:
    with pytest.raises(GraphCompileError) as info:
        builder.compile(**kwargs)
    return [(d.code, d.message, d.hint) for d in info.value.diagnostics]


# -- node options: at add_node ----------------------------------------------------------


def test_default_node_policies_flowc_lacks_fail_at_set_node_defaults() -> None:
    with pytest.raises(
        UnsupportedFeatureError,
        match=r"default trace policies \(`trace_policy=`\) are not supported",
    ):
        StateGraph(State).set_node_defaults(trace_policy=object())
    StateGraph(State).set_node_defaults()  # nothing asked, nothing refused
    StateGraph(State).set_node_defaults(retry_policy=RetryPolicy())


# -- compile() options and graph schemas ------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"store": object()}, "`store=` takes a store; a object has no `batch`"),
    ],
)
def test_compile_options_fail_at_compile(kwargs: dict[str, Any], message: str) -> None:
    assert [(code, text) for code, text, _ in compile_error(one_node(), **kwargs)] == [
        ("E601", message)
    ]


def test_langgraphs_own_saver_keeps_a_threads_state() -> None:
    graph = one_node().compile(checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "t1"}}
    assert graph.invoke({"n": 1}, config) == {"n": 2, "log": []}
    snapshot = graph.get_state(config)
    assert (snapshot.values, snapshot.next, snapshot.metadata) == (
        {"n": 2, "log": []},
        (),
        {"source": "loop", "step": 1, "parents": {}},
    )


def test_no_checkpointer_is_fine() -> None:
    assert one_node().compile(checkpointer=False).invoke({"n": 1}) == {"n": 2, "log": []}


class Context(TypedDict):
    user: str


class Answer(TypedDict):
    n: int


def test_managed_values_in_a_pydantic_state_fail_at_compile() -> None:
    class Managed(pydantic.BaseModel):
        n: int
        remaining_steps: RemainingSteps

    builder = StateGraph(Managed).add_node("node", lambda state: None).add_edge(START, "node")
    (diag,) = compile_error(builder)
    assert diag == (
        "E601",
        "state field `remaining_steps` is a managed value (`RemainingStepsManager`), which flowc "
        "supports in a TypedDict state only (`RemainingSteps`, `IsLastStep`)",
        "make the state a TypedDict, or read flowc.runtime.remaining_steps() in the node",
    )


# -- what nodes and routers use ---------------------------------------------------------


def returns_command(state: State) -> Any:
    return Command(update={"n": 1}, goto="node")


def sends(state: State) -> Any:
    return [Send("node", {"n": i}) for i in range(3)]


def asks(state: State) -> Any:
    return {"n": interrupt("how many?")}


def writes_with_langgraph(state: State) -> Any:
    langgraph_get_stream_writer()("lost")
    return None


def helper_sends(state: State) -> Any:
    return sends(state)


def module_attribute(state: State) -> Any:
    return lgtypes.Send("node", state)


def asks_langgraphs_store(state: State) -> Any:
    return langgraph_get_store()


@pytest.mark.parametrize(
    ("node", "message"),
    [
        (
            asks,
            "node `node` uses `interrupt`: LangGraph's `interrupt()` does not see a flowc run",
        ),
        (
            writes_with_langgraph,
            "node `node` uses `langgraph_get_stream_writer`: LangGraph's `get_stream_writer` does not write to a flowc run",
        ),
        (
            asks_langgraphs_store,
            "node `node` uses `langgraph_get_store`: LangGraph's `get_store` does not see a flowc run",
        ),
    ],
)
def test_nodes_using_unsupported_features_fail_at_compile(node: Any, message: str) -> None:
    assert [(code, text) for code, text, _ in compile_error(one_node(node))] == [("E601", message)]


def test_the_hint_says_what_to_do_instead() -> None:
    ((_, _, hint),) = compile_error(one_node(writes_with_langgraph))
    assert hint == "import it from flowc.langgraph: `from flowc.langgraph import get_stream_writer`"


def test_langgraphs_own_send_and_command_objects_run_in_a_flowc_graph() -> None:
    # code that still imports Send and Command from langgraph.types runs unchanged
    def fan(state: State) -> Any:
        return [Send("count", {"n": i, "log": []}) for i in range(3)]

    def count(state: State) -> Any:
        return {"log": [f"sent {state['n']}"]}

    def decide(state: State) -> Command[Literal["count"]]:
        return Command(update={"log": ["decided"]}, goto=lgtypes.Send("count", {"n": 9, "log": []}))

    commanded = (
        StateGraph(State)
        .add_node("decide", decide)
        .add_node("count", count)
        .add_edge(START, "decide")
        .add_edge("count", END)
        .compile()
    )
    assert commanded.invoke({"n": 0, "log": []}) == {"n": 0, "log": ["decided", "sent 9"]}
    sent = StateGraph(State).add_node("count", count).add_conditional_edges(START, fan, ["count"])
    assert sent.compile().invoke({"n": 0, "log": []})["log"] == ["sent 0", "sent 1", "sent 2"]


def test_closures_capturing_unsupported_objects_fail_at_compile() -> None:
    make = interrupt

    def node(state: State) -> Any:
        return {"n": make("how many?")}

    assert compile_error(one_node(node))[0][1].startswith(
        "node `node` uses `make`: LangGraph's `interrupt()`"
    )


def test_langgraph_graphs_cannot_be_nodes() -> None:
    lg_graph = LangGraphStateGraph(State).add_node("x", bump).add_edge(START, "x").compile()
    assert compile_error(one_node(lg_graph)) == [
        (
            "E602",
            "node `node`: a graph compiled by LangGraph cannot run inside a flowc graph",
            "build the subgraph with flowc.langgraph.StateGraph too",
        )
    ]


def get_weather(city: str) -> str:
    """Get the weather of a city."""
    return f"sunny in {city}"


@pytest.mark.filterwarnings("ignore:ValidationNode is deprecated")
def test_langgraphs_own_tool_node_as_a_node_says_to_import_flowcs() -> None:
    from langgraph.prebuilt import ToolNode, ValidationNode

    assert compile_error(one_node(ToolNode([get_weather]))) == [
        (
            "E602",
            "node `node`: LangGraph's own `ToolNode` cannot run in a flowc graph",
            "import ToolNode from flowc.langgraph.prebuilt (LangGraph's signature and behaviour)",
        )
    ]
    assert compile_error(one_node(ValidationNode([get_weather]))) == [
        (
            "E602",
            "node `node`: LangGraph's prebuilt `ValidationNode` is not supported by flowc yet",
            "write the node as a function that validates the tool calls of the last AI message "
            "and returns `ToolMessage`s as the update",
        )
    ]


@pytest.mark.parametrize("name", ["create_react_agent", "ToolNode", "tools_condition"])
def test_prebuilt_names_imported_from_flowc_langgraph_point_at_prebuilt(name: str) -> None:
    with pytest.raises(ImportError) as info:
        exec(f"from flowc.langgraph import {name}", {})
    assert str(info.value) == (
        f"flowc.langgraph has no {name}: import it from flowc.langgraph.prebuilt, "
        "as LangGraph's is imported from langgraph.prebuilt"
    )
    assert info.value.name == name


def test_prebuilt_agents_and_tool_nodes_import_from_flowc_langgraph_prebuilt() -> None:
    from flowc.langgraph._agent import create_react_agent as agent
    from flowc.langgraph._tool_node import ToolNode as node
    from flowc.langgraph._tool_node import tools_condition as condition
    from flowc.langgraph.prebuilt import ToolNode, create_react_agent, tools_condition

    assert (create_react_agent, ToolNode, tools_condition) == (agent, node, condition)


def test_names_only_langgraph_prebuilt_has_fail_to_import_naming_the_feature() -> None:
    with pytest.raises(ImportError) as info:
        from flowc.langgraph.prebuilt import ValidationNode  # noqa: F401
    assert str(info.value) == (
        "flowc.langgraph.prebuilt has no ValidationNode: LangGraph's prebuilt `ValidationNode` "
        "is not supported by flowc yet; write the node as a function that validates the tool "
        "calls of the last AI message"
    )
    with pytest.raises(ImportError, match="cannot import name 'Nothing'"):
        from flowc.langgraph.prebuilt import Nothing  # noqa: F401


def test_the_import_errors_of_other_missing_features_name_them_in_one_sentence() -> None:
    with pytest.raises(ImportError) as info:
        from flowc.langgraph import MessageGraph  # noqa: F401
    assert str(info.value) == (
        "flowc.langgraph has no MessageGraph: `MessageGraph` (removed from LangGraph 1.x too) "
        "is not supported by flowc yet; use StateGraph"
    )


# -- run options: before anything runs -----------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"output_keys": ["n"]}, "`output_keys=` is not supported by flowc yet"),
        # LangGraph streams v1's chunks for any version but "v2"
        ({"version": "v3"}, 'version=\'v3\' is not supported by flowc; use "v1" or "v2"'),
    ],
)
def test_run_options_fail_before_running(kwargs: dict[str, Any], message: str) -> None:
    ran: list[int] = []

    def node(state: State) -> Any:
        ran.append(1)
        return None

    graph = one_node(node).compile()
    for call in (
        lambda: list(graph.stream({"n": 1}, **kwargs)),
        lambda: graph.invoke({"n": 1}, **kwargs),
        lambda: asyncio.run(graph.ainvoke({"n": 1}, **kwargs)),
    ):
        with pytest.raises(UnsupportedFeatureError, match=re.escape(message)):
            call()
    assert ran == []


def test_resuming_without_a_checkpointer_fails_before_running_as_in_langgraph() -> None:
    graph = one_node().compile()
    with pytest.raises(
        RuntimeError, match=r"^Cannot use Command\(resume=...\) without checkpointer$"
    ):
        graph.invoke(Command(resume="x"))
