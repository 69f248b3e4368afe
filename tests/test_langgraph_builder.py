"""flowc.langgraph's builder: LangGraph's argument forms, callables of every kind, checks at compile().

What the same builder code streams under LangGraph and under flowc is compared
in ``tests/conformance/test_dropin.py``; these tests pin flowc's own behaviour:
exact outputs, where each problem is reported, and the compile-time errors for
what flowc does not support yet (see ``tests/test_langgraph_builder_unsupported.py``).
"""

from __future__ import annotations

import asyncio
import functools
import operator
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TypedDict

import pytest

import flowc.langgraph as fl
from flowc.dsl.diagnostics import DiagnosticError
from flowc.langgraph import (
    END,
    START,
    CompiledStateGraph,
    GraphCompileError,
    StateGraph,
    StreamWriter,
    UnsupportedFeatureError,
    get_stream_writer,
)


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


def line_of(marker: str, file: str = __file__) -> int:
    """The line of ``file`` (by default this one) that ends with ``# <marker>``."""
    with open(file, encoding="utf-8") as source:
        lines = source.read().splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if line.rstrip().endswith(f"# {marker}")]
    assert len(hits) == 1, marker
    return hits[0]


def bump(state: State) -> dict[str, Any]:
    return {"n": state["n"] + 1, "log": ["bump"]}


def chain(*nodes: tuple[str, Any]) -> CompiledStateGraph:
    builder = StateGraph(State)
    builder.add_sequence(list(nodes))
    builder.add_edge(START, nodes[0][0])
    return builder.compile()


# -- exports --------------------------------------------------------------------------


def test_exports_langgraph_names() -> None:
    assert (START, END) == ("__start__", "__end__")
    from flowc import runtime

    assert get_stream_writer is runtime.get_stream_writer
    assert StreamWriter is runtime.StreamWriter
    assert fl.get_config is runtime.get_config


def test_the_types_are_one_object_wherever_imported_and_unknown_names_fail() -> None:
    from flowc.langgraph import Command, RetryPolicy, Send
    from flowc.langgraph.types import Command as TypesCommand
    from flowc.langgraph.types import RetryPolicy as TypesRetryPolicy
    from flowc.langgraph.types import Send as TypesSend

    assert (Send, Command, RetryPolicy) == (TypesSend, TypesCommand, TypesRetryPolicy)
    with pytest.raises(ImportError, match="cannot import name 'Nonsense'"):
        from flowc.langgraph import Nonsense  # type: ignore[attr-defined]  # noqa: F401


# -- argument forms -------------------------------------------------------------------


def test_node_named_after_its_function_or_given_a_name() -> None:
    builder = StateGraph(State).add_node(bump).add_node("again", bump)
    builder.add_edge(START, "bump").add_edge("bump", "again").add_edge("again", END)
    graph = builder.compile()
    assert list(builder.nodes) == ["bump", "again"]
    assert builder.edges == {(START, "bump"), ("bump", "again"), ("again", END)}
    assert list(graph.stream({"n": 0})) == [
        {"bump": {"n": 1, "log": ["bump"]}},
        {"again": {"n": 2, "log": ["bump"]}},
    ]
    assert graph.invoke({"n": 0}) == {"n": 2, "log": ["bump", "bump"]}
    assert graph.name == "LangGraph"


def test_stream_mode_as_string_list_and_tuple() -> None:
    graph = chain(("a", bump))
    assert list(graph.stream({"n": 0}, stream_mode="values")) == [
        {"n": 0, "log": []},
        {"n": 1, "log": ["bump"]},
    ]
    assert list(graph.stream({"n": 0}, stream_mode=["updates"])) == [
        ("updates", {"a": {"n": 1, "log": ["bump"]}})
    ]
    assert list(graph.stream({"n": 0}, stream_mode=("updates", "values"))) == [
        {"n": 0, "log": []},
        {"a": {"n": 1, "log": ["bump"]}},
        {"n": 1, "log": ["bump"]},
    ]
    assert list(graph.stream({"n": 0}, subgraphs=True)) == [((), {"a": {"n": 1, "log": ["bump"]}})]


def test_config_positional_with_recursion_limit_tags_metadata_configurable() -> None:
    seen: list[Any] = []

    def node(state: State, config: Any) -> dict[str, Any]:
        seen.append((config["configurable"]["k"], config["tags"], config["metadata"]["user"]))
        return {"n": state["n"] + 1}

    def again(state: State) -> Literal["node", "__end__"]:
        return "node" if state["n"] < 5 else END

    graph = (
        StateGraph(State)
        .add_node(node)
        .add_edge(START, "node")
        .add_conditional_edges("node", again)
        .compile()
    )
    config = {
        "recursion_limit": 3,
        "tags": ["t"],
        "metadata": {"user": "u"},
        "configurable": {"k": 1},
    }
    events = []
    with pytest.raises(RecursionError) as info:
        for event in graph.stream({"n": 0}, config, stream_mode="debug"):
            events.append(event)
    assert type(info.value).__name__ == "GraphRecursionError"
    assert str(info.value).startswith(
        "Recursion limit of 3 reached without hitting a stop condition."
    )
    assert [(e["step"], e["type"], e["payload"]["name"]) for e in events] == [
        (1, "task", "node"),
        (1, "task_result", "node"),
        (2, "task", "node"),
        (2, "task_result", "node"),
        (3, "task", "node"),
        (3, "task_result", "node"),
    ]
    assert events[0]["payload"]["metadata"] == {"user": "u", "tags": ["t"]}
    assert seen == [(1, ["t"], "u")] * 3
    plain = chain(("a", bump))
    assert plain.invoke({"n": 0}, {"run_name": "ignored", "max_concurrency": 2}) == {
        "n": 1,
        "log": ["bump"],
    }


def test_unknown_config_key_fails_before_running() -> None:
    graph = chain(("a", bump))
    with pytest.raises(
        UnsupportedFeatureError, match="config key 'thread' is not supported by flowc"
    ):
        list(graph.stream({"n": 0}, {"thread": 1}))


def test_invoke_with_another_mode_returns_the_chunks() -> None:
    graph = chain(("a", bump), ("b", bump))
    assert graph.invoke({"n": 0}, stream_mode="updates") == [
        {"a": {"n": 1, "log": ["bump"]}},
        {"b": {"n": 2, "log": ["bump"]}},
    ]
    assert asyncio.run(graph.ainvoke({"n": 0})) == {"n": 2, "log": ["bump", "bump"]}
    quiet = chain(("a", lambda state: None))
    assert quiet.invoke({}) is None  # nothing was ever written, as in LangGraph


def test_join_edge_waits_for_every_source() -> None:
    def tag(name: str) -> Any:
        return lambda state: {"log": [name]}

    builder = StateGraph(State)
    builder.add_node("a", tag("a")).add_node("b", tag("b")).add_node("b2", tag("b2")).add_node(
        "c", tag("c")
    )
    builder.add_edge(START, "a").add_edge(START, "b").add_edge("b", "b2")
    builder.add_edge(["a", "b2"], "c")
    builder.add_edge(["c"], END)
    assert builder.waiting_edges == {(("a", "b2"), "c"), (("c",), END)}
    graph = builder.compile()
    assert graph.invoke({"n": 0})["log"] == ["a", "b", "b2", "c"]


def test_conditional_edges_path_map_forms() -> None:
    def visit(name: str) -> Any:
        return lambda state: {"log": [name]}

    def route_bool(state: State) -> bool:
        return state["n"] > 0

    def route_literal(state: State) -> Literal["x", "__end__"]:
        return "x"

    builder = StateGraph(State)
    for name in ("pos", "neg", "x"):
        builder.add_node(name, visit(name))
    builder.add_conditional_edges(START, route_bool, {True: "pos", False: "neg"})
    builder.add_conditional_edges("pos", route_literal)
    builder.add_conditional_edges("neg", lambda state: "x", ["x"])
    graph = builder.compile()
    assert graph.invoke({"n": 1})["log"] == ["pos", "x"]
    assert graph.invoke({"n": -1})["log"] == ["neg", "x"]


def test_router_without_annotation_may_lead_anywhere() -> None:
    def tag(name: str) -> Any:
        return lambda state: {"log": [name]}

    builder = StateGraph(State)
    builder.add_node("a", bump).add_node("b", tag("b")).add_node("c", tag("c"))
    builder.add_edge(START, "a")
    builder.add_conditional_edges("a", lambda state: ["c", "b"] if state["n"] == 1 else END)
    graph = builder.compile()
    names = [next(iter(chunk)) for chunk in graph.stream({"n": 0})]
    assert names[0] == "a" and sorted(names[1:]) == ["b", "c"]  # b and c in completion order
    assert graph.invoke({"n": 0}) == {"n": 1, "log": ["bump", "b", "c"]}
    assert graph.invoke({"n": 5}) == {"n": 6, "log": ["bump"]}


def test_subgraph_node_named_after_the_compiled_graph() -> None:
    class Inner(TypedDict):
        n: int
        note: str

    inner = (
        StateGraph(Inner)
        .add_node("deep", lambda state: {"n": state["n"] * 10, "note": "x"})
        .add_edge(START, "deep")
        .compile(name="inner graph")
    )
    # any string names a node, as in LangGraph: the subgraph's name with its space
    outer = StateGraph(State).add_node(inner).add_edge(START, "inner graph").compile()
    spaced = list(outer.stream({"n": 2}, subgraphs=True))
    assert [(ns[0].split(":")[0] if ns else None, chunk) for ns, chunk in spaced] == [
        ("inner graph", {"deep": {"n": 20, "note": "x"}}),
        (None, {"inner graph": {"n": 20}}),
    ]
    inner_ok = (
        StateGraph(Inner)
        .add_node("deep", lambda state: {"n": state["n"] * 10})
        .add_edge(START, "deep")
        .compile(name="inner")
    )
    graph = StateGraph(State).add_node(inner_ok).add_edge(START, "inner").compile(name="outer")
    chunks = list(graph.stream({"n": 2}, subgraphs=True))
    assert [(len(ns), chunk) for ns, chunk in chunks] == [
        (1, {"deep": {"n": 20}}),
        (0, {"inner": {"n": 20}}),
    ]
    assert chunks[0][0][0].startswith("inner:")


def test_two_subgraphs_with_the_same_name_get_distinct_modules() -> None:
    def child(factor: int) -> CompiledStateGraph:
        return (
            StateGraph(State)
            .add_node("mul", lambda s: {"n": s["n"] * factor})
            .add_edge(START, "mul")
            .compile()
        )

    graph = (
        StateGraph(State)
        .add_node("first", child(2))
        .add_node("second", child(3))
        .add_edge(START, "first")
        .add_edge("first", "second")
        .compile()
    )
    assert graph.invoke({"n": 1}) == {"n": 6, "log": []}


def test_input_schema_narrows_what_the_node_receives() -> None:
    class Wide(TypedDict):
        question: str
        secret: str
        answer: str

    class Narrow(TypedDict):
        question: str

    received: list[Any] = []

    async def respond(state: Any, writer: StreamWriter) -> dict[str, Any]:
        received.append(dict(state))
        writer("working")
        return {"answer": state["question"].upper()}

    graph = (
        StateGraph(Wide)
        .add_node("respond", respond, input_schema=Narrow)
        .add_edge(START, "respond")
        .compile()
    )
    chunks = asyncio.run(_collect(graph, {"question": "why", "secret": "s"}, ["custom", "updates"]))
    assert chunks == [("custom", "working"), ("updates", {"respond": {"answer": "WHY"}})]
    assert received == [{"question": "why"}]


async def _collect(graph: Any, input: Any, mode: Any) -> list[Any]:
    return [chunk async for chunk in graph.astream(input, stream_mode=mode)]


def test_compiling_the_same_builder_twice_reuses_the_module() -> None:
    builder = StateGraph(State).add_node(bump).add_edge(START, "bump")
    assert builder.compile().module is builder.compile().module
    assert builder.compile(name="other").module is not builder.compile().module


def test_validate_checks_without_compiling() -> None:
    StateGraph(State).add_node(bump).add_edge(START, "bump").validate()
    with pytest.raises(GraphCompileError, match="unknown node `bumpp`"):
        StateGraph(State).add_node(bump).add_edge(START, "bumpp").validate()


# -- callables of every kind ----------------------------------------------------------


class Scaler:
    def __init__(self, factor: int) -> None:
        self.factor = factor

    def scale(self, state: State) -> dict[str, Any]:
        return {"n": state["n"] * self.factor, "log": [f"x{self.factor}"]}

    def __call__(self, state: State) -> dict[str, Any]:
        return {"n": state["n"] + self.factor, "log": [f"+{self.factor}"]}

    def route(self, state: State) -> str:
        return "big" if state["n"] > 10 else "small"

    @staticmethod
    def halve(state: State) -> dict[str, Any]:
        return {"n": state["n"] // 2, "log": ["half"]}

    @classmethod
    def reset(cls, state: State) -> dict[str, Any]:
        return {"n": 0, "log": [cls.__name__]}


class AsyncRouter:
    async def __call__(self, state: State) -> str:
        await asyncio.sleep(0)
        return "done"


def test_closures_lambdas_bound_methods_and_callable_objects_as_nodes() -> None:
    offset = 7

    def closure(state: State) -> dict[str, Any]:
        return {"n": state["n"] + offset, "log": ["closure"]}

    scaler = Scaler(3)
    builder = StateGraph(State)
    builder.add_sequence(
        [
            ("closure", closure),
            ("lam", lambda state: {"n": state["n"] - 1, "log": ["lambda"]}),
            ("bound", scaler.scale),
            ("obj", scaler),
            ("partial", functools.partial(_tagged, tag="partial")),
            ("static", Scaler.halve),
            ("cls", Scaler.reset),
        ]
    )
    builder.set_entry_point("closure").set_finish_point("cls")
    graph = builder.compile()
    assert [next(iter(chunk.values())) for chunk in graph.stream({"n": 1})] == [
        {"n": 8, "log": ["closure"]},
        {"n": 7, "log": ["lambda"]},
        {"n": 21, "log": ["x3"]},
        {"n": 24, "log": ["+3"]},
        {"log": ["partial"]},
        {"n": 12, "log": ["half"]},
        {"n": 0, "log": ["Scaler"]},
    ]


def _tagged(state: State, *, tag: str) -> dict[str, Any]:
    return {"log": [tag]}


def test_closures_lambdas_bound_methods_and_callable_objects_as_routers() -> None:
    limit = 2
    scaler = Scaler(10)

    def closure_router(state: State) -> str:
        return "bound_router_source" if len(state["log"]) < limit else "obj_router_source"

    builder = StateGraph(State)
    for name in ("start", "bound_router_source", "obj_router_source", "big", "small", "done"):
        builder.add_node(name, functools.partial(_tagged, tag=name))
    builder.add_edge(START, "start")
    builder.add_conditional_edges(
        "start", closure_router, ["bound_router_source", "obj_router_source"]
    )
    builder.add_conditional_edges(
        "bound_router_source", scaler.route, {"big": "big", "small": "small"}
    )
    builder.add_conditional_edges(
        "small", lambda state: "start" if len(state["log"]) < 4 else "obj_router_source"
    )
    builder.add_conditional_edges("obj_router_source", AsyncRouter(), {"done": "done"})
    graph = builder.compile()
    # LangGraph names a router after its __name__, which a callable object lacks
    with pytest.raises(TypeError, match='No synchronous function provided to "None"'):
        graph.invoke({"n": 1})
    result = asyncio.run(graph.ainvoke({"n": 1}))
    assert result["log"] == [
        "start",
        "bound_router_source",
        "small",
        "start",
        "obj_router_source",
        "done",
    ]


def test_async_nodes_and_async_callable_objects() -> None:
    class AsyncNode:
        async def __call__(self, state: State) -> dict[str, Any]:
            await asyncio.sleep(0)
            get_stream_writer()({"at": state["n"]})
            return {"n": state["n"] + 1}

    async def afunc(state: State) -> dict[str, Any]:
        return {"log": ["afunc"]}

    graph = (
        StateGraph(State)
        .add_sequence([("obj", AsyncNode()), ("fn", afunc)])
        .add_edge(START, "obj")
        .compile()
    )
    chunks = asyncio.run(_collect(graph, {"n": 1}, ["custom", "values"]))
    assert chunks == [
        ("values", {"n": 1, "log": []}),
        ("custom", {"at": 1}),
        ("values", {"n": 2, "log": []}),
        ("values", {"n": 2, "log": ["afunc"]}),
    ]


merge_sorted = lambda a, b: sorted(a + b)  # noqa: E731


def test_local_state_classes_and_lambda_reducers() -> None:
    @dataclass
    class Local:
        items: Annotated[list[int], merge_sorted]
        label: str = "none"

    graph = (
        StateGraph(Local)
        .add_node("add", lambda state: {"items": [3, 1], "label": f"{len(state.items)} items"})
        .add_edge(START, "add")
        .compile()
    )
    assert graph.invoke({"items": [2]}) == {"items": [1, 2, 3], "label": "1 items"}
    assert graph.invoke(Local(items=[5])) == {"items": [1, 3, 5], "label": "1 items"}


# -- one error listing every problem, each at its line ---------------------------------


def test_compile_lists_every_problem_at_the_users_line() -> None:
    builder = StateGraph(State)  # mark: state
    builder.add_node(bump)
    builder.add_node("twice", bump)
    builder.add_edge(START, "bump")
    builder.add_edge("bump", "twice")
    builder.add_edge("twice", "twice")  # a loop without a way out: LangGraph accepts it
    builder.add_edge("bump", "bmup")  # mark: unknown
    builder.add_node("no_state", lambda: {})  # no state: LangGraph compiles it too
    with pytest.raises(GraphCompileError) as info:
        builder.compile(store=object())  # mark: compile
    diags = info.value.diagnostics
    here = __file__
    assert sorted(
        (d.code, d.span.file if d.span else None, d.span.line if d.span else None) for d in diags
    ) == sorted(
        [
            ("E104", here, line_of("mark: unknown")),
            ("E601", here, line_of("mark: compile")),
        ]
    )
    assert isinstance(info.value, ValueError) and isinstance(info.value, DiagnosticError)
    text = str(info.value)
    unknown = line_of("mark: unknown")
    assert (
        f"{here}:{unknown}:5: error[E104]: Found edge ending at unknown node `bmup`\n"
        f"{' ' * len(str(unknown))} |\n"
        f'{unknown} |     builder.add_edge("bump", "bmup")  # mark: unknown\n'
    ) in text
    assert "error[E601]: `store=` takes a store; a object has no `batch`" in text
    assert text.endswith("found 2 errors")


def test_chained_builder_calls_are_each_located() -> None:
    with pytest.raises(GraphCompileError) as info:
        (
            StateGraph(State)
            .add_node(bump)
            .add_edge(START, "bump")
            .add_conditional_edges("bump", lambda s: "nowhere", ["nowhere"])  # mark: router
            .compile()
        )
    (diag,) = info.value.diagnostics
    assert (diag.code, diag.message) == (
        "E104",
        "At 'bump' node, 'condition' branch found unknown target 'nowhere'",
    )
    assert diag.span is not None and diag.span.line == line_of("mark: router")
    # the caret is under this call of the chain: from the method's name to its parenthesis
    text = Path(__file__).read_text(encoding="utf-8").splitlines()[diag.span.line - 1]
    start = text.index("add_conditional_edges")
    assert (diag.span.col, diag.span.end_col) == (start + 1, text.index("  # mark") + 1)


def test_a_lambda_node_is_named_lambda_as_in_langgraph() -> None:
    graph = StateGraph(State).add_node(lambda s: {"n": s["n"] + 1}).add_edge(START, "<lambda>")
    assert list(graph.compile().stream({"n": 1})) == [{"<lambda>": {"n": 2}}]


def test_node_that_is_not_callable() -> None:
    with pytest.raises(GraphCompileError, match=r"node `x`: a int is not callable"):
        StateGraph(State).add_node("x", 3).add_edge(START, "x").compile()  # type: ignore[arg-type]


def test_non_json_node_metadata() -> None:
    with pytest.raises(
        GraphCompileError, match="the metadata of node `bump` must hold only JSON values"
    ):
        StateGraph(State).add_node(bump, metadata={"when": object()}).add_edge(
            START, "bump"
        ).compile()


# -- drawing --------------------------------------------------------------------------


def test_draw_mermaid() -> None:
    def route(state: State) -> Literal["b", "__end__"]:
        return "b"

    builder = StateGraph(State).add_node("a", bump, metadata={"kind": "first"}).add_node("b", bump)
    graph = builder.add_edge(START, "a").add_conditional_edges("a", route).compile()
    assert graph.get_graph().draw_mermaid() == (
        "---\nconfig:\n  flowchart:\n    curve: linear\n---\ngraph TD;\n"
        "\t__start__([<p>__start__</p>]):::first\n"
        "\ta(a<hr/><small><em>kind = first</em></small>)\n"
        "\tb(b)\n"
        "\t__end__([<p>__end__</p>]):::last\n"
        "\t__start__ --> a;\n"
        "\ta -.-> __end__;\n"
        "\ta -.-> b;\n"
        "\tb --> __end__;\n"
        "\tclassDef default fill:#f2f0ff,line-height:1.2\n"
        "\tclassDef first fill-opacity:0\n"
        "\tclassDef last fill:#bfb6fc\n"
    )


NOTEBOOK_CELL = """
from typing import Annotated, TypedDict

from flowc.langgraph import START, StateGraph


def merge(left, right):
    return left + right


class State(TypedDict):
    log: Annotated[list[str], merge]


def node(state):
    return {"log": ["first"]}


graph = StateGraph(State).add_node(node).add_edge(START, "node").compile()
"""


def test_functions_and_classes_defined_again_give_a_fresh_runner() -> None:
    # a notebook cell run again defines new objects under the same names
    notebook = types.ModuleType("dropin_notebook")
    sys.modules[notebook.__name__] = notebook
    try:
        exec(NOTEBOOK_CELL, notebook.__dict__)
        first = notebook.graph
        assert first.invoke({"log": ["x"]}) == {"log": ["x", "first"]}
        exec(NOTEBOOK_CELL.replace('["first"]', '["second"]'), notebook.__dict__)
        assert notebook.graph.invoke({"log": ["x"]}) == {"log": ["x", "second"]}
        exec(NOTEBOOK_CELL.replace("left + right", "right + left"), notebook.__dict__)
        assert notebook.graph.invoke({"log": ["x"]}) == {"log": ["first", "x"]}
        assert first.invoke({"log": ["x"]}) == {"log": ["x", "first"]}
    finally:
        del sys.modules[notebook.__name__]


# -- graph schemas and LangGraph's deprecated arguments -----------------------------------


class Question(TypedDict):
    n: int


class Tally(TypedDict):
    log: list[str]


def test_input_and_output_schemas_pick_the_keys_read_and_returned() -> None:
    builder = StateGraph(State, input_schema=Question, output_schema=Tally)
    assert (builder.input_schema, builder.output_schema, builder.context_schema) == (
        Question,
        Tally,
        None,
    )
    graph = builder.add_node("bump", bump).add_edge(START, "bump").compile()
    # `log` is no key of the input schema: the input's `log` is ignored
    assert graph.invoke({"n": 1, "log": ["given"]}) == {"log": ["bump"]}
    assert graph.invoke({"n": 1}, stream_mode="updates") == [{"bump": {"log": ["bump"]}}]
    assert list(graph.stream({"n": 1, "log": ["given"]}, stream_mode="values")) == [
        {"n": 1, "log": []},
        {"n": 2, "log": ["bump"]},
    ]
    assert graph.get_input_jsonschema()["title"] == "Question"
    assert graph.get_output_jsonschema()["title"] == "Tally"


def test_the_schemas_default_to_the_state() -> None:
    builder = StateGraph(State)
    assert (builder.input_schema, builder.output_schema) == (State, State)


def test_deprecated_schema_arguments_warn_with_langgraphs_category_and_still_apply() -> None:
    from langgraph.graph import StateGraph as LangGraphStateGraph
    from langgraph.warnings import LangGraphDeprecatedSinceV05, LangGraphDeprecatedSinceV10

    with pytest.warns(LangGraphDeprecatedSinceV05) as theirs:
        LangGraphStateGraph(State, input=Question, output=Tally)
    with pytest.warns(LangGraphDeprecatedSinceV05) as caught:
        builder = StateGraph(State, input=Question, output=Tally)
    assert [str(w.message) for w in caught] == [str(w.message) for w in theirs]
    assert str(caught[0].message).startswith(
        "`input` is deprecated and will be removed. Please use `input_schema` instead."
    )
    assert {w.filename for w in caught} == {__file__}
    assert (builder.input_schema, builder.output_schema) == (Question, Tally)
    with pytest.warns(LangGraphDeprecatedSinceV05, match="Please use `input_schema`") as caught:
        builder.add_node("bump", bump, input=State)
    assert caught[0].filename == __file__
    assert builder.nodes["bump"].input_schema is State
    with pytest.warns(LangGraphDeprecatedSinceV10, match="Please use `context_schema`"):
        StateGraph(State, config_schema=Question)


def test_without_langgraph_loaded_a_deprecation_is_a_plain_deprecation_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, "langgraph.warnings", raising=False)
    with pytest.warns(DeprecationWarning) as caught:
        StateGraph(State, input=Question)
    assert type(caught[0].message) is DeprecationWarning


# -- LangGraph's module paths --------------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("graph", ["END", "START", "StateGraph", "MessagesState", "add_messages"]),
        ("graph.state", ["StateGraph", "CompiledStateGraph"]),
        ("graph.message", ["MessagesState", "add_messages"]),
        ("constants", ["END", "START"]),
        ("config", ["get_stream_writer", "get_config"]),
        ("types", ["Command", "Send"]),
    ],
)
def test_langgraphs_module_paths_give_the_drop_ins_objects(module: str, names: list[str]) -> None:
    # `from langgraph.X import n` becomes `from flowc.langgraph.X import n`, nothing else
    import importlib

    mirror = importlib.import_module(f"flowc.langgraph.{module}")
    assert [getattr(mirror, n) is getattr(fl, n) for n in names] == [True] * len(names)


def test_langgraphs_error_module_has_the_errors_flowc_runs_raise() -> None:
    import langgraph.graph.message as lg_message

    from flowc.langgraph.errors import GraphRecursionError, InvalidUpdateError
    from flowc.langgraph.graph.message import REMOVE_ALL_MESSAGES
    from flowc.runtime import errors

    assert (GraphRecursionError, InvalidUpdateError) == (
        errors.GraphRecursionError,
        errors.InvalidUpdateError,
    )
    assert REMOVE_ALL_MESSAGES == lg_message.REMOVE_ALL_MESSAGES
    graph = StateGraph(State).add_node("again", bump).add_edge(START, "again")
    graph = graph.add_conditional_edges("again", lambda state: "again", ["again", END]).compile()
    with pytest.raises(GraphRecursionError, match="Recursion limit of 3 reached"):
        graph.invoke({"n": 0}, {"recursion_limit": 3})


def test_what_langgraph_graph_has_and_flowc_not_refuses_to_import_naming_it() -> None:
    with pytest.raises(ImportError, match=r"flowc.langgraph.graph has no MessageGraph: "):
        from flowc.langgraph.graph import MessageGraph  # noqa: F401


# -- root states ----------------------------------------------------------------------------


def test_a_root_state_is_one_value_that_nodes_replace_or_reduce() -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    replaced = (
        StateGraph(dict)
        .add_node("a", lambda state: {"seen": sorted(state)})
        .add_edge(START, "a")
        .compile()
    )
    assert replaced.invoke({"x": 0}) == {"seen": ["x"]}
    reduced = (
        StateGraph(Annotated[list, operator.add])
        .add_node("a", lambda items: [len(items)])
        .add_node("quiet", lambda items: None)
        .add_edge(START, "a")
        .add_edge("a", "quiet")
        .compile(checkpointer=InMemorySaver())
    )
    config: Any = {"configurable": {"thread_id": "t"}}
    assert list(reduced.stream(["in"], config, stream_mode=["values", "updates"])) == [
        ("values", ["in"]),
        ("updates", {"a": [1]}),
        ("values", ["in", 1]),
        ("updates", {"quiet": None}),
    ]
    assert reduced.get_state(config).values == ["in", 1]
    tasks = list(
        reduced.stream(["again"], {"configurable": {"thread_id": "u"}}, stream_mode="tasks")
    )
    # LangGraph names the one channel `__root__` in a task's writes
    assert [t.get("result") for t in tasks] == [None, {"__root__": [1]}, None, {}]
    assert reduced.get_input_jsonschema() == {
        "default": None,
        "items": {},
        "title": "LangGraphInput",
        "type": "array",
    }


def test_debug_prints_every_update_and_values_chunk_in_bold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def shout(state: State) -> dict[str, Any]:
        return {"log": ["shout"]}

    builder = StateGraph(State).add_node("a", bump).add_node("b", shout)
    graph = builder.add_edge(START, "a").add_edge("a", "b").compile(debug=True)
    assert graph.invoke({"n": 1}) == {"n": 2, "log": ["bump", "shout"]}
    assert capsys.readouterr().out.splitlines() == [
        "\033[1m[values]\033[0m {'n': 1, 'log': []}",
        "\033[1m[updates]\033[0m {'a': {'n': 2, 'log': ['bump']}}",
        "\033[1m[values]\033[0m {'n': 2, 'log': ['bump']}",
        "\033[1m[updates]\033[0m {'b': {'log': ['shout']}}",
        "\033[1m[values]\033[0m {'n': 2, 'log': ['bump', 'shout']}",
    ]


def test_print_mode_prints_a_mode_the_run_does_not_yield(
    capsys: pytest.CaptureFixture[str],
) -> None:
    graph = StateGraph(State).add_node("a", bump).add_edge(START, "a").compile()
    chunks = list(graph.stream({"n": 1}, stream_mode="values", print_mode="updates"))
    assert chunks == [{"n": 1, "log": []}, {"n": 2, "log": ["bump"]}]
    assert capsys.readouterr().out == "\033[1m[updates]\033[0m {'a': {'n': 2, 'log': ['bump']}}\n"


def test_a_node_that_takes_no_state_compiles_and_fails_only_when_it_runs() -> None:
    def takes_nothing() -> dict[str, Any]:
        return {"n": 0}

    builder = StateGraph(State).add_node(bump).add_node(takes_nothing).add_edge(START, "bump")
    assert builder.compile().invoke({"n": 1}) == {"n": 2, "log": ["bump"]}
    builder.add_edge("bump", "takes_nothing")
    with pytest.raises(TypeError, match=r"takes_nothing\(\) takes 0 positional arguments"):
        builder.compile().invoke({"n": 1})


def test_builder_nodes_read_as_langgraphs_node_specs() -> None:
    from langgraph.graph import StateGraph as LangGraphStateGraph

    class Counter:
        __name__ = "counter"

        def __call__(self, state: State) -> dict[str, Any]:
            return {}

    async def later(state: State) -> dict[str, Any]:
        return {}

    from flowc.langgraph import RetryPolicy

    counter = Counter()
    policy = RetryPolicy(max_attempts=2)
    seen = []
    for make in (LangGraphStateGraph, StateGraph):
        builder = make(State)
        builder.add_node("counter", counter, retry_policy=policy, defer=True)
        builder.add_node("later", later, destinations=("counter",))
        sub = make(State).add_node("bump", bump).add_edge(START, "bump").compile()
        builder.add_node("sub", sub)
        nodes = builder.nodes
        seen.append(
            (
                nodes["counter"].runnable.func is counter,
                nodes["later"].runnable.func,
                nodes["later"].runnable.afunc is later,
                nodes["later"].runnable.name,
                nodes["counter"].retry_policy is policy,
                nodes["counter"].defer,
                nodes["later"].defer,
                nodes["counter"].cache_policy,
                nodes["later"].ends,
                nodes["sub"].runnable is sub,
            )
        )
    assert seen[1] == seen[0]
    assert seen[1] == (True, None, True, "later", True, True, False, None, ("counter",), True)
