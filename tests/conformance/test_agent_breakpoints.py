"""An agent paused before its tools (``interrupt_before=["tools"]``) and resumed, as LangGraph's.

``create_react_agent`` from ``langgraph.prebuilt`` and from ``flowc.langgraph.prebuilt``,
each with a checkpointer (LangGraph's saver for LangGraph; LangGraph's and flowc's for
flowc), ``version="v1"`` and ``"v2"``: the first run stops before the tool call runs,
the second (``None``) goes on, runs the tool and the model answers. Every chunk of both
runs, in every ``stream_mode`` argument of the oracle but those with ``tasks``/``debug``
(LangGraph's agent shows its managed ``remaining_steps`` in task inputs, flowc's computes
it: ``test_prebuilt.test_agent_task_inputs_have_no_remaining_steps``), with ``subgraphs``
off and on, sync and async, then ``get_state`` and the history of the thread, are equal
after the oracle's normalisation; ``invoke``/``ainvoke`` return the same.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

import langgraph.prebuilt
import pytest
from flowc_demo.fake_chat import ToolCallingFakeModel
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver
from langgraph.config import get_stream_writer as lg_get_stream_writer

import flowc.langgraph.prebuilt
from flowc.langgraph import get_stream_writer
from flowc.savers.memory import InMemorySaver as FlowcSaver

from .oracle import MODE_ARGS, normalize
from .test_interrupts import _assert_same, invoke_script, run_script

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

INPUT = {"messages": [{"role": "user", "content": "what is the weather in sf"}]}
SCRIPT = [INPUT, None]


def weather_tool(get_writer: Any) -> Any:
    """The document's tool, writing through ``get_writer`` (LangGraph's or flowc's)."""

    def get_weather(city: str) -> str:
        """Get weather for a given city."""
        get_writer()({"city": city})
        return f"It's always sunny in {city}!"

    return get_weather


def model() -> ToolCallingFakeModel:
    # one reply per run: the script's model calls use both replies, whatever ran before
    return ToolCallingFakeModel(
        responses=[
            AIMessage(
                "Let me look.",
                id="ai-1",
                tool_calls=[{"name": "get_weather", "args": {"city": "sf"}, "id": "call-1"}],
            ),
            AIMessage("It's sunny in sf.", id="ai-2"),
        ]
    )


def agent(impl: str, saver: str, version: str) -> Any:
    prebuilt = langgraph.prebuilt if impl == "langgraph" else flowc.langgraph.prebuilt
    tool = weather_tool(lg_get_stream_writer if impl == "langgraph" else get_stream_writer)
    checkpointer = LangGraphSaver() if saver == "langgraph" else FlowcSaver()
    return prebuilt.create_react_agent(
        model(), [tool], checkpointer=checkpointer, interrupt_before=["tools"], version=version
    )


def task_results(items: list[Any]) -> list[tuple[str, Any]]:
    """The results of the thread history's tasks, each replaced by ``"<result>"`` in ``items``.

    They differ in two ways that are no difference of the agent: the ``__start__`` task's
    is the input as given in LangGraph, as the state's reducer made it in flowc (messages
    for message dicts; docs/differences-from-langgraph.md, "Persistence"); and under
    ``astream`` LangGraph's saver may keep a write after ``add_messages`` gave its
    message an id (the reducer changes the written message in place), so ids are left out.
    """
    found = []
    for item in items:
        if isinstance(item, tuple) and item and item[0] == "<history>":
            for snap in item[1]:
                for task in snap["tasks"]:
                    found.append((task["name"], _without_ids(task["result"])))
                    task["result"] = "<result>"
    return found


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list | tuple):
        return type(value)(_without_ids(v) for v in value)
    return value


MODES = [
    mode
    for mode in MODE_ARGS
    if not {"tasks", "debug"} & ({mode} if isinstance(mode, str) else set(mode))
]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("subgraphs", [False, True], ids=["root", "sub"])
@pytest.mark.parametrize("saver", ["langgraph", "flowc"])
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_an_agent_paused_before_its_tools_resumes_as_langgraphs(
    version: str, saver: str, subgraphs: bool, use_async: bool
) -> None:
    want, got = agent("langgraph", "langgraph", version), agent("flowc", saver, version)
    for mode in MODES:
        thread = f"{version}-{saver}-{subgraphs}-{use_async}-{mode!r}"
        expected = normalize(run_script(want, SCRIPT, mode, subgraphs, use_async, thread))
        actual = normalize(run_script(got, SCRIPT, mode, subgraphs, use_async, thread))
        theirs, ours = task_results(expected), task_results(actual)
        given = [r for name, r in theirs if name == "__start__"]
        made = [r for name, r in ours if name == "__start__"]
        assert given == [{"messages": [INPUT["messages"][0]]}]
        assert [[m[0] for m in r["messages"]] for r in made] == [["HumanMessage"]]
        assert [t for t in ours if t[0] != "__start__"] == [
            t for t in theirs if t[0] != "__start__"
        ]
        _assert_same(actual, expected, f"{version} stream_mode={mode!r}")
    # the first run stopped before the tool ran; the second ran it and the model answered
    state = got.get_state({"configurable": {"thread_id": thread}})
    contents = [m.content for m in state.values["messages"]]
    assert contents[-2:] == ["It's always sunny in sf!", "It's sunny in sf."]
    assert state.next == ()


@pytest.mark.parametrize("saver", ["langgraph", "flowc"])
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_invoking_an_agent_paused_before_its_tools_returns_what_langgraphs_returns(
    version: str, saver: str
) -> None:
    want, got = agent("langgraph", "langgraph", version), agent("flowc", saver, version)
    for use_async in (False, True):
        thread = f"invoke-{version}-{saver}-{use_async}"
        expected = normalize(invoke_script(want, SCRIPT, use_async, thread))
        actual = normalize(invoke_script(got, SCRIPT, use_async, thread))
        _assert_same(actual, expected, f"{version} async={use_async}")
        ended = got.get_state({"configurable": {"thread_id": thread}})
        assert ended.next == ()
    ((_, first),) = invoke_script(got, [INPUT], False, "paused-only")
    assert [m.content for m in first["messages"]] == [
        "what is the weather in sf",
        "Let me look.",
    ]
    assert got.get_state({"configurable": {"thread_id": "paused-only"}}).next == ("tools",)


class Fan(TypedDict):
    items: list[str]
    done: Annotated[list[str], operator.add]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_breakpoint_stops_before_the_tasks_a_send_starts_as_langgraphs(use_async: bool) -> None:
    import langgraph.graph as lg_graph
    import langgraph.types as lg_types

    import flowc.langgraph as fc_graph

    runs = []
    for graph_mod, send in ((lg_graph, lg_types.Send), (fc_graph, fc_graph.Send)):

        def route(state: Fan, _send: Any = send) -> list[Any]:
            return [_send("work", {"items": [i], "done": []}) for i in state["items"]]

        def work(state: Fan) -> dict[str, Any]:
            return {"done": [f"did {state['items'][0]}"]}

        saver = LangGraphSaver() if graph_mod is lg_graph else FlowcSaver()
        graph = (
            graph_mod.StateGraph(Fan)
            .add_node("start", lambda state: {})
            .add_node("work", work)
            .add_edge(graph_mod.START, "start")
            .add_conditional_edges("start", route, ["work"])
            .compile(checkpointer=saver, interrupt_before=["work"])
        )
        script = [{"items": ["a", "b"], "done": []}, None]
        runs.append(normalize(run_script(graph, script, "values", False, use_async, "fan")))
        paused = graph.get_state({"configurable": {"thread_id": "fan"}})
        assert paused.values["done"] == ["did a", "did b"]
    # the first run stops with nothing done; the second does both sent tasks
    first = runs[1][: runs[1].index(("<run>", 1))]
    assert first == [("<run>", 0), {"items": ["a", "b"], "done": []}]
    _assert_same(runs[1], runs[0], "a Send to a node interrupt_before names")
