"""``flowc draw``: Mermaid snapshots, LangGraph's Mermaid conventions, SVG/PNG through Graphviz."""

from __future__ import annotations

import operator
import shutil
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypedDict

import pytest

from flowc.cli import main
from flowc.draw import picture, to_mermaid
from flowc.dsl.load import check_target

from .cli_support import ROOT, SPECS, assert_snapshot, cli_env, flowc

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("flowc-cache")


@pytest.fixture
def inproc(
    capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., tuple[int, bytes, str]]:
    """``flowc ARGS`` in this process: exit code, stdout bytes, stderr text."""
    monkeypatch.chdir(ROOT)

    def run(*args: str) -> tuple[int, bytes, str]:
        capsysbinary.readouterr()
        code = main(list(args))
        out, err = capsysbinary.readouterr()
        return code, out, err.decode()

    return run


# -- Mermaid ---------------------------------------------------------------------------


def test_mermaid_of_a_chain_as_a_subprocess(cache: Path) -> None:
    proc = flowc("draw", "specs/joke.toml", cache=cache)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout == (
        "---\n"
        "config:\n"
        "  flowchart:\n"
        "    curve: linear\n"
        "---\n"
        "graph TD;\n"
        "\t__start__([<p>__start__</p>]):::first\n"
        "\trefine_topic(refine_topic)\n"
        "\tgenerate_joke(generate_joke)\n"
        "\t__end__([<p>__end__</p>]):::last\n"
        "\t__start__ --> refine_topic;\n"
        "\tgenerate_joke --> __end__;\n"
        "\trefine_topic --> generate_joke;\n"
        "\tclassDef default fill:#f2f0ff,line-height:1.2\n"
        "\tclassDef first fill-opacity:0\n"
        "\tclassDef last fill:#bfb6fc\n"
    )


@pytest.mark.parametrize(
    ("spec", "xray", "snapshot"),
    [
        ("specs/loop.toml", False, "draw/loop.mmd"),
        ("specs/parallel_join.toml", False, "draw/parallel_join.mmd"),
        ("tests/cli_specs/route.toml", False, "draw/route.mmd"),
        ("specs/subgraph.toml", False, "draw/subgraph.mmd"),
        ("specs/subgraph.toml", True, "draw/subgraph_xray.mmd"),
        ("specs/nested.toml", True, "draw/nested_xray.mmd"),
    ],
)
def test_mermaid_matches_its_snapshot(
    inproc: Callable[..., tuple[int, bytes, str]], spec: str, xray: bool, snapshot: str
) -> None:
    code, out, err = inproc("draw", spec, *(["--xray"] if xray else []))
    assert code == 0, err
    assert_snapshot(snapshot, out.decode())


def test_conditional_edges_are_dashed_with_path_map_keys_and_joins_are_thick() -> None:
    route = to_mermaid(picture(_checked("tests/cli_specs/route.toml")))
    assert "\tclassify -. &nbsp;funny&nbsp; .-> joke;\n" in route
    assert "\tclassify -. &nbsp;done&nbsp; .-> __end__;\n" in route
    loop = to_mermaid(picture(_checked("specs/loop.toml")))
    assert "\tincrement -.-> increment;\n" in loop
    join = to_mermaid(picture(_checked("specs/parallel_join.toml")))
    for source in ("alpha", "mid", "zeta"):
        assert f"\t{source} == &nbsp;join&nbsp; ==> summarize;\n" in join


def _checked(spec: str) -> Any:
    result = check_target(str(ROOT / spec))
    assert result.graph is not None, result.diagnostics
    return result.graph


# -- the same text as LangGraph's draw_mermaid() ------------------------------------


class _Route(TypedDict):
    text: str
    kind: str
    answer: str


class _Sub(TypedDict):
    foo: str
    bar: str


class _Parent(TypedDict):
    foo: str


class _Loop(TypedDict):
    count: int
    target: int
    history: Annotated[list[int], operator.add]


def _noop(state: Any) -> dict[str, Any]:
    return {}


def _langgraph_route() -> Any:
    from langgraph.graph import END, START, StateGraph

    g = StateGraph(_Route)
    g.add_node("classify", _noop)
    g.add_node("joke", _noop)
    g.add_node("poem", _noop)
    g.add_edge(START, "classify")
    g.add_conditional_edges(
        "classify", lambda s: "done", {"funny": "joke", "lyrical": "poem", "done": END}
    )
    g.add_edge("joke", END)
    g.add_edge("poem", END)
    return g.compile()


def _langgraph_subgraph() -> Any:
    from langgraph.graph import START, StateGraph

    sub = StateGraph(_Sub)
    sub.add_node("subgraph_node_1", _noop)
    sub.add_node("subgraph_node_2", _noop)
    sub.add_edge(START, "subgraph_node_1")
    sub.add_edge("subgraph_node_1", "subgraph_node_2")
    g = StateGraph(_Parent)
    g.add_node("node_1", _noop)
    g.add_node("node_2", sub.compile())
    g.add_edge(START, "node_1")
    g.add_edge("node_1", "node_2")
    return g.compile()


def _keep_going(state: _Loop) -> Literal["increment", "__end__"]:
    return "__end__"


def _langgraph_loop() -> Any:
    from langgraph.graph import START, StateGraph

    keep_going = _keep_going
    g = StateGraph(_Loop)
    g.add_node("increment", _noop)
    g.add_edge(START, "increment")
    g.add_conditional_edges("increment", keep_going)
    return g.compile()


def _langgraph_route_sub() -> Any:
    from langgraph.graph import END, START, StateGraph

    sub = StateGraph(_Sub)
    sub.add_node("subgraph_node_1", _noop)
    sub.add_node("subgraph_node_2", _noop)
    sub.add_edge(START, "subgraph_node_1")
    sub.add_edge("subgraph_node_1", "subgraph_node_2")
    g = StateGraph(_Parent)
    g.add_node("node_1", _noop)
    g.add_node("node_2", sub.compile())
    g.add_edge(START, "node_1")
    g.add_conditional_edges("node_1", lambda s: "go", {"go": "node_2", "stop": END})
    return g.compile()


def _langgraph_nested() -> Any:
    from langgraph.graph import END, START, StateGraph

    def chain(*names: str, inner: dict[str, Any] | None = None, end: bool = False) -> Any:
        g = StateGraph(_Parent)
        for name in names:
            g.add_node(name, (inner or {}).get(name, _noop))
        for src, dst in zip((START, *names), names, strict=False):
            g.add_edge(src, dst)
        if end:
            g.add_edge(names[-1], END)
        return g.compile()

    grandchild = chain("grandchild_1", "grandchild_2")
    child = chain("child_1", "grandchild_graph", "child_2", inner={"grandchild_graph": grandchild})
    return chain("parent_1", "child_graph", "parent_2", inner={"child_graph": child}, end=True)


def _langgraph_markdown_names() -> Any:
    from langgraph.graph import END, START, StateGraph

    g = StateGraph(_Route)
    g.add_node("_draft_", _noop)
    g.add_node("poem", _noop)
    g.add_edge(START, "_draft_")
    g.add_edge("_draft_", "poem")
    g.add_edge("poem", END)
    return g.compile()


@pytest.mark.conformance
@pytest.mark.parametrize(
    ("spec", "langgraph", "xray"),
    [
        ("tests/cli_specs/route.toml", _langgraph_route, False),
        # LangGraph writes a name Markdown would read as emphasis in a paragraph
        ("tests/cli_specs/markdown_names.toml", _langgraph_markdown_names, False),
        ("specs/loop.toml", _langgraph_loop, False),
        ("specs/subgraph.toml", _langgraph_subgraph, False),
        ("specs/subgraph.toml", _langgraph_subgraph, True),
        ("tests/cli_specs/route_sub.toml", _langgraph_route_sub, False),
        ("tests/cli_specs/route_sub.toml", _langgraph_route_sub, True),
        ("specs/nested.toml", _langgraph_nested, True),
    ],
)
def test_mermaid_is_langgraph_draw_mermaid_text(
    spec: str, langgraph: Callable[[], Any], xray: bool
) -> None:
    expected = langgraph().get_graph(xray=xray).draw_mermaid()
    assert to_mermaid(picture(_checked(spec), xray=xray)) == expected


# -- SVG and PNG -------------------------------------------------------------------------


def _toml_specs() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in SPECS.glob("*.toml"))


def test_svg_is_valid_for_every_spec(
    inproc: Callable[..., tuple[int, bytes, str]], tmp_path: Path
) -> None:
    assert shutil.which("dot"), "Graphviz is needed: `make setup-test` installs it"
    specs = _toml_specs()
    assert "specs/joke.toml" in specs
    for spec in specs:
        for xray in ([], ["--xray"]):
            out = tmp_path / (Path(spec).stem + ("_xray" if xray else "") + ".svg")
            code, _, err = inproc("draw", spec, "--format", "svg", "-o", str(out), *xray)
            assert code == 0, f"{spec}: {err}"
            assert err == f"wrote {out}\n"
            root = ET.parse(out).getroot()
            assert root.tag == f"{SVG}svg", spec
            titles = {t.text for t in root.iter(f"{SVG}title")}
            graph = _checked(spec)
            assert {"__start__", "__end__"} <= titles, spec
            for node in graph.nodes:
                if node.subgraph is None or not xray:
                    assert node.name in titles, f"{spec}: {node.name} not drawn"


def test_svg_to_stdout_as_a_subprocess(cache: Path) -> None:
    proc = flowc("draw", "specs/parallel_join.toml", "--format", "svg", cache=cache)
    assert proc.returncode == 0, proc.stderr
    root = ET.fromstring(proc.stdout.encode())
    assert root.tag == f"{SVG}svg"
    titles = {t.text for t in root.iter(f"{SVG}title")}
    assert {"alpha->summarize", "mid->summarize", "zeta->summarize"} <= titles


def test_png_has_the_png_signature(inproc: Callable[..., tuple[int, bytes, str]]) -> None:
    code, out, err = inproc("draw", "specs/joke.toml", "--format", "png")
    assert code == 0, err
    assert out[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_graphviz_the_message_names_the_package(cache: Path) -> None:
    # only the virtual environment's scripts: no `dot` there
    env = cli_env(cache, PATH=str(Path(sys.executable).parent))
    proc = flowc("draw", "specs/joke.toml", "--format", "svg", cache=cache, env=env)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == (
        "flowc: error: --format svg needs Graphviz's `dot`, which is not installed; install the "
        "`graphviz` package (Debian/Ubuntu: apt-get install graphviz; macOS: brew install "
        "graphviz; conda: conda install graphviz), or use --format mermaid\n"
    )


def test_dot_text_is_available_offline(inproc: Callable[..., tuple[int, bytes, str]]) -> None:
    code, out, _ = inproc("draw", "specs/loop.toml", "--format", "dot")
    assert code == 0
    assert out.decode() == (
        'digraph "loop" {\n'
        '\tgraph [rankdir=TB, fontname="Helvetica", fontsize=12];\n'
        '\tnode [fontname="Helvetica", fontsize=12];\n'
        '\tedge [fontname="Helvetica", fontsize=10];\n'
        '\t"__start__" [label="__start__", shape=oval, style="filled,dashed", fillcolor="#ffffff"];\n'
        '\t"increment" [label="increment", shape=box, style="rounded,filled", fillcolor="#f2f0ff"];\n'
        '\t"__end__" [label="__end__", shape=oval, style="filled", fillcolor="#bfb6fc"];\n'
        '\t"__start__" -> "increment";\n'
        '\t"increment" -> "__end__" [style=dashed];\n'
        '\t"increment" -> "increment" [style=dashed];\n'
        "}\n"
    )


def test_a_spec_with_errors_is_reported_not_drawn(
    inproc: Callable[..., tuple[int, bytes, str]], tmp_path: Path
) -> None:
    spec = tmp_path / "broken.toml"
    spec.write_text(
        '[graph]\nname = "broken"\n\n[state.fields]\nx = "str"\n\n[[edges]]\nchain = ["START", "nowhere"]\n'
    )
    code, out, err = inproc("draw", str(spec))
    assert code == 1
    assert out == b""
    assert f"{spec}:8:" in err and "nowhere" in err
