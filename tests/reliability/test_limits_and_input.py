"""Limits (recursion, large states, very large specs) and input validation:
each works or fails with a clear error before anything runs; nothing hangs."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pydantic
import pytest

from flowc.runtime import EmptyInputError, GraphRecursionError, InvalidInputError

from .conftest import built
from .graphs import CALLS

ROOT = Path(__file__).resolve().parents[2]


def test_recursion_limit_error_names_the_limit() -> None:
    runner = built("looping")
    seen = []
    with pytest.raises(GraphRecursionError) as caught:
        for event in runner.stream({}, config={"recursion_limit": 4}):
            seen.append(event.chunk())
    assert str(caught.value).startswith(
        "Recursion limit of 4 reached without hitting a stop condition."
    )
    assert seen == [{"tick": {"n": 1}}, {"tick": {"n": 2}}, {"tick": {"n": 3}}, {"tick": {"n": 4}}]


def test_recursion_limit_below_one_is_refused_before_running() -> None:
    runner = built("looping")
    with pytest.raises(ValueError, match="recursion_limit must be at least 1"):
        runner.invoke({}, config={"recursion_limit": 0})


def test_large_state_values_pass_through() -> None:
    runner = built("big")
    text = "x" * 1_000_000
    items = list(range(100_000))
    result = runner.invoke({"text": text, "items": items})
    assert result["size"] == 1_100_000
    assert len(result["items"]) == 100_001 and result["items"][-1] == 1
    assert result["text"] is text


def test_none_input_is_an_empty_input_error() -> None:
    runner = built("tagged")
    with pytest.raises(EmptyInputError, match="Received no input for __start__"):
        list(runner.stream(None))


def test_bad_arguments_raise_on_the_first_next_not_at_the_call() -> None:
    # as LangGraph's stream() and astream(): the call hands back a stream, which then fails
    runner = built("tagged")
    streams = [
        (runner.stream(None), EmptyInputError, "Received no input for __start__"),
        (runner.stream({"run": "r"}, stream_mode="bogus"), ValueError, "unknown stream mode"),
        (runner.stream({"run": "r"}, config={"recursion_limit": 0}), ValueError, "at least 1"),
    ]
    for events, error, message in streams:
        with pytest.raises(error, match=message):
            next(events)

    async def first(events: Any) -> Any:
        return await anext(events)

    no_input = runner.astream(None)
    bad_mode = runner.astream({"run": "r"}, stream_mode="bogus")
    with pytest.raises(EmptyInputError, match="Received no input for __start__"):
        asyncio.run(first(no_input))
    with pytest.raises(ValueError, match="unknown stream mode"):
        asyncio.run(first(bad_mode))


def test_unknown_input_key_is_refused_before_any_node_runs() -> None:
    runner = built("pydantic_graph")
    with pytest.raises(InvalidInputError) as caught:
        runner.invoke({"name": "a", "count": 1, "colour": "red"})
    assert str(caught.value) == (
        "graph 'pydantic_graph' has no state key 'colour' (its keys: name, count, note)"
    )
    assert CALLS == []


def test_wrong_type_for_a_pydantic_state_is_a_validation_error_before_running() -> None:
    runner = built("pydantic_graph")
    with pytest.raises(pydantic.ValidationError) as caught:
        runner.invoke({"name": "a", "count": "many"})
    assert caught.value.errors()[0]["loc"] == ("count",)
    assert CALLS == []


def test_missing_required_key_of_a_pydantic_state_is_refused_before_running() -> None:
    runner = built("pydantic_graph")
    with pytest.raises(pydantic.ValidationError) as caught:
        runner.invoke({"name": "a"})
    assert [e["loc"] for e in caught.value.errors()] == [("count",)]
    assert CALLS == []


def test_missing_required_key_of_a_dataclass_state_is_refused_before_running() -> None:
    runner = built("dataclass_graph")
    with pytest.raises(InvalidInputError) as caught:
        runner.invoke({"count": 3})
    assert str(caught.value) == "graph 'dataclass_graph' needs input key 'name'"
    assert CALLS == []
    assert runner.invoke({"name": "n"}) == {"name": "n", "count": 1}


def test_non_mapping_input_is_refused() -> None:
    runner = built("tagged")
    with pytest.raises(InvalidInputError, match="takes a mapping of state keys as input, not list"):
        runner.invoke(["run"])


@pytest.mark.slow
def test_a_10000_node_spec_checks_compiles_imports_and_runs(tmp_path: Path) -> None:
    n = 10_000
    lines = [
        "[graph]",
        'name = "huge"',
        "[state.fields]",
        'count = { type = "int", reducer = "add" }',
    ]
    for i in range(n):
        lines += [f"[nodes.n{i}]", 'call = "huge_nodes:step"']
    lines += [
        "[[edges]]",
        "chain = [" + ", ".join(['"START"', *(f'"n{i}"' for i in range(n)), '"END"']) + "]",
    ]
    (tmp_path / "huge.toml").write_text("\n".join(lines) + "\n")
    (tmp_path / "huge_nodes.py").write_text(
        "def step(state: dict[str, int]) -> dict[str, int]:\n    return {'count': 1}\n"
    )
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from flowc import build
        runner = build({str(tmp_path / "huge.toml")!r})
        print(runner.invoke({{"count": 0}}, config={{"recursion_limit": {n + 1}}})["count"])
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=240, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == str(n)


def test_deeply_nested_subgraphs_stream_with_their_namespaces() -> None:
    from .graphs import DEPTH

    runner = built("deepest")
    events = list(runner.stream({"path": ">"}, stream_mode="updates", subgraphs=True))
    # the leaf's update comes first, from the deepest namespace, then each level's
    # `inner` node reports the child's result, innermost first
    assert [len(e.ns) for e in events] == list(range(DEPTH, -1, -1))
    assert events[0].chunk() == {"leaf": {"path": ">leaf"}}
    assert all(e.chunk() == {"inner": {"path": ">leaf"}} for e in events[1:])
    assert all(seg.startswith("inner:") for seg in events[0].ns)
    assert runner.invoke({"path": ">"}) == {"path": ">leaf"}


def test_a_recursion_limit_that_is_not_an_int_is_refused_by_name() -> None:
    from tests.golden import joke

    for bad, kind in (("3", "str"), (True, "bool"), (2.0, "float")):
        with pytest.raises(TypeError, match=f"recursion_limit must be an int, not {kind}"):
            joke.invoke({"topic": "t"}, config={"recursion_limit": bad})  # type: ignore[typeddict-item]


def test_stream_mode_none_means_the_default_updates() -> None:
    from tests.golden import joke

    chunks = list(joke.stream_chunks({"topic": "t"}, stream_mode=None))
    assert chunks == list(joke.stream_chunks({"topic": "t"}, stream_mode="updates"))
    events = list(joke.stream({"topic": "t"}, stream_mode=None))  # type: ignore[call-overload]
    assert [type(e).__name__ for e in events] == ["RefineTopicUpdated", "GenerateJokeUpdated"]
