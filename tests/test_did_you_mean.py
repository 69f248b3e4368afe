"""A reference with a typo gets a hint naming what was probably meant.

``call``, ``router``, ``reducer`` and state ``class`` references, and Python
graph targets: a missing attribute is matched against the module's public
names, a missing module against the modules beside it (the package's, or the
top-level ones), the way Python's own "Did you mean" matches.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowc.dsl.load import check_target

SPEC = """[graph]
name = "typos"

[state]
{state}

[nodes.a]
call = "{call}"

[[edges]]
chain = ["START", "a", "END"]
"""


@pytest.mark.parametrize(
    ("call", "hint"),
    [
        ("tests.names_support.clash:stp", "did you mean `step`?"),
        ("tests.names_support.clash:Step", "did you mean `step`?"),
        ("tests.names_support.clahs:step", "did you mean `tests.names_support.clash`?"),
        ("tests.name_support.clash:step", "did you mean `tests.names_support`?"),
        ("tests.names_support.first:to_nxt", "did you mean `to_next`?"),
    ],
)
def test_a_call_with_a_typo_gets_a_did_you_mean_hint(tmp_path: Path, call: str, hint: str) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC.format(state='fields = { n = "int" }', call=call), encoding="utf-8")
    result = check_target(str(path))
    [diag] = result.diagnostics
    assert diag.code == "E301"
    assert diag.hint == hint
    assert diag.span is not None and (diag.span.line, diag.span.col) == (8, 8)


def test_a_name_far_from_every_other_gets_no_hint(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    text = SPEC.format(state='fields = { n = "int" }', call="tests.names_support.clash:zzzzzz")
    path.write_text(text, encoding="utf-8")
    [diag] = check_target(str(path)).diagnostics
    assert (diag.code, diag.hint) == ("E301", None)


def test_a_state_class_and_a_reducer_with_typos_get_hints(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(
        SPEC.format(state='class = "tests.names_support.first:Stat"', call="x:y"),
        encoding="utf-8",
    )
    hints = {d.message.split(":")[0]: d.hint for d in check_target(str(path)).diagnostics}
    assert hints["state class"] == "did you mean `State`?"
    path.write_text(
        SPEC.format(
            state='fields = { n = { type = "int", reducer = "operator:addd" } }',
            call="tests.names_support.clash:step",
        ),
        encoding="utf-8",
    )
    [diag] = check_target(str(path)).diagnostics
    assert (diag.code, diag.hint) == ("E301", "did you mean `add`?")


@pytest.mark.parametrize(
    ("target", "hint"),
    [
        ("tests.names_support.first:Stat", "did you mean `State`?"),
        ("tests.names_support.firts:State", "did you mean `tests.names_support.first`?"),
    ],
)
def test_a_python_graph_target_with_a_typo_gets_a_hint(target: str, hint: str) -> None:
    [diag] = check_target(target).diagnostics
    assert (diag.code, diag.hint) == ("E000", hint)
