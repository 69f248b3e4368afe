"""``flowc compile`` run as a subprocess in a temporary project.

The project has a ``pyproject.toml`` whose ``[tool.flowc]`` names the specs
and the output package; the tests check what is written, what is printed and
the exit status, for a fresh compile, an up-to-date one, ``--check`` on stale
files, files flowc did not write, ``--force``, and a decorator target.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flowc.codegen.write import BANNER_PREFIX, atomic_write

FLOWC = [sys.executable, "-m", "flowc.cli"]

PYPROJECT = """\
[project]
name = "demo"
version = "0"

[tool.flowc]
specs = ["specs/*.toml", "graphs:shout"]
out = "gen"
"""

GREET_TOML = """\
[graph]
name = "greet"
description = "Say hello."

[state.fields]
name = "str"
greeting = "str"

[nodes.hello]
call = "greet_nodes:hello"
writes = ["greeting"]

[[edges]]
chain = ["START", "hello", "END"]
"""

GREET_NODES = """\
from typing import TypedDict


class State(TypedDict, total=False):
    name: str
    greeting: str


def hello(state: State) -> State:
    return {"greeting": "hello " + state["name"]}
"""

GRAPHS = """\
from typing import TypedDict

from flowc import END, START, Graph


class Loud(TypedDict, total=False):
    text: str


def upper(state: Loud) -> Loud:
    return {"text": state["text"].upper()}


shout = Graph("shout", Loud)
shout.node(upper)
shout.sequence(START, "upper", END)
"""

GENERATED = [
    "gen/__init__.py",
    "gen/greet.py",
    "gen/greet_types.py",
    "gen/py.typed",
    "gen/shout.py",
    "gen/shout_types.py",
]


def _make_project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "pyproject.toml").write_text(PYPROJECT)
    (folder / "specs").mkdir()
    (folder / "specs" / "greet.toml").write_text(GREET_TOML)
    (folder / "specs" / "greet_nodes.py").write_text(GREET_NODES)
    (folder / "graphs.py").write_text(GRAPHS)
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with a TOML spec, a decorator spec and ``[tool.flowc]``."""
    return _make_project(tmp_path / "project")


@pytest.fixture(scope="module")
def compiled_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project after one ``flowc compile`` (each test gets a copy)."""
    folder = _make_project(tmp_path_factory.mktemp("compiled") / "project")
    result = flowc(folder)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [f"wrote {p}" for p in GENERATED]
    return folder


@pytest.fixture
def compiled(compiled_once: Path, tmp_path: Path) -> Path:
    """A project whose generated package is up to date."""
    return Path(shutil.copytree(compiled_once, tmp_path / "project", copy_function=shutil.copy2))


def flowc(project: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["PYTHONPATH"] = os.pathsep.join([str(project), str(project / "specs")])
    return subprocess.run(
        [*FLOWC, "compile", "--color=never", *args],
        cwd=cwd or project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def contents(project: Path) -> dict[str, str]:
    return {
        p.relative_to(project).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((project / "gen").iterdir())
        if p.name != "__pycache__"
    }


def test_compile_uses_tool_flowc_specs_and_out(compiled: Path) -> None:
    project = compiled
    files = contents(project)
    assert sorted(files) == GENERATED
    assert files["gen/greet.py"].startswith(f"{BANNER_PREFIX}specs/greet.toml (spec sha256:")
    assert files["gen/shout.py"].startswith(f"{BANNER_PREFIX}graphs:shout (spec sha256:")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from gen import greet, shout\n"
            "print([(e.node, e.data) for e in greet.stream({'name': 'ada'})])\n"
            "print(shout.invoke({'text': 'hi'}))\n",
        ],
        cwd=project,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(project), str(project / "specs")])},
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.splitlines() == [
        "[('hello', {'greeting': 'hello ada'})]",
        "{'text': 'HI'}",
    ]


def test_up_to_date_files_are_not_written_again(compiled: Path) -> None:
    project = compiled
    stamps = {p: p.stat().st_mtime_ns for p in (project / "gen").iterdir()}
    check = flowc(project, "--check")
    assert (check.returncode, check.stdout, check.stderr) == (0, "up to date: 6 files in gen\n", "")
    again = flowc(project)
    assert (again.returncode, again.stdout, again.stderr) == (0, "up to date: 6 files in gen\n", "")
    assert {p: p.stat().st_mtime_ns for p in (project / "gen").iterdir()} == stamps


def test_check_names_stale_files_and_writes_nothing(compiled: Path) -> None:
    project = compiled
    before = contents(project)
    spec = project / "specs" / "greet.toml"
    spec.write_text(spec.read_text().replace("Say hello.", "Say hello politely."))
    (project / "gen" / "shout_types.py").unlink()
    check = flowc(project, "--check")
    assert check.returncode == 1
    assert check.stdout == ""
    assert check.stderr.splitlines() == [
        "stale: gen/greet.py",
        "stale: gen/greet_types.py",
        "stale: gen/shout_types.py",
        "run `flowc compile` to regenerate",
    ]
    after = contents(project)
    assert after == {k: v for k, v in before.items() if k != "gen/shout_types.py"}
    assert sorted(flowc(project).stdout.splitlines()) == [
        "wrote gen/greet.py",
        "wrote gen/greet_types.py",
        "wrote gen/shout_types.py",
    ]
    assert flowc(project, "--check").returncode == 0


def test_check_before_any_compile_names_every_file(project: Path) -> None:
    check = flowc(project, "--check")
    assert check.returncode == 1
    assert check.stderr.splitlines() == [
        *(f"stale: {p}" for p in GENERATED),
        "run `flowc compile` to regenerate",
    ]
    assert not (project / "gen").exists()


def test_a_file_flowc_did_not_write_is_kept_unless_forced(project: Path) -> None:
    (project / "gen").mkdir()
    mine = project / "gen" / "greet_types.py"
    mine.write_text("# my own types\n")
    refused = flowc(project)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        "flowc: error: refusing to overwrite gen/greet_types.py: not generated by flowc "
        "(use --force to overwrite)\n"
    )
    assert mine.read_text() == "# my own types\n"
    assert sorted(p.name for p in (project / "gen").iterdir()) == ["greet_types.py"]
    forced = flowc(project, "--force")
    assert forced.returncode == 0, forced.stderr
    assert mine.read_text().startswith(f"{BANNER_PREFIX}specs/greet.toml ")


def test_explicit_targets_and_out_override_the_project(project: Path) -> None:
    result = flowc(project, "specs/greet.toml", "-o", "elsewhere")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (project / "elsewhere").iterdir()) == [
        "__init__.py",
        "greet.py",
        "greet_types.py",
        "py.typed",
    ]
    assert not (project / "gen").exists()


def test_project_specs_are_found_from_a_subfolder(project: Path) -> None:
    sub = project / "src" / "deep"
    sub.mkdir(parents=True)
    result = flowc(project, cwd=sub)
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == sorted(f"wrote ../../{p}" for p in GENERATED)
    # the banner names the spec relative to the project, wherever the command ran
    assert contents(project)["gen/greet.py"].startswith(f"{BANNER_PREFIX}specs/greet.toml ")


def test_a_spec_with_errors_is_reported_and_not_written(project: Path) -> None:
    spec = project / "specs" / "greet.toml"
    spec.write_text(spec.read_text().replace('writes = ["greeting"]', 'writes = ["greting"]'))
    result = flowc(project, "specs/greet.toml", "-o", "gen")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "specs/greet.toml:11:11: error[E306]: node `hello` declares that it writes `greting`, "
        "which the state does not have\n"
        "   |\n"
        '11 | writes = ["greting"]\n'
        "   |           ^^^^^^^^^\n"
        "  = hint: did you mean `greeting`?\n"
        "\n"
        "found 1 error\n"
    )
    assert not (project / "gen").exists()


def test_no_spec_and_no_project_is_a_usage_error(tmp_path: Path) -> None:
    result = flowc(tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("flowc: error: no spec given")


def test_a_glob_that_matches_nothing_is_named(project: Path) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT.replace("specs/*.toml", "specz/*.toml"))
    result = flowc(project)
    assert (result.returncode, result.stderr) == (
        2,
        "flowc: error: [tool.flowc] specs: `specz/*.toml` matches no file\n",
    )


def test_atomic_write_leaves_the_old_file_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "mod.py"
    target.write_text("old\n")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mod.py"]


def test_compile_prints_paths_as_given(project: Path) -> None:
    out = project / "out dir"
    result = flowc(project, "specs/greet.toml", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert sorted(result.stdout.splitlines()) == [
        "wrote out dir/__init__.py",
        "wrote out dir/greet.py",
        "wrote out dir/greet_types.py",
        "wrote out dir/py.typed",
    ]
