"""A spec's node error handler runs as LangGraph 1.2.22's ``error_handler=`` runs.

``specs/error_handler.toml``: when ``parse`` fails, ``recover`` runs in its place
with its input and ``error: NodeError``, and the run goes on to ``report``. The
same graph built with LangGraph's ``StateGraph`` (its handler takes LangGraph's
``NodeError`` and ``Command``) streams the same chunks in every ``stream_mode`` argument of the
oracle, sync and async, for an input the parser reads and one it cannot.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from flowc_demo import error_handler as nodes
from langgraph.errors import NodeError as LangGraphNodeError
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command as LangGraphCommand

from tests.golden import error_handler

from .oracle import MODE_ARGS, _key_order, normalize

pytestmark = pytest.mark.conformance

INPUTS = [{"text": "42"}, {"text": "forty-two"}]


def recover(state: nodes.ParseState, error: LangGraphNodeError) -> LangGraphCommand[str]:
    failed = f"{error.node} failed: {type(error.error).__name__}"
    return LangGraphCommand(update={"number": 0, "log": [failed]}, goto="report")


# LangGraph finds the parameter it passes the failure to by its annotation, the class itself
recover.__annotations__["error"] = LangGraphNodeError


def langgraph_graph() -> Any:
    builder = StateGraph(nodes.ParseState)
    builder.add_node("parse", nodes.parse, error_handler=recover)
    builder.add_node("report", nodes.report)
    builder.add_edge(START, "parse")
    builder.add_edge("parse", "report")
    builder.add_edge("report", END)
    return builder.compile()


@pytest.mark.parametrize("given", INPUTS, ids=lambda g: g["text"])
@pytest.mark.parametrize("mode", MODE_ARGS, ids=repr)
def test_a_specs_error_handler_streams_as_langgraphs(mode: Any, given: dict[str, str]) -> None:
    expected = list(langgraph_graph().stream(dict(given), stream_mode=mode))
    actual = list(error_handler.graph.stream_chunks(dict(given), stream_mode=mode))
    assert normalize(actual) == normalize(expected)
    assert _key_order(actual) == _key_order(expected)


@pytest.mark.parametrize("given", INPUTS, ids=lambda g: g["text"])
def test_the_async_run_of_a_specs_error_handler_streams_the_same(given: dict[str, str]) -> None:
    async def both() -> tuple[list[Any], list[Any]]:
        mode = ["updates", "tasks"]
        lg = [c async for c in langgraph_graph().astream(dict(given), stream_mode=mode)]
        fl = [c async for c in error_handler.graph.astream_chunks(dict(given), stream_mode=mode)]
        return lg, fl

    expected, actual = asyncio.run(both())
    assert normalize(actual) == normalize(expected)


def test_the_handlers_typed_event_names_it() -> None:
    events = list(error_handler.stream({"text": "x"}))
    assert [(type(e).__name__, e.node, e.data) for e in events] == [
        (
            "ParseErrorHandled",
            "__error_handler__parse",
            {"number": 0, "log": ["parse failed: ValueError"]},
        ),
        ("ReportUpdated", "report", {"log": ["number 0"]}),
    ]
    assert error_handler.invoke({"text": "7"}) == {
        "text": "7",
        "number": 7,
        "log": ["parsed", "number 7"],
    }
