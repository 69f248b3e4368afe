"""The house stays in rooms one can read: no hand-written module over 600 lines, no class
over 400 (issue 15's acceptance). Generated modules are left out, each known by its banner."""

from __future__ import annotations

import ast
from pathlib import Path

import flowc

PACKAGE = Path(flowc.__file__).resolve().parent
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 400

GENERATED = {"runtime/_graph.py": "# Written by scripts/gen_graph_types.py"}
"""Modules a script writes, each with the banner that says so."""


def _hand_written() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).as_posix() not in GENERATED
    ]


def test_the_generated_modules_left_out_carry_their_banner() -> None:
    for name, banner in GENERATED.items():
        assert banner in (PACKAGE / name).read_text(encoding="utf-8")


def test_no_hand_written_module_is_over_600_lines() -> None:
    long = {
        path.relative_to(PACKAGE).as_posix(): lines
        for path in _hand_written()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def class_sizes(source: str) -> dict[str, int]:
    """The lines of each class of ``source`` (nested ones too), from ``class`` to its last line."""
    return {
        node.name: node.end_lineno - node.lineno + 1
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ClassDef) and node.end_lineno is not None
    }


def test_no_hand_written_class_is_over_400_lines() -> None:
    long = {
        f"{path.relative_to(PACKAGE).as_posix()}:{name}": lines
        for path in _hand_written()
        for name, lines in class_sizes(path.read_text(encoding="utf-8")).items()
        if lines > MAX_CLASS_LINES
    }
    assert long == {}


def test_a_class_of_401_lines_is_measured_as_such() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(399))
    source = f"class Long:\n{body}\n    y = 0\n\n\nclass Short:\n{body}\n"
    assert class_sizes(source) == {"Long": 401, "Short": 400}
