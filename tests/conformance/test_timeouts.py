"""`step_timeout` and node timeouts against LangGraph 1.2.22: what a run that times out
streams, and what it raises.

The graphs (``streams_only/timeouts.py``) are LangGraph code run as it is and with its
imports swapped, as the drop-in graphs are; they live outside ``dropin/`` because each run
waits for a late node, which every mode and pair of modes would make slow: here each mode
runs alone and all at once, sync and async. A ``NodeTimeoutError`` says how long the attempt
ran: its seconds are left out of the comparison.
"""

from __future__ import annotations

import copy
import re
import sys
import types
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from .oracle import MODES, collect, normalize
from .test_dropin import swap_imports

pytestmark = pytest.mark.conformance

SOURCE = Path(__file__).parent / "streams_only" / "timeouts.py"
_ELAPSED = re.compile(r"\(elapsed: \d+\.\d+s\)")


def _without_elapsed(value: Any) -> Any:
    if isinstance(value, str):
        return _ELAPSED.sub("(elapsed: <s>)", value)
    if isinstance(value, dict):
        return {k: _without_elapsed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_without_elapsed(v) for v in value)
    return value


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
def test_a_run_past_a_timeout_streams_and_raises_as_in_langgraph(
    name: str, use_async: bool
) -> None:
    for mode in [*(m for m in MODES if m != "checkpoints"), list(MODES)]:
        expected, actual = (
            _without_elapsed(
                normalize(
                    collect(
                        getattr(module, name),
                        copy.deepcopy(module.INPUTS[0]),
                        stream_mode=mode,
                        use_async=use_async,
                    )
                )
            )
            for module in (load("langgraph"), load("flowc"))
        )
        assert actual == expected, f"{name} stream_mode={mode}"
        # a retried attempt that was late once ends in time, as does a Send whose own
        # timeout is looser than its node's
        raised = bool(actual) and isinstance(actual[-1], tuple) and actual[-1][0] == "<raised>"
        ends_in_time = name in ("node_retried", "send_timeout_looser") and use_async
        assert raised is not ends_in_time


def test_a_sends_timeout_is_checked_when_made_and_shown_as_langgraphs() -> None:
    from langgraph.types import Send as LangGraphSend
    from langgraph.types import TimeoutPolicy as LangGraphTimeoutPolicy

    from flowc.langgraph.types import Send, TimeoutPolicy

    for send in (Send, LangGraphSend):
        with pytest.raises(ValueError, match="run_timeout must be greater than 0"):
            send("slow", {}, timeout=0)
    assert repr(Send("a", {"x": 1})) == repr(LangGraphSend("a", {"x": 1}))
    assert Send("a", 1, timeout=2.0) == Send("a", 1, timeout=TimeoutPolicy(run_timeout=2.0))
    assert Send("a", 1, timeout=2.0) != Send("a", 1)
    assert hash(Send("a", 1, timeout=2.0)) != hash(Send("a", 1))
    ours = repr(Send("a", 1, timeout=TimeoutPolicy(idle_timeout=0.5)))
    assert ours == repr(LangGraphSend("a", 1, timeout=LangGraphTimeoutPolicy(idle_timeout=0.5)))
