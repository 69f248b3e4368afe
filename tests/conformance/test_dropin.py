"""The same LangGraph builder code, run by LangGraph and by flowc.langgraph, streams the same chunks.

Every file in ``dropin/`` is LangGraph code. It is executed twice: as it is,
and with its ``from langgraph.graph|config|types import ...`` lines changed to
``from flowc.langgraph import ...`` and nothing else. For every graph the file
compiles, every input and config it lists, every ``stream_mode`` argument of
the oracle (each mode alone, every pair as a list, one-element lists, tuples;
with a config, each mode and all of them at once), ``subgraphs`` off and on,
sync and async, both give the same items after the
oracle's normalisation (task ids, timestamps, exception objects), with dict
keys in the same order; ``invoke``/``ainvoke`` give the same result.
"""

from __future__ import annotations

import asyncio
import copy
import difflib
import re
import sys
import types
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from .oracle import MODE_ARGS, MODES, both_agreeing, collect, concurrent_runs_apart, normalize

pytestmark = pytest.mark.conformance

DROPIN = Path(__file__).parent / "dropin"
_LANGGRAPH_IMPORT = re.compile(r"^from langgraph\.(graph|config|types) import ", re.MULTILINE)
FLOWC_IMPORT = "from flowc.langgraph import "
_LANGGRAPH_SUBMODULE = re.compile(
    r"^from langgraph\.(runtime|errors|managed|cache\.memory|cache\.sqlite) import ", re.MULTILINE
)
"""LangGraph modules flowc.langgraph has under the same name."""


CONFIG_MODE_ARGS: list[Any] = [*MODES, list(MODES)]
"""The ``stream_mode`` arguments of runs with a config: each mode, and every mode at once."""


def swap_imports(text: str) -> str:
    """LangGraph builder code with its imports changed to flowc's, line for line."""
    text = _LANGGRAPH_SUBMODULE.sub(r"from flowc.langgraph.\1 import ", text)
    return _LANGGRAPH_IMPORT.sub(FLOWC_IMPORT, text)


@cache
def load(stem: str, impl: str) -> types.ModuleType:
    """``dropin/<stem>.py`` executed as a module, with LangGraph's or flowc's imports."""
    path = DROPIN / f"{stem}.py"
    text = path.read_text(encoding="utf-8")
    if impl == "flowc":
        text = swap_imports(text)
    name = f"dropin_{impl}_{stem}"
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    # dont_inherit: the file runs as written, not under this module's `from __future__` imports
    exec(compile(text, str(path), "exec", dont_inherit=True), module.__dict__)
    return module


def graph_files() -> list[str]:
    """Every drop-in graph file."""
    return sorted(p.stem for p in DROPIN.glob("*.py"))


def key_order(value: Any) -> Any:
    """The order of the keys of every dict inside ``value`` (equality ignores it)."""
    if isinstance(value, dict):
        return [(k, key_order(v)) for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [key_order(v) for v in value]
    return None


def _mode_id(mode: Any) -> str:
    if isinstance(mode, str):
        return mode
    inner = ",".join(mode)
    return f"[{inner}]" if isinstance(mode, list) else f"({inner})"


def inputs(module: types.ModuleType, name: str) -> list[Any]:
    """The inputs to run graph ``name`` of a drop-in file on.

    ``INPUTS`` is a list for every graph of the file, or a dict of lists by graph name.
    """
    given = module.INPUTS
    return list(given[name] if isinstance(given, dict) else given)


def context_of(module: types.ModuleType, name: str) -> Any:
    """The ``context=`` to run graph ``name`` with: ``CONTEXTS[name]``, if the file has it."""
    return getattr(module, "CONTEXTS", {}).get(name)


def cases(stem: str) -> list[tuple[str, int, Any]]:
    """(graph name, input index, config) of every run a drop-in file asks for."""
    module = load(stem, "langgraph")
    return [
        (name, index, config)
        for name in module.GRAPHS
        for index in range(len(inputs(module, name)))
        for config in getattr(module, "CONFIGS", [None])
    ]


def run_both(
    stem: str, name: str, index: int, config: Any, **kwargs: Any
) -> tuple[list[Any], list[Any]]:
    """Normalised chunks of the LangGraph and the flowc build of one graph, for one input.

    Each build runs on its own module's input: a dataclass or pydantic input is
    an instance of that module's state class.
    """
    actual, expected = both_agreeing(
        lambda: run_one(stem, "langgraph", name, index, config, **kwargs),
        lambda: run_one(stem, "flowc", name, index, config, **kwargs),
    )
    return expected, actual


def run_one(stem: str, impl: str, name: str, index: int, config: Any, **kwargs: Any) -> list[Any]:
    """Normalised chunks of one build (``"langgraph"`` or ``"flowc"``) of one graph."""
    module = load(stem, impl)
    input = copy.deepcopy(inputs(module, name)[index])
    items = collect(
        getattr(module, name),
        input,
        config=copy.deepcopy(config),
        context=context_of(module, name),
        **kwargs,
    )
    if getattr(module, "CONCURRENT_SUBGRAPH_RUNS", False):
        items = concurrent_runs_apart(items)
    return normalize(items)


def _compare(
    stem: str, name: str, index: int, config: Any, mode: Any, subgraphs: bool, use_async: bool
) -> None:
    expected, actual = run_both(
        stem, name, index, config, stream_mode=mode, subgraphs=subgraphs, use_async=use_async
    )
    input = inputs(load(stem, "langgraph"), name)[index]
    where = f"{stem}.{name} input={input!r} config={config!r} stream_mode={_mode_id(mode)}"
    assert actual == expected, f"{where}\n  flowc:     {actual}\n  langgraph: {expected}"
    assert key_order(actual) == key_order(expected), (
        f"{where}: key order differs\n{actual}\n{expected}"
    )


SLOW_STEMS = frozenset({"error_handler", "command", "send"})
"""The files whose runs wait longest (their parallel tasks finish in a set order, 78 runs a
case): marked slow, so that `make test` starts them first."""

CASES = [
    pytest.param(
        stem,
        subgraphs,
        use_async,
        id=f"{stem}-{'sub' if subgraphs else 'root'}-{'async' if use_async else 'sync'}",
        marks=[pytest.mark.slow] if stem in SLOW_STEMS else [],
    )
    for stem in graph_files()
    for subgraphs in (False, True)
    for use_async in (False, True)
]


@pytest.mark.parametrize(("stem", "subgraphs", "use_async"), CASES)
def test_same_chunks_in_every_mode(stem: str, subgraphs: bool, use_async: bool) -> None:
    for name, index, config in cases(stem):
        # every mode argument without a config; with one, what a config changes
        # (metadata, tags, limits) shows in each mode alone and in all at once
        for mode in MODE_ARGS if config is None else CONFIG_MODE_ARGS:
            _compare(stem, name, index, config, mode, subgraphs, use_async)


def invoke_outcomes(
    graph: Any, input: Any, config: Any, mode: str, context: Any = None
) -> tuple[Any, Any]:
    """What ``invoke`` and ``ainvoke`` return (normalised) or raise."""
    out = []
    options = {} if context is None else {"context": context}
    for use_async in (False, True):
        args = (copy.deepcopy(input), copy.deepcopy(config))
        try:
            if use_async:
                result = asyncio.run(graph.ainvoke(*args, stream_mode=mode, **options))
            else:
                result = graph.invoke(*args, stream_mode=mode, **options)
            out.append(("returned", normalize([result])[0]))
        except Exception as exc:
            out.append(("raised", type(exc).__name__, str(exc)))
    return out[0], out[1]


@pytest.mark.parametrize("stem", graph_files())
def test_same_invoke_results(stem: str) -> None:
    for name, index, config in cases(stem):
        for mode in ("values", "updates", "debug"):
            expected, actual = (
                invoke_outcomes(
                    getattr(module, name),
                    inputs(module, name)[index],
                    config,
                    mode,
                    context_of(module, name),
                )
                for module in (load(stem, "langgraph"), load(stem, "flowc"))
            )
            assert actual == expected, (
                f"{stem}.{name} input #{index} config={config!r} stream_mode={mode}"
            )


@pytest.mark.parametrize("stem", graph_files())
def test_only_the_imports_differ(stem: str) -> None:
    text = (DROPIN / f"{stem}.py").read_text(encoding="utf-8")
    swapped = swap_imports(text)
    changed = [
        line
        for line in difflib.ndiff(text.splitlines(), swapped.splitlines())
        if line.startswith(("- ", "+ "))
    ]
    assert changed, f"{stem}.py imports nothing from LangGraph"
    assert all(
        line.startswith(("- from langgraph.", "+ " + FLOWC_IMPORT, "+ from flowc.langgraph."))
        for line in changed
    ), changed
    flowc_module = load(stem, "flowc")
    assert "langgraph" not in {
        getattr(v, "__module__", "").split(".")[0]
        for v in vars(flowc_module).values()
        if isinstance(v, type)
    }
    for name in flowc_module.GRAPHS:
        assert type(getattr(flowc_module, name)).__module__.startswith("flowc.langgraph")


@pytest.mark.parametrize("stem", graph_files())
@pytest.mark.parametrize("xray", [False, True])
def test_same_mermaid_drawing(stem: str, xray: bool) -> None:
    # DRAWN: the graphs whose drawings match (docs/differences-from-langgraph.md names the others)
    module = load(stem, "langgraph")
    for name in getattr(module, "DRAWN", module.GRAPHS):
        expected, actual = (
            getattr(load(stem, impl), name).get_graph(xray=xray).draw_mermaid()
            for impl in ("langgraph", "flowc")
        )
        assert actual == expected, f"{stem}.{name}"


@pytest.mark.parametrize("stem", ["subgraph", "subgraph_in_node", "io_schemas"])
@pytest.mark.parametrize("version", ["v1", "v2"])
def test_invoke_with_subgraphs_returns_what_langgraph_returns(stem: str, version: str) -> None:
    # LangGraph's invoke passes `subgraphs` on to stream: the chunks of other modes carry the
    # subgraphs' too, the last state is the graph's own
    for name, index, config in cases(stem):
        for mode in ("values", "updates", ["updates", "values"]):
            outcomes = []
            for module in (load(stem, "langgraph"), load(stem, "flowc")):
                args = (copy.deepcopy(inputs(module, name)[index]), copy.deepcopy(config))
                graph = getattr(module, name)
                kwargs: dict[str, Any] = {"stream_mode": mode, "version": version}
                result = graph.invoke(*args, subgraphs=True, **kwargs)
                aresult = asyncio.run(graph.ainvoke(*args, subgraphs=True, **kwargs))
                outcomes.append(normalize([result, aresult]))
            assert outcomes[1] == outcomes[0], f"{stem}.{name} #{index} {mode} {version}"
