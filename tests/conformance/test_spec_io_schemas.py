"""A spec's input and output schemas cut runs as LangGraph 1.2.22's ``input_schema`` and
``output_schema`` do.

``specs/io_schemas.toml`` (its generated module is ``tests/golden/io_schemas.py``)
names ``Question`` as the graph's input schema and ``Answer`` as its output schema.
The same graph built with LangGraph's ``StateGraph(AskState, input_schema=Question,
output_schema=Answer)`` is given an input with keys outside ``Question`` (which both
ignore) and run beside it in every ``stream_mode`` argument of the oracle, sync and
async: the chunks are equal (``values`` events show the whole state in both), and
``invoke`` returns ``Answer``'s key only in both.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from flowc_demo import io_schemas as nodes
from langgraph.graph import END, START, StateGraph

from flowc.dsl.load import check_target
from tests.golden import io_schemas

from .oracle import MODE_ARGS, _key_order, normalize

pytestmark = pytest.mark.conformance

# `notes` and `answer` are state keys, but not the input schema's: both graphs drop them
INPUT = {"question": "why", "notes": ["given"], "answer": "given"}


def langgraph_io_schemas() -> Any:
    builder = StateGraph(nodes.AskState, input_schema=nodes.Question, output_schema=nodes.Answer)
    builder.add_node("research", nodes.research)
    builder.add_node("respond", nodes.respond)
    builder.add_edge(START, "research")
    builder.add_edge("research", "respond")
    builder.add_edge("respond", END)
    return builder.compile()


@pytest.mark.parametrize("mode", MODE_ARGS, ids=repr)
def test_a_specs_schemas_cut_its_chunks_as_langgraphs(mode: Any) -> None:
    expected = list(langgraph_io_schemas().stream(dict(INPUT), stream_mode=mode))
    actual = list(io_schemas.graph.stream_chunks(dict(INPUT), stream_mode=mode))
    assert normalize(actual) == normalize(expected)
    assert _key_order(actual) == _key_order(expected)


@pytest.mark.parametrize("mode", ["values", "updates", ["values", "tasks"], "debug"], ids=repr)
def test_the_async_run_of_a_specs_schemas_streams_the_same(mode: Any) -> None:
    async def both() -> tuple[list[Any], list[Any]]:
        lg = [c async for c in langgraph_io_schemas().astream(dict(INPUT), stream_mode=mode)]
        fl = [c async for c in io_schemas.graph.astream_chunks(dict(INPUT), stream_mode=mode)]
        return lg, fl

    expected, actual = asyncio.run(both())
    assert normalize(actual) == normalize(expected)


def test_invoke_returns_the_output_schemas_keys_as_langgraphs() -> None:
    expected = langgraph_io_schemas().invoke(dict(INPUT))
    assert io_schemas.invoke(dict(INPUT)) == expected == {"answer": "WHY (looked up why)"}
    assert asyncio.run(io_schemas.ainvoke(dict(INPUT))) == expected
    assert asyncio.run(langgraph_io_schemas().ainvoke(dict(INPUT))) == expected


def test_values_events_show_the_whole_state_as_langgraphs_values_chunks() -> None:
    values = [e.data for e in io_schemas.stream(dict(INPUT), stream_mode="values")]
    assert values == [
        {"question": "why", "notes": []},
        {"question": "why", "notes": ["looked up why"]},
        {"question": "why", "notes": ["looked up why"], "answer": "WHY (looked up why)"},
    ]
    assert values == list(langgraph_io_schemas().stream(dict(INPUT), stream_mode="values"))


def test_the_decorator_twin_checks_to_the_same_schema_keys() -> None:
    toml = check_target("specs/io_schemas.toml").graph
    python = check_target("flowc_demo.io_schemas_graph:graph").graph
    assert toml is not None and python is not None
    assert (toml.input_keys, toml.output_keys) == (("question",), ("answer",))
    assert (python.input_keys, python.output_keys) == (toml.input_keys, toml.output_keys)
