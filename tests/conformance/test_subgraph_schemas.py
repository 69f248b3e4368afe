"""A subgraph with its own input and output schemas runs as in LangGraph 1.2.22.

It is given its input schema's keys of its parent's state and gives back its output
schema's keys, in every stream mode of the parent, sync and async, and in `invoke`. (With
`subgraphs=True` the subgraph's own `values` and `updates` show all its keys, where
LangGraph's show its output schema's: see docs/differences-from-langgraph.md.)
"""

from __future__ import annotations

import copy
import sys
import types
from functools import cache
from pathlib import Path

import pytest

from .oracle import MODE_ARGS, collect, normalize
from .test_dropin import swap_imports

pytestmark = pytest.mark.conformance

SOURCE = Path(__file__).parent / "streams_only" / "subgraph_schemas.py"


@cache
def load(impl: str) -> types.ModuleType:
    text = SOURCE.read_text(encoding="utf-8")
    if impl == "flowc":
        text = swap_imports(text)
    module = types.ModuleType(f"subgraph_schemas_{impl}")
    module.__file__ = str(SOURCE)
    sys.modules[module.__name__] = module
    exec(compile(text, str(SOURCE), "exec", dont_inherit=True), module.__dict__)
    return module


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_subgraph_takes_its_input_keys_and_gives_back_its_output_keys(use_async: bool) -> None:
    for mode in MODE_ARGS:
        expected, actual = (
            normalize(
                collect(
                    module.graph,
                    copy.deepcopy(module.INPUTS[0]),
                    stream_mode=mode,
                    use_async=use_async,
                )
            )
            for module in (load("langgraph"), load("flowc"))
        )
        assert actual == expected, f"stream_mode={mode}"


def test_invoke_returns_what_langgraph_returns() -> None:
    expected = load("langgraph").graph.invoke(copy.deepcopy(load("langgraph").INPUTS[0]))
    assert load("flowc").graph.invoke(copy.deepcopy(load("flowc").INPUTS[0])) == expected
    # `count` the subgraph wrote is not its output: the parent's `count` node saw 1
    assert expected == {
        "topic": "cats",
        "count": 2,
        "answer": "about cats",
        "jokes": ["joke about cats"],
    }
