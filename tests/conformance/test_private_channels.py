"""Private channels stream as in LangGraph 1.2.22, in every mode, sync and async.

The graph is LangGraph code run as it is and with its imports swapped, as the
drop-in graphs are; ``invoke`` leaves the private channels out of its result, in every mode,
as LangGraph does.
"""

from __future__ import annotations

import copy
import sys
import types
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from .oracle import MODE_ARGS, collect, normalize
from .test_dropin import swap_imports

pytestmark = pytest.mark.conformance

SOURCE = Path(__file__).parent / "streams_only" / "private_channels.py"
GRAPHS = ("graph", "routed")


@cache
def load(impl: str) -> types.ModuleType:
    text = SOURCE.read_text(encoding="utf-8")
    if impl == "flowc":
        text = swap_imports(text)
    module = types.ModuleType(f"private_channels_{impl}")
    module.__file__ = str(SOURCE)
    sys.modules[module.__name__] = module
    exec(compile(text, str(SOURCE), "exec", dont_inherit=True), module.__dict__)
    return module


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("subgraphs", [False, True], ids=["root", "sub"])
def test_private_channels_stream_as_in_langgraph(subgraphs: bool, use_async: bool) -> None:
    cases = [(name, index) for name in GRAPHS for index in range(len(load("langgraph").INPUTS))]
    for name, index in cases:
        for mode in MODE_ARGS:
            expected, actual = (
                normalize(
                    collect(
                        getattr(module, name),
                        copy.deepcopy(module.INPUTS[index]),
                        stream_mode=mode,
                        subgraphs=subgraphs,
                        use_async=use_async,
                    )
                )
                for module in (load("langgraph"), load("flowc"))
            )
            assert actual == expected, f"{name} input #{index} stream_mode={mode}"


def test_a_private_channel_is_written_read_and_streamed_but_hidden_from_plain_nodes() -> None:
    values: list[Any] = list(load("flowc").graph.stream({"topic": "x", "log": []}))
    assert values == [
        {"hide": {"secret": "x!", "hops": 1}},
        {"reveal": {"topic": "x!x!", "log": ["hops=1"]}},
        {"plain": {"log": ["keys=['log', 'topic']"]}},
    ]


@pytest.mark.parametrize("mode", ["values", "updates"])
def test_invoke_leaves_private_channels_out_as_in_langgraph(mode: str) -> None:
    for name in GRAPHS:
        for index in range(len(load("langgraph").INPUTS)):
            expected, actual = (
                normalize(
                    [
                        getattr(module, name).invoke(
                            copy.deepcopy(module.INPUTS[index]), stream_mode=mode
                        )
                    ]
                )
                for module in (load("langgraph"), load("flowc"))
            )
            assert actual == expected, f"{name} input #{index} stream_mode={mode}"
