"""A node's declared ``writes`` are checked against what its return type says it writes."""

from __future__ import annotations

from pathlib import Path

from flowc import END, START, Graph
from flowc.dsl.load import check_graph, check_target
from tests.names_support import first

SPEC = """[graph]
name = "writes"

[state.fields]
log = {{ type = "list[str]", reducer = "add" }}
note = "str"

[nodes.a]
call = "tests.names_support.first:{call}"
writes = {writes}

[[edges]]
chain = ["START", "a", "END"]
"""


def _check(tmp_path: Path, call: str, writes: str) -> list[tuple[str, str, int, int, str | None]]:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC.format(call=call, writes=writes), encoding="utf-8")
    out = []
    for d in check_target(str(path)).diagnostics:
        assert d.span is not None
        out.append((d.code, d.message, d.span.line, d.span.col, d.hint))
    return out


def test_a_node_whose_return_type_writes_a_key_outside_its_writes_is_a_located_error(
    tmp_path: Path,
) -> None:
    assert _check(tmp_path, "writes_note", '["log"]') == [
        (
            "E312",
            "node `a` returns `NoteUpdate`, which writes `note`, but its `writes` does not list it",
            10,
            10,
            "add `note` to `writes`, or take it out of the return type",
        )
    ]


def test_a_node_whose_writes_list_what_its_return_type_writes_checks(tmp_path: Path) -> None:
    assert _check(tmp_path, "writes_note", '["note"]') == []
    assert _check(tmp_path, "writes_note", '["note", "log"]') == []


def test_a_node_returning_a_state_wide_type_may_declare_fewer_writes(tmp_path: Path) -> None:
    # `-> State` with total=False (LangGraph's own examples) says any key may be written
    assert _check(tmp_path, "returns_wide", '["log"]') == []


def test_a_decorator_node_whose_return_type_writes_outside_its_writes_is_a_located_error() -> None:
    graph = Graph("writes_deco", first.Wide)
    graph.add_node("a", first.writes_note, writes=["log"])
    graph.add_edge(START, "a")
    graph.add_edge("a", END)
    [diag] = check_graph(graph).diagnostics
    assert diag.code == "E312"
    assert diag.span is not None
    assert (diag.span.file, diag.span.line) == ("tests/test_writes.py", 63)


def test_a_node_writing_outside_its_writes_without_a_return_type_fails_at_run_time(
    tmp_path: Path,
) -> None:
    import pytest

    from flowc import build
    from flowc.runtime import InvalidUpdateError

    path = tmp_path / "spec.toml"
    path.write_text(SPEC.format(call="writes_note_untyped", writes='["log"]'), encoding="utf-8")
    assert check_target(str(path)).diagnostics == ()
    graph = build(str(path))
    with pytest.raises(
        InvalidUpdateError,
        match=r"node 'a' wrote 'note', which its spec does not declare in `writes` \(it writes log\)",
    ):
        graph.invoke({"log": []})
    path.write_text(
        SPEC.format(call="writes_note_untyped", writes='["log", "note"]'), encoding="utf-8"
    )
    assert build(str(path)).invoke({"log": []}) == {"log": ["a"], "note": "n"}
