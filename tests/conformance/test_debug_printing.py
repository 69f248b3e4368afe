"""``debug=True`` and ``print_mode=`` print what LangGraph prints, and stream what it streams.

Every drop-in graph of ``dropin/`` named below runs in LangGraph and in flowc with
``compile(debug=True)``, with ``debug=True`` on the call and with ``print_mode``, through
``stream``, ``astream``, ``invoke`` and ``ainvoke``, ``subgraphs`` off and on: the printed text
(ANSI colours included; task ids, namespaces' ids and timestamps replaced by placeholders)
and the chunks or results are the same.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import re
from typing import Any

import pytest

from .oracle import both_agreeing, normalize
from .test_dropin import inputs, load

pytestmark = pytest.mark.conformance

_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIMESTAMP = re.compile(r"'\d{4}-\d\d-\d\dT[\d:.]+\+00:00'")

STEMS = ["sequence", "subgraph", "parallel_join", "node_names", "root_states"]


def _text(out: str) -> str:
    return _TIMESTAMP.sub("'<ts>'", _ID.sub("<id>", out))


def _run(graph: Any, input: Any, how: str, kwargs: dict[str, Any]) -> Any:
    input = copy.deepcopy(input)
    if how == "stream":
        return list(graph.stream(input, **kwargs))
    if how == "invoke":
        return graph.invoke(input, **kwargs)

    async def go() -> Any:
        if how == "astream":
            return [chunk async for chunk in graph.astream(input, **kwargs)]
        return await graph.ainvoke(input, **kwargs)

    return asyncio.run(go())


CALLS: list[tuple[str, dict[str, Any]]] = [
    ("compiled", {}),
    ("compiled", {"stream_mode": "tasks", "subgraphs": True}),
    ("compiled", {"stream_mode": ["updates", "debug"]}),
    ("call", {"debug": True}),
    ("call", {"debug": True, "subgraphs": True, "stream_mode": "values"}),
    ("call", {"print_mode": ["debug", "updates"], "stream_mode": ["values"], "subgraphs": True}),
    ("call", {"print_mode": "values", "stream_mode": "updates", "version": "v2"}),
    ("call", {"print_mode": "tasks", "stream_mode": ("updates", "values")}),
]


def _outcomes(
    stem: str,
    impl: str,
    where: str,
    how: str,
    kwargs: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
) -> list[tuple[str, str, Any]]:
    """Each graph's and input's printed text and normalised chunks or result, in one build."""
    outcomes = []
    module = load(stem, impl)
    for name in module.GRAPHS:
        graph = getattr(module, name)
        if where == "compiled":
            graph = graph.builder.compile(debug=True, name=graph.name)
        for input in inputs(module, name):
            result = normalize([_run(graph, input, how, kwargs)])
            outcomes.append((name, _text(capsys.readouterr().out), result))
    return outcomes


@pytest.mark.parametrize("stem", STEMS)
@pytest.mark.parametrize("how", ["stream", "astream", "invoke", "ainvoke"])
def test_printed_text_and_chunks_are_langgraphs(
    stem: str, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for where, kwargs in CALLS:
        if how.endswith("invoke"):
            if isinstance(kwargs.get("stream_mode"), list | tuple):
                continue
            kwargs = {k: v for k, v in kwargs.items() if k != "subgraphs"}
        actual, expected = both_agreeing(
            functools.partial(_outcomes, stem, "langgraph", where, how, kwargs, capsys),
            functools.partial(_outcomes, stem, "flowc", where, how, kwargs, capsys),
        )
        for expected_one, actual_one in zip(expected, actual, strict=True):
            assert actual_one == expected_one, f"{stem} {how} {where} {kwargs}"
