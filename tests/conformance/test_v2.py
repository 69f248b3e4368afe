"""``version="v2"``: the same stream parts and ``GraphOutput`` as LangGraph 1.2.22.

Through the drop-in (every file of ``dropin/``, with only its imports changed)
and through generated modules (``stream_chunks(version="v2")`` on the
example specs against LangGraph's twin), for each mode alone, the pairs that
matter, every mode at once, a tuple, ``subgraphs`` off and on, sync and async.
The one deliberate difference (a subgraph's ``values`` parts of a dataclass
or pydantic parent) is pinned at the end.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import warnings
from typing import Any

import pytest

from ..conftest import SPECS
from .oracle import (
    MODES,
    assert_conforms,
    both_agreeing,
    build_pair,
    collect,
    normalize,
)
from .test_dropin import cases, graph_files, inputs, key_order, load, run_one

pytestmark = pytest.mark.conformance

V2_MODE_ARGS: list[Any] = [
    *MODES,
    ["values", "updates"],
    ["updates", "custom"],
    ["updates", "messages"],
    ["tasks", "debug"],
    ["values", "tasks"],
    list(MODES),
    ("updates", "values"),
    None,
]
"""Each mode alone, the pairs that matter, every mode at once, a tuple, the default."""


def _run_both(
    stem: str, name: str, index: int, config: Any, **kwargs: Any
) -> tuple[list[Any], list[Any]]:
    actual, expected = both_agreeing(
        functools.partial(run_one, stem, "langgraph", name, index, config, version="v2", **kwargs),
        functools.partial(run_one, stem, "flowc", name, index, config, version="v2", **kwargs),
    )
    return expected, actual


CASES = [
    pytest.param(
        stem,
        subgraphs,
        use_async,
        id=f"{stem}-{'sub' if subgraphs else 'root'}-{'async' if use_async else 'sync'}",
    )
    for stem in graph_files()
    for subgraphs in (False, True)
    for use_async in (False, True)
]


@pytest.mark.parametrize(("stem", "subgraphs", "use_async"), CASES)
def test_dropin_streams_langgraphs_v2_parts(stem: str, subgraphs: bool, use_async: bool) -> None:
    for name, index, config in cases(stem):
        for mode in V2_MODE_ARGS:
            expected, actual = _run_both(
                stem,
                name,
                index,
                config,
                stream_mode=mode,
                subgraphs=subgraphs,
                use_async=use_async,
            )
            where = f"{stem}.{name} #{index} config={config!r} stream_mode={mode!r}"
            assert actual == expected, f"{where}\n  flowc:     {actual}\n  langgraph: {expected}"
            assert key_order(actual) == key_order(expected), where


def _invoke(graph: Any, input: Any, config: Any, mode: str, use_async: bool) -> Any:
    args = (copy.deepcopy(input), copy.deepcopy(config))
    try:
        if use_async:
            result = asyncio.run(graph.ainvoke(*args, stream_mode=mode, version="v2"))
        else:
            result = graph.invoke(*args, stream_mode=mode, version="v2")
    except Exception as exc:
        return ("raised", type(exc).__name__, str(exc))
    if type(result).__name__ == "GraphOutput":
        # LangGraph's class and flowc's: compared by what they hold
        # (an interrupt's id is the run's: a run without a checkpointer has a fresh thread)
        value, interrupts = normalize([result.value, list(result.interrupts)])
        return ("GraphOutput", value, interrupts)
    return ("returned", normalize([result])[0])


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("stem", graph_files())
def test_dropin_v2_invoke_returns_what_langgraph_returns(stem: str, use_async: bool) -> None:
    for name, index, config in cases(stem):
        for mode in ("values", "updates", "tasks", "debug"):
            expected, actual = (
                _invoke(getattr(module, name), inputs(module, name)[index], config, mode, use_async)
                for module in (load(stem, "langgraph"), load(stem, "flowc"))
            )
            assert actual == expected, f"{stem}.{name} #{index} stream_mode={mode}"


def test_v2_invoke_gives_a_graph_output_of_the_state_class() -> None:
    module = load("pydantic_state", "flowc")
    from flowc.langgraph import GraphOutput

    result = module.graph.invoke(copy.deepcopy(module.INPUTS[0]), version="v2")
    assert type(result) is GraphOutput
    assert result.interrupts == ()
    assert type(result.value) is module.State
    assert result == GraphOutput(result.value)
    # LangGraph's deprecated key access, with LangGraph's warning text
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert result["__interrupt__"] == ()
        assert ("__interrupt__" in result) is False
    assert [str(w.message) for w in caught] == [
        "Accessing GraphOutput via `result[key]` is deprecated. Use `result.value` to access "
        "the output value directly, or `result.interrupts` for interrupts.",
        "Accessing GraphOutput via `key in result` is deprecated. Use `result.value` to access "
        "the output value directly, or `result.interrupts` for interrupts.",
    ]


# -- generated modules ------------------------------------------------------------------

MODULE_SPECS = [
    "joke",
    "parallel_join",
    "custom_writer",
    "async_writer",
    "loop",
    "state_typeddict",
    "state_pydantic",
    "state_dataclass",
    "subgraph",
    "subgraph_custom",
    "nested",
]


def _example_input(stem: str) -> Any:
    from .test_core import example_input

    return example_input(SPECS / f"{stem}.toml")


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("subgraphs", [False, True], ids=["root", "sub"])
@pytest.mark.parametrize("stem", MODULE_SPECS)
def test_stream_chunks_v2_gives_langgraphs_parts(
    stem: str, subgraphs: bool, use_async: bool
) -> None:
    failures = []
    for mode in V2_MODE_ARGS:
        try:
            assert_conforms(
                SPECS / f"{stem}.toml",
                _example_input(stem),
                stream_mode=mode,
                subgraphs=subgraphs,
                use_async=use_async,
                version="v2",
            )
        except AssertionError as exc:
            failures.append(f"stream_mode={mode!r}:\n{exc}")
    assert not failures, "\n\n".join(failures)


def test_stream_chunks_v2_parts_have_exactly_langgraphs_shape() -> None:
    module, _ = build_pair(SPECS / "joke.toml")
    parts = normalize(
        list(
            module.stream_chunks(
                {"topic": "ice cream"}, stream_mode=["values", "updates", "tasks"], version="v2"
            )
        )
    )
    assert parts[:4] == [
        {"type": "values", "ns": (), "data": {"topic": "ice cream"}, "interrupts": ()},
        {
            "type": "tasks",
            "ns": (),
            "data": {
                "id": "<id0>",
                "name": "refine_topic",
                "input": {"topic": "ice cream"},
                "triggers": ("branch:to:refine_topic",),
            },
        },
        {"type": "updates", "ns": (), "data": {"refine_topic": {"topic": "ice cream and cats"}}},
        {
            "type": "tasks",
            "ns": (),
            "data": {
                "id": "<id0>",
                "name": "refine_topic",
                "error": None,
                "result": {"topic": "ice cream and cats"},
                "interrupts": [],
            },
        },
    ]


def test_stream_chunks_v2_values_of_a_pydantic_state_are_instances() -> None:
    module, _ = build_pair(SPECS / "state_pydantic.toml")
    parts = list(module.stream_chunks({"topic": "t"}, stream_mode="values", version="v2"))
    state = module.StatePydanticState
    assert parts == [
        {"type": "values", "ns": (), "data": state(topic="t", count=0, log=[]), "interrupts": ()},
        {
            "type": "values",
            "ns": (),
            "data": state(topic="t", count=1, log=["tally 0"]),
            "interrupts": (),
        },
        {
            "type": "values",
            "ns": (),
            "data": state(topic="T", count=1, log=["tally 0", "finish after 1"]),
            "interrupts": (),
        },
    ]


def test_stream_chunks_v1_is_the_default_and_unchanged() -> None:
    module, _ = build_pair(SPECS / "joke.toml")
    given = list(module.stream_chunks({"topic": "t"}, stream_mode=["updates"], version="v1"))
    assert given == list(module.stream_chunks({"topic": "t"}, stream_mode=["updates"]))
    assert given == [
        ("updates", {"refine_topic": {"topic": "t and cats"}}),
        ("updates", {"generate_joke": {"joke": "This is a joke about t and cats"}}),
    ]


# -- the deliberate difference ----------------------------------------------------------


_PYDANTIC_PARENT = """
import operator
from typing import Annotated

import pydantic
from langgraph.graph import START, StateGraph


class Child(pydantic.BaseModel):
    inner: str = ""
    topic: str = ""


class Parent(pydantic.BaseModel):
    topic: str
    log: Annotated[list[str], operator.add] = []


def c1(state: Child):
    return {"inner": "x" + state.topic}


child_builder = StateGraph(Child)
child_builder.add_node("c1", c1)
child_builder.add_edge(START, "c1")
child = child_builder.compile()


def a(state: Parent):
    return {"log": ["a"]}


builder = StateGraph(Parent)
builder.add_node("a", a)
builder.add_node("child", child)
builder.add_edge(START, "a")
builder.add_edge("a", "child")
graph = builder.compile()
"""


def _pydantic_parent(impl: str) -> Any:
    import sys
    import types

    from .test_dropin import swap_imports

    text = _PYDANTIC_PARENT if impl == "langgraph" else swap_imports(_PYDANTIC_PARENT)
    module = types.ModuleType(f"v2_pydantic_parent_{impl}")
    # LangGraph reads the state's annotations through the module
    sys.modules[module.__name__] = module
    exec(compile(text, f"<{module.__name__}>", "exec"), module.__dict__)
    return module


def test_subgraph_values_parts_stay_dicts_where_langgraph_casts_them_to_the_parents_class() -> None:
    """LangGraph maps every values part with the root's class: the child's own key is lost."""
    lg, fc = _pydantic_parent("langgraph"), _pydantic_parent("flowc")
    kwargs: dict[str, Any] = {"stream_mode": "values", "subgraphs": True, "version": "v2"}
    expected = normalize(list(lg.graph.stream({"topic": "t"}, **kwargs)))
    actual = normalize(list(fc.graph.stream({"topic": "t"}, **kwargs)))
    child_ns = ("child:<id0>",)
    assert expected == [
        {
            "type": "values",
            "ns": (),
            "data": ("Parent", {"topic": "t", "log": []}),
            "interrupts": (),
        },
        {
            "type": "values",
            "ns": (),
            "data": ("Parent", {"topic": "t", "log": ["a"]}),
            "interrupts": (),
        },
        {
            "type": "values",
            "ns": child_ns,
            "data": ("Parent", {"topic": "t", "log": []}),
            "interrupts": (),
        },
        {
            "type": "values",
            "ns": child_ns,
            "data": ("Parent", {"topic": "t", "log": []}),
            "interrupts": (),
        },
        {
            "type": "values",
            "ns": (),
            "data": ("Parent", {"topic": "t", "log": ["a"]}),
            "interrupts": (),
        },
    ]
    assert actual == [
        *expected[:2],
        {"type": "values", "ns": child_ns, "data": {"topic": "t"}, "interrupts": ()},
        {"type": "values", "ns": child_ns, "data": {"inner": "xt", "topic": "t"}, "interrupts": ()},
        expected[4],
    ]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_stream_chunks_refuses_an_unknown_version_at_the_call(use_async: bool) -> None:
    module, _ = build_pair(SPECS / "joke.toml")
    call = module.astream_chunks if use_async else module.stream_chunks
    with pytest.raises(ValueError, match=r"^version='v3': expected \"v1\" or \"v2\"$"):
        call({"topic": "t"}, version="v3")


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("form", ["pydantic", "dataclass"])
def test_v2_checkpoint_and_debug_parts_carry_the_state_class_as_langgraphs(
    form: str, use_async: bool
) -> None:
    import dataclasses

    import pydantic
    from langgraph.checkpoint.memory import InMemorySaver as LangGraphSaver
    from langgraph.graph import START, StateGraph

    from flowc.langgraph.graph import StateGraph as FlowcStateGraph
    from flowc.savers.memory import InMemorySaver

    if form == "pydantic":

        class State(pydantic.BaseModel):
            value: str
            items: list[str] = []

        state_class: Any = State
    else:

        @dataclasses.dataclass
        class DState:
            value: str
            items: list[str] = dataclasses.field(default_factory=list)

        state_class = DState

    def grow(state: Any) -> dict[str, Any]:
        return {"value": state.value + "+", "items": [*state.items, "grown"]}

    outcomes = []
    for builder_class, saver in ((StateGraph, LangGraphSaver), (FlowcStateGraph, InMemorySaver)):
        graph = (
            builder_class(state_class)
            .add_node("grow", grow)
            .add_edge(START, "grow")
            .compile(checkpointer=saver())
        )
        runs = []
        for index, mode in enumerate(["checkpoints", "debug", ["checkpoints", "values"]]):
            config = {"configurable": {"thread_id": f"t{index}"}}
            runs.append(
                collect(
                    graph,
                    {"value": "x", "items": []},
                    config=config,
                    stream_mode=mode,
                    version="v2",
                    use_async=use_async,
                )
            )
        outcomes.append(normalize(runs))
    assert outcomes[1] == outcomes[0]
    # the input's checkpoint keeps its dict; the later ones hold instances of the class
    checkpoints = [part["data"]["values"] for part in outcomes[1][0]]
    name = state_class.__name__
    assert checkpoints[1:] == [
        (name, {"value": "x", "items": []}),
        (name, {"value": "x+", "items": ["grown"]}),
    ]
