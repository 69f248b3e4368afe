"""`step_timeout` against LangGraph 1.2.22: what a run that times out streams, and what it raises.

The graphs (``streams_only/timeouts.py``) are LangGraph code run as it is and with its
imports swapped, as the drop-in graphs are; they live outside ``dropin/`` because each run
waits for a late node, which every mode and pair of modes would make slow: here each mode
runs alone and all at once, sync and async.
"""

from __future__ import annotations

import copy
import sys
import types
from functools import cache
from pathlib import Path

import pytest

from .oracle import MODES, collect, normalize
from .test_dropin import swap_imports

pytestmark = pytest.mark.conformance

SOURCE = Path(__file__).parent / "streams_only" / "timeouts.py"


@cache
def load(impl: str) -> types.ModuleType:
    text = SOURCE.read_text(encoding="utf-8")
    if impl == "flowc":
        text = swap_imports(text)
    module = types.ModuleType(f"timeouts_{impl}")
    module.__file__ = str(SOURCE)
    sys.modules[module.__name__] = module
    exec(compile(text, str(SOURCE), "exec", dont_inherit=True), module.__dict__)
    return module


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("name", load("langgraph").GRAPHS)
def test_a_step_that_times_out_streams_and_raises_as_in_langgraph(
    name: str, use_async: bool
) -> None:
    for mode in [*(m for m in MODES if m != "checkpoints"), list(MODES)]:
        expected, actual = (
            normalize(
                collect(
                    getattr(module, name),
                    copy.deepcopy(module.INPUTS[0]),
                    stream_mode=mode,
                    use_async=use_async,
                )
            )
            for module in (load("langgraph"), load("flowc"))
        )
        assert actual == expected, f"{name} stream_mode={mode}"
        assert actual[-1][0] == "<raised>"
