"""How long the generated modules are: the graph itself, not an interpreter pasted into it.

The joke chain's runner and types module together stay within 300 lines; each further
node of a chain (its node call, its update type and its event class included) adds at
most 35 lines; no template is over 300 lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flowc.codegen import generate
from flowc.dsl.load import check_target

from .conftest import ROOT, SPECS

TEMPLATES = ROOT / "flowc" / "codegen" / "templates"


def lines(spec: Path) -> int:
    result = check_target(str(spec))
    assert result.graph is not None, result.diagnostics
    return sum(len(module.text.splitlines()) for module in generate(result.graph))


def chain(tmp_path: Path, length: int) -> Path:
    # every node writes the one key, so a further node adds no state field
    names = [f"step_{i}" for i in range(length)]
    nodes = "".join(
        f'[nodes.{name}]\ncall = "tests.codegen_support:step"\nwrites = ["n"]\n\n' for name in names
    )
    chained = ", ".join(f'"{name}"' for name in names)
    spec = tmp_path / f"chain{length}.toml"
    spec.write_text(
        f'[graph]\nname = "chain{length}"\n\n[state.fields]\nn = "int"\n\n{nodes}'
        f'[[edges]]\nchain = ["START", {chained}, "END"]\n',
        encoding="utf-8",
    )
    return spec


def test_the_joke_chains_runner_and_types_module_are_at_most_300_lines() -> None:
    assert lines(SPECS / "joke.toml") <= 300


@pytest.mark.parametrize("length", [2, 5, 20])
def test_each_further_node_of_a_chain_adds_at_most_35_lines(tmp_path: Path, length: int) -> None:
    shorter = lines(chain(tmp_path, length))
    longer = lines(chain(tmp_path, length + 1))
    assert 0 < longer - shorter <= 35


def test_no_template_is_over_300_lines() -> None:
    sizes = {path.name: len(path.read_text().splitlines()) for path in TEMPLATES.glob("*.j2")}
    assert sizes
    assert {name: size for name, size in sizes.items() if size > 300} == {}
