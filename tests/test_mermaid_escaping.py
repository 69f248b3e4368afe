"""Mermaid text is escaped: a path-map key cannot end its statement and start another.

Both emitters are covered: ``flowc draw`` (:mod:`flowc.draw`) and the drop-in's
``get_graph().draw_mermaid()`` (:mod:`flowc.langgraph._draw`).
"""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Annotated, Any, TypedDict

import pytest

from flowc.cli import main
from flowc.langgraph import START, StateGraph

HOSTILE = 'x;\nclick b href "javascript:alert(1)"\n%%'
ESCAPED = "x#59;#10;click b href #34;javascript#58;alert#40;1#41;#34;#10;#37;#37;"

SPEC = """\
[graph]
name = "injected"

[state.fields]
n = "int"

[nodes.a]
call = "injected_nodes:a"

[nodes.b]
call = "injected_nodes:a"

[[edges]]
chain = ["START", "a"]

[[branches]]
from = "a"
router = "injected_nodes:route"
path_map = { "x;\\nclick b href \\"javascript:alert(1)\\"\\n%%" = "b" }

[[edges]]
chain = ["b", "END"]
"""

NODES = """\
def a(state: dict) -> None:
    return None


def route(state: dict) -> str:
    return "x"
"""


def test_mermaid_text_keeps_names_and_escapes_everything_else() -> None:
    from flowc.draw import mermaid_text

    assert mermaid_text("refine_topic") == "refine_topic"
    assert mermaid_text("to-b and back 2") == "to-b and back 2"
    assert mermaid_text(HOSTILE) == ESCAPED


def test_flowc_draw_escapes_a_path_map_key_holding_mermaid_statements(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "injected.toml").write_text(SPEC)
    (tmp_path / "injected_nodes.py").write_text(NODES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["draw", "injected.toml"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert f"\ta -. &nbsp;{ESCAPED}&nbsp; .-> b;" in lines
    assert not [line for line in lines if line.lstrip().startswith(("click", "%%"))]
    # every statement is on a line of its own: one line per node and edge, no more
    assert len(lines) == 16


class State(TypedDict):
    n: int
    log: Annotated[list[str], operator.add]


def bump(state: State) -> dict[str, Any]:
    return {"n": state["n"] + 1}


def test_drop_in_draw_mermaid_escapes_a_path_map_key_holding_mermaid_statements() -> None:
    def route(state: State) -> str:
        return HOSTILE

    builder = StateGraph(State).add_node("a", bump).add_node("b", bump)
    graph = builder.add_edge(START, "a").add_conditional_edges("a", route, {HOSTILE: "b"}).compile()
    lines = graph.get_graph().draw_mermaid().splitlines()
    assert f"\ta -. &nbsp;{ESCAPED}&nbsp; .-> b;" in lines
    assert not [line for line in lines if line.lstrip().startswith(("click", "%%"))]
