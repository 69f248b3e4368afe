"""The view model and the render → validate pipeline: names, imports, overloads, errors."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import jinja2
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowc import build
from flowc.codegen import GeneratedFile, TemplateError, generate, render_graph, validate
from flowc.codegen._scope import _rename
from flowc.codegen.render import _env
from flowc.codegen.view import build_view
from flowc.dsl.graph import CheckedGraph
from flowc.dsl.load import check_target

from .conftest import SPECS


def checked(tmp_path: Path, text: str) -> CheckedGraph:
    spec = tmp_path / "spec.toml"
    spec.write_text(text)
    result = check_target(str(spec))
    assert result.graph is not None, result.diagnostics
    return result.graph


SAME_NAME = """\
[graph]
name = "tally"
custom_type = "tests.codegen_support.Custom"

[state.fields]
n = "int"
kind = "tests.codegen_support.Literal | None"

[nodes.tally]
call = "tests.codegen_support:step"
writes = ["n"]

[[edges]]
chain = ["START", "tally", "END"]
"""


def definitions(text: str) -> dict[str, str]:
    """Module-level names of a module, each with what binds it."""
    out: dict[str, str] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef | ast.FunctionDef):
            out[node.name] = type(node).__name__
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = ast.unparse(node.value) if node.value else ""
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                out[alias.asname or alias.name] = f"from {node.module} import {alias.name}"
    return out


def test_a_node_named_like_its_graph_gets_distinct_names(tmp_path: Path) -> None:
    graph = checked(tmp_path, SAME_NAME)
    view = build_view(graph)
    node = view.nodes[0]
    assert (view.update_type, node.update_type, node.updated_class, node.protocol) == (
        "TallyUpdate",
        "TallyNodeUpdate",
        "TallyUpdated",
        "TallyNode",
    )
    module = build(tmp_path / "spec.toml")
    assert [(type(e).__name__, e.data) for e in module.stream({"n": 1})] == [
        ("TallyUpdated", {"n": 2})
    ]


def test_user_types_are_aliased_around_generated_and_imported_names(tmp_path: Path) -> None:
    files = {f.name: f.text for f in generate(checked(tmp_path, SAME_NAME))}
    types = definitions(files["tally_types.py"])
    # the user's `Custom` and `Literal` keep their meaning under aliases
    assert types["Custom_"] == "from tests.codegen_support import Custom"
    assert types["Literal_"] == "from tests.codegen_support import Literal"
    assert types["Custom"] == "Custom_"
    assert "kind: ReadOnly[Literal_ | None]" in files["tally_types.py"]
    runner = definitions(files["tally.py"])
    assert runner["Literal"] == "from typing import Literal"
    assert runner["TallyCustomEvent"] == "CustomEvent[Custom]"


def test_rename_touches_names_not_strings() -> None:
    assert (
        _rename("Literal['Custom'] | Custom", {"Custom": "Custom_"})
        == "Literal['Custom'] | Custom_"
    )


def test_a_module_states_its_types_to_the_typed_facade() -> None:
    joke = check_target(str(SPECS / "joke.toml")).graph
    assert joke is not None
    assert build_view(joke).graph_type == (
        "Graph[JokeInput, JokeValues, JokeValuesEvent, JokeUpdatesEvent, JokeCustomEvent, "
        "JokeMessagesEvent, JokeTasksEvent, JokeDebugEvent, JokeEvent]"
    )


def test_a_graph_with_subgraphs_states_its_subgraphs_events_too() -> None:
    nested = check_target(str(SPECS / "nested.toml")).graph
    assert nested is not None
    view = build_view(nested)
    assert view.graph_type == (
        "GraphWithSubgraphs[NestedInput, NestedValues, NestedValuesEvent, NestedUpdatesEvent, "
        "NestedCustomEvent, NestedMessagesEvent, NestedTasksEvent, NestedDebugEvent, NestedEvent, "
        "NestedValuesEventWithSubgraphs, NestedUpdatesEventWithSubgraphs, "
        "NestedCustomEventWithSubgraphs, NestedMessagesEventWithSubgraphs, "
        "NestedTasksEventWithSubgraphs, NestedDebugEventWithSubgraphs, NestedEventWithSubgraphs]"
    )
    aliases = {a.name: a.value for a in view.event_aliases}
    assert aliases["NestedUpdatesEventWithSubgraphs"] == (
        "NestedUpdatesEvent | _graph_nested_child.NestedChildUpdatesEventWithSubgraphs"
    )
    # a subgraph's messages name its own nodes in their metadata
    assert aliases["NestedMessagesEventWithSubgraphs"] == (
        "NestedMessagesEvent | _graph_nested_child.NestedChildMessagesEventWithSubgraphs"
    )
    assert aliases["NestedMessagesEvent"] == "MessagesEvent[Message, NodeName]"


def test_templates_refuse_undefined_names() -> None:
    joke = check_target(str(SPECS / "joke.toml")).graph
    assert joke is not None
    template = _env().from_string("{{ g.no_such_attribute }}")
    with pytest.raises(jinja2.UndefinedError):
        template.render(g=build_view(joke))


def test_a_template_bug_is_reported_with_the_template_and_line() -> None:
    broken = GeneratedFile("joke.py", "x = 1\ny = = 2\n", "runner.py.j2")
    with pytest.raises(TemplateError) as info:
        validate([broken])
    message = str(info.value)
    assert message.startswith(
        "template runner.py.j2 rendered invalid Python for joke.py at line 2,"
    )
    assert message.endswith("\n    y = = 2")


def test_rendered_modules_are_cleaned_and_formatted() -> None:
    joke = check_target(str(SPECS / "joke.toml")).graph
    assert joke is not None
    rendered = {f.name: f.text for f in render_graph(joke)}
    formatted = {f.name: f.text for f in generate(joke)}
    assert set(rendered) == set(formatted) == {"joke.py", "joke_types.py"}
    # the templates import more than a given graph needs; unused imports are dropped
    assert "from dataclasses import" not in formatted["joke_types.py"]
    assert "from pydantic import" not in formatted["joke_types.py"]
    for text in formatted.values():
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert "\t" not in text
        # the banner names the spec by the path it was given (here absolute, so as
        # long as the checkout's path): the formatter leaves comments as they are
        body = [line for line in text.splitlines() if not line.startswith("# Generated by flowc")]
        assert max(len(line) for line in body) <= 100


names = st.sampled_from(["tally", "a_b", "aB", "a__b", "custom", "stream", "node", "Update", "x1"])
field_types = st.sampled_from(
    ["int", "str", "list[str]", "dict[str, int] | None", "Literal['a', 'b']"]
)


@st.composite
def chain_specs(draw: st.DrawFn) -> str:
    """A chain of nodes whose names are picked to clash once camel-cased."""
    graph: dict[str, Any] = {"name": draw(names)}
    if draw(st.booleans()):
        graph["custom_type"] = "tests.codegen_support.Custom"
    nodes = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    fields = draw(st.dictionaries(st.sampled_from(["n", "log", "topic"]), field_types, min_size=1))
    spec = {
        "graph": graph,
        "state": {"fields": fields},
        "nodes": {
            node: {
                "call": "tests.codegen_support:step",
                "writes": draw(st.lists(st.sampled_from(sorted(fields)), unique=True)),
            }
            for node in nodes
        },
        "edges": [{"chain": ["START", *nodes, "END"]}],
    }
    return tomli_w.dumps(spec)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=chain_specs())
def test_any_chain_renders_the_same_valid_modules_with_distinct_names(
    tmp_path: Path, text: str
) -> None:
    graph = checked(tmp_path, text)
    first = render_graph(graph)
    assert [(f.name, f.text) for f in first] == [(f.name, f.text) for f in render_graph(graph)]
    for file in first:
        tree = ast.parse(file.text)
        compile(tree, file.name, "exec")
        defined = [
            n.name if isinstance(n, ast.ClassDef | ast.FunctionDef) else ast.unparse(n.target)
            for n in tree.body
            if isinstance(n, ast.ClassDef | ast.FunctionDef)
            or (isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name))
        ]
        overloaded = {"stream", "astream"}
        repeated = {name for name in defined if defined.count(name) > 1} - overloaded
        assert not repeated, (file.name, repeated)
