"""``flowc compile`` skips a spec whose modules are current, and only such a spec.

Current means: the spec, its subgraph specs, the modules of the user's that
checking it loaded, flowc's code generator and the modules it made all have
the content they had when it was last compiled (modification times do not
count). ``compile --check`` decides in the same way. The tests count how often
modules are generated, in one process, with the node modules under fresh
names per test.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import flowc.codegen
from flowc.cli import main

_names = itertools.count()

SPEC = """\
[graph]
name = "{graph}"
description = "{description}"

[state.fields]
n = "int"

[nodes.bump]
call = "{module}:bump"

[nodes.inner]
subgraph = "{graph}_sub.toml"

[[edges]]
chain = ["START", "bump", "inner", "END"]
"""

SUB = """\
[graph]
name = "{graph}_sub"

[state.fields]
n = "int"

[nodes.twice]
call = "{module}:twice"

[[edges]]
chain = ["START", "twice", "END"]
"""

NODES = """\
def bump(state: dict) -> dict:
    return {"n": state["n"] + 1}


def twice(state: dict) -> dict:
    return {"n": state["n"] * 2}
"""


@dataclass
class Project:
    folder: Path
    spec: Path
    sub: Path
    nodes: Path
    out: Path
    graph: str
    generated: list[int]

    def compile(self, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
        status = main(["--color", "never", "compile", self.spec.name, "-o", "out", *args])
        captured = capsys.readouterr()
        return status, captured.out + captured.err

    def stamps(self) -> dict[str, tuple[str, int]]:
        return {
            p.name: (p.read_text(encoding="utf-8"), p.stat().st_mtime_ns)
            for p in sorted(self.out.glob("*.py"))
        }


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Project]:
    """A spec with a subgraph, compiled once; ``generated`` counts later generations."""
    index = next(_names)
    graph, module = f"up{index}", f"uptodate_nodes_{index}"
    (tmp_path / f"{module}.py").write_text(NODES)
    spec = tmp_path / f"{graph}.toml"
    spec.write_text(SPEC.format(graph=graph, module=module, description="First."))
    sub = tmp_path / f"{graph}_sub.toml"
    sub.write_text(SUB.format(graph=graph, module=module))
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    generated: list[int] = []
    real = flowc.codegen.generate

    def counting(graph: object) -> object:
        generated.append(1)
        return real(graph)  # type: ignore[arg-type]

    monkeypatch.setattr(flowc.codegen, "generate", counting)
    project = Project(
        tmp_path, spec, sub, tmp_path / f"{module}.py", tmp_path / "out", graph, generated
    )
    status, text = project.compile(capsys=capsys)
    assert status == 0, text
    assert sorted(p.name for p in project.out.iterdir()) == [
        "__init__.py",
        "py.typed",
        f"{graph}.py",
        f"{graph}_sub.py",
        f"{graph}_sub_types.py",
        f"{graph}_types.py",
    ]
    generated.clear()
    yield project
    sys.modules.pop(module, None)


def _age(path: Path, seconds: int) -> None:
    """Date ``path`` ``seconds`` later than it is (negative: earlier)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))


def test_an_unchanged_spec_is_neither_checked_nor_rendered(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = project.stamps()

    def no_check(target: str) -> None:
        raise AssertionError(f"{target} was checked")

    monkeypatch.setattr("flowc.cli.compile.check_target", no_check)
    assert project.compile(capsys=capsys) == (0, "up to date: 6 files in out\n")
    assert project.generated == []
    assert project.stamps() == before


def test_a_changed_spec_is_compiled_again(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.spec.write_text(project.spec.read_text().replace("First.", "Second."))
    status, text = project.compile(capsys=capsys)
    assert (status, project.generated) == (0, [1])
    assert sorted(text.splitlines()) == [
        f"wrote out/{project.graph}.py",
        f"wrote out/{project.graph}_types.py",
    ]
    assert project.compile(capsys=capsys) == (0, "up to date: 6 files in out\n")
    assert project.generated == [1]


def test_a_changed_subgraph_spec_is_compiled_again(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.sub.write_text(
        project.sub.read_text().replace('name = "', 'description = "Sub."\nname = "')
    )
    status, text = project.compile(capsys=capsys)
    assert (status, project.generated) == (0, [1])
    assert sorted(text.splitlines()) == [
        f"wrote out/{project.graph}_sub.py",
        f"wrote out/{project.graph}_sub_types.py",
    ]


def test_a_touched_node_module_is_still_current(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    before = project.stamps()
    _age(project.nodes, 10)
    _age(project.spec, 10)
    assert project.compile(capsys=capsys) == (0, "up to date: 6 files in out\n")
    assert project.generated == []
    assert project.stamps() == before


def test_an_edited_node_module_is_checked_once_then_skipped(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    before = project.stamps()
    project.nodes.write_text(NODES + "\n# a comment changes nothing the modules say\n")
    _age(project.nodes, -20)  # older than the modules: the content decides, not the date
    sys.modules.pop(project.nodes.stem, None)
    # checked and rendered again, found the same, and recorded
    assert project.compile(capsys=capsys) == (0, "up to date: 6 files in out\n")
    assert project.generated == [1]
    assert project.stamps() == before
    assert project.compile(capsys=capsys) == (0, "up to date: 6 files in out\n")
    assert project.generated == [1]


def test_a_new_code_generator_regenerates(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("flowc.codegen.cachedir.generator_fingerprint", lambda: "another flowc")
    assert project.compile(capsys=capsys) == (0, "up to date: 6 files in out\n")
    assert project.generated == [1]


def test_a_hand_edited_module_is_stale_for_check_and_compile_alike(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = project.out / f"{project.graph}.py"
    generated = runner.read_text()
    runner.write_text(generated + "HAND_EDIT = 1\n")
    _age(runner, 3600)
    status, text = project.compile("--check", capsys=capsys)
    assert (status, text) == (
        1,
        f"stale: out/{project.graph}.py\nrun `flowc compile` to regenerate\n",
    )
    assert project.compile(capsys=capsys) == (0, f"wrote out/{project.graph}.py\n")
    assert runner.read_text() == generated
    assert project.compile("--check", capsys=capsys) == (0, "up to date: 6 files in out\n")


def test_any_spelling_of_the_spec_path_is_the_same_spec(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = project.stamps()
    out = str(project.out)
    elsewhere = project.folder / "elsewhere"
    elsewhere.mkdir()
    for cwd, spec in (
        (project.folder, str(project.spec)),
        (elsewhere, f"../{project.spec.name}"),
        (project.folder.parent, f"{project.folder.name}/{project.spec.name}"),
    ):
        monkeypatch.chdir(cwd)
        for check in ((), ("--check",)):
            status = main(["--color", "never", "compile", spec, "-o", out, *check])
            captured = capsys.readouterr()
            assert (status, captured.err) == (0, ""), (cwd, spec, check)
            assert captured.out.startswith("up to date: 6 files in "), (cwd, spec, check)
    assert project.stamps() == before
    # rendered for none of them: every spelling names the record of the first compile
    assert project.generated == []


def test_force_always_renders_and_check_asks_what_compile_asks(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert project.compile("--force", capsys=capsys) == (0, "up to date: 6 files in out\n")
    assert project.compile("--check", capsys=capsys) == (0, "up to date: 6 files in out\n")
    assert project.generated == [1]


def test_a_missing_module_or_another_banner_is_regenerated(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    (project.out / f"{project.graph}_sub_types.py").unlink()
    status, text = project.compile(capsys=capsys)
    assert (status, text) == (0, f"wrote out/{project.graph}_sub_types.py\n")
    runner = project.out / f"{project.graph}.py"
    runner.write_text(runner.read_text().replace("(spec sha256:", "(spec sha256:0", 1))
    status, text = project.compile(capsys=capsys)
    assert (status, text) == (0, f"wrote out/{project.graph}.py\n")
    assert project.generated == [1, 1]
