"""A compile's files are one unit: killed at any write, run side by side, or named alike.

Each test drives the ``flowc`` command as a subprocess, as users run it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..cli_support import cli_env

# `flowc compile` with write_point() replaced: with KILL_AT=N the process kills itself with
# SIGKILL at the N-th change a write makes on disk; POINTS=file gets the number of them
DRIVER = """\
import os, signal, sys
from flowc.codegen import write

count = 0
kill_at = int(os.environ.get("KILL_AT", "0"))


def point() -> None:
    global count
    count += 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)


write.write_point = point
from flowc.cli import main

status = main(sys.argv[1:])
if os.environ.get("POINTS"):
    with open(os.environ["POINTS"], "w") as handle:
        handle.write(str(count))
sys.exit(status)
"""

PARENT = """\
[graph]
name = "pair"
description = "{version}"

[state.fields]
text = "str"

[nodes.{node}]
call = "pair_nodes:{node}"

[nodes.inner]
subgraph = "pair_inner.toml"

[[edges]]
chain = ["START", "{node}", "inner", "END"]
"""

INNER = """\
[graph]
name = "pair_inner"
description = "{version}"

[state.fields]
text = "str"

[nodes.{node}]
call = "pair_nodes:{node}"

[[edges]]
chain = ["START", "{node}", "END"]
"""

NODES = """\
def old(state: dict) -> dict:
    return {"text": state["text"] + " old"}


def new(state: dict) -> dict:
    return {"text": state["text"] + " new"}
"""


def _write_specs(folder: Path, version: str) -> None:
    node = "old" if version == "v1" else "new"
    (folder / "pair.toml").write_text(PARENT.format(version=version, node=node))
    (folder / "pair_inner.toml").write_text(INNER.format(version=version, node=node))


def _compile(
    folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", DRIVER, "--color", "never", "compile", *args],
        cwd=folder,
        env=env or cli_env(folder / "cache"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _files(out: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(out.iterdir()) if p.name != "__pycache__"}


def _run(folder: Path) -> str:
    """Import the package in a fresh process and run its graph."""
    proc = subprocess.run(
        [sys.executable, "-c", "from out import pair; print(pair.invoke({'text': 'x'})['text'])"],
        cwd=folder,
        env=cli_env(folder / "cache"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.mark.slow
def test_a_compile_killed_at_any_write_leaves_the_package_all_old_or_all_new(
    tmp_path: Path,
) -> None:
    (tmp_path / "pair_nodes.py").write_text(NODES)
    out = tmp_path / "out"
    _write_specs(tmp_path, "v1")
    first = _compile(tmp_path, "pair.toml", "-o", "out")
    assert first.returncode == 0, first.stderr
    old = _files(out)
    assert _run(tmp_path) == "x old old"
    shutil.copytree(out, tmp_path / "old-copy")

    _write_specs(tmp_path, "v2")
    env = cli_env(tmp_path / "cache", POINTS=str(tmp_path / "points"))
    whole = _compile(tmp_path, "pair.toml", "-o", "out", env=env)
    assert whole.returncode == 0, whole.stderr
    new = _files(out)
    points = int((tmp_path / "points").read_text())
    # the staging folder, each of its six files, the swap and the clean-up
    assert points == 9
    assert {name for name in new if new[name] != old.get(name)} == {
        "pair.py",
        "pair_types.py",
        "pair_inner.py",
        "pair_inner_types.py",
    }
    seen = []
    for kill_at in range(1, points + 1):
        shutil.rmtree(out)
        shutil.copytree(tmp_path / "old-copy", out)
        killed = _compile(
            tmp_path,
            "pair.toml",
            "-o",
            "out",
            env=cli_env(tmp_path / "cache", KILL_AT=str(kill_at)),
        )
        assert killed.returncode == -9, (kill_at, killed.stderr)
        files = _files(out)
        assert files in (old, new), kill_at
        seen.append("new" if files == new else "old")
        assert _run(tmp_path) == ("x new new" if files == new else "x old old"), kill_at
    # before the swap the folder is the old one; from the swap on, the new one
    assert seen == ["old"] * 7 + ["new"] * 2
    # what a killed compile left beside the folder is removed by the next compile
    shutil.rmtree(out)
    shutil.copytree(tmp_path / "old-copy", out)
    killed = _compile(
        tmp_path, "pair.toml", "-o", "out", env=cli_env(tmp_path / "cache", KILL_AT="3")
    )
    assert killed.returncode == -9
    (left,) = (p for p in tmp_path.iterdir() if p.name.endswith(".flowc-tmp"))
    assert left.name.startswith(".out.")
    again = _compile(tmp_path, "pair.toml", "-o", "out")
    assert again.returncode == 0, again.stderr
    assert not [p for p in (*tmp_path.iterdir(), *out.iterdir()) if ".flowc-tmp" in p.name]
    assert _files(out) == new


def test_a_first_compile_killed_at_any_write_leaves_no_package_or_a_whole_one(
    tmp_path: Path,
) -> None:
    (tmp_path / "pair_nodes.py").write_text(NODES)
    _write_specs(tmp_path, "v1")
    env = cli_env(tmp_path / "cache", POINTS=str(tmp_path / "points"))
    whole = _compile(tmp_path, "pair.toml", "-o", "whole", env=env)
    assert whole.returncode == 0, whole.stderr
    complete = _files(tmp_path / "whole")
    points = int((tmp_path / "points").read_text())
    assert points == 9  # the staging folder, its six files, the rename and the clean-up
    seen = []
    for kill_at in range(1, points + 1):
        out = tmp_path / "out"
        if out.exists():
            shutil.rmtree(out)
        killed = _compile(
            tmp_path,
            "pair.toml",
            "-o",
            "out",
            env=cli_env(tmp_path / "cache", KILL_AT=str(kill_at)),
        )
        assert killed.returncode == -9, (kill_at, killed.stderr)
        if out.exists():
            assert _files(out) == complete, kill_at
            assert _run(tmp_path) == "x old old"
        seen.append(out.exists())
    assert seen == [False] * 7 + [True] * 2


SAME_NAME = """\
[graph]
name = "same"
description = "{which}"

[state.fields]
{field} = "str"

[nodes.{node}]
call = "same_nodes:{node}"

[[edges]]
chain = ["START", "{node}", "END"]
"""


def test_concurrent_compiles_of_two_specs_with_one_graph_name_never_mix_them(
    tmp_path: Path,
) -> None:
    for which, field, node in (("a", "left", "lefty"), ("b", "right", "righty")):
        folder = tmp_path / which
        folder.mkdir()
        (folder / "same.toml").write_text(SAME_NAME.format(which=which, field=field, node=node))
        (folder / "same_nodes.py").write_text(
            f"def {node}(state: dict) -> dict:\n    return {{'{field}': '{which}'}}\n"
        )
    for _ in range(4):
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "flowc.cli", "compile", f"{which}/same.toml", "-o", "out"],
                cwd=tmp_path,
                env=cli_env(tmp_path / "cache"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for which in ("a", "b")
        ]
        for proc in procs:
            assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
        runner = (tmp_path / "out" / "same.py").read_text()
        types = (tmp_path / "out" / "same_types.py").read_text()
        # both modules come from one spec: the same banner (and so spec hash), its state key
        assert runner.splitlines()[0] == types.splitlines()[0]
        key = "left" if "Graph 'same': a" in runner else "right"
        assert f"    {key}: NotRequired[str]" in types


def test_a_compile_waits_for_the_one_writing_into_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pair_nodes.py").write_text(NODES)
    _write_specs(tmp_path, "v1")
    fd = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a compile writing into tmp_path/out holds it
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flowc.cli", "compile", "pair.toml", "-o", "out"],
            cwd=tmp_path,
            env=cli_env(tmp_path / "cache"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        assert proc.poll() is None
        assert not (tmp_path / "out").exists()
    finally:
        os.close(fd)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "wrote out/pair.py" in out.splitlines()


@pytest.mark.parametrize("first", ["p", "p_types"])
def test_graphs_p_and_p_types_in_one_folder_are_refused_in_either_order(
    tmp_path: Path, first: str
) -> None:
    for name in ("p", "p_types"):
        (tmp_path / f"{name}.toml").write_text(
            SAME_NAME.format(which=name, field="text", node="step").replace(
                'name = "same"', f'name = "{name}"'
            )
        )
    (tmp_path / "same_nodes.py").write_text("def step(state: dict) -> None:\n    return None\n")
    second = "p_types" if first == "p" else "p"
    done = _compile(tmp_path, f"{first}.toml", "-o", "out")
    assert done.returncode == 0, done.stderr
    before = _files(tmp_path / "out")
    refused = _compile(tmp_path, f"{second}.toml", "-o", "out")
    shared = "out/p_types.py"
    if first == "p":
        message = (
            f"flowc: error: {shared} is the types module of graph `p`, and graph `p_types` "
            f"needs it as its runner module: the two graphs cannot share a folder; rename one "
            f"of them (or remove {shared} if graph `p` is gone)\n"
        )
    else:
        message = (
            f"flowc: error: {shared} is the runner module of graph `p_types`, and graph `p` "
            f"needs it as its types module: the two graphs cannot share a folder; rename one "
            f"of them (or remove {shared} if graph `p_types` is gone)\n"
        )
    assert (refused.returncode, refused.stdout, refused.stderr) == (1, "", message)
    assert _files(tmp_path / "out") == before


def test_generated_files_and_folders_honour_the_umask(tmp_path: Path) -> None:
    (tmp_path / "pair_nodes.py").write_text(NODES)
    _write_specs(tmp_path, "v1")
    previous = os.umask(0o022)
    try:
        done = _compile(tmp_path, "pair.toml", "-o", "out")
        assert done.returncode == 0, done.stderr
        _write_specs(tmp_path, "v2")
        again = _compile(tmp_path, "pair.toml", "-o", "out")  # a rewrite, in a new folder
        assert again.returncode == 0, again.stderr
    finally:
        os.umask(previous)
    out = tmp_path / "out"
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir() if p.is_file()}
    assert modes == dict.fromkeys(
        [
            "__init__.py",
            "pair.py",
            "pair_inner.py",
            "pair_inner_types.py",
            "pair_types.py",
            "py.typed",
        ],
        0o644,
    )


def test_a_folder_shared_with_your_files_is_written_file_by_file_and_keeps_them(
    tmp_path: Path,
) -> None:
    (tmp_path / "pair_nodes.py").write_text(NODES)
    _write_specs(tmp_path, "v1")
    out = tmp_path / "out"
    out.mkdir()
    (out / "__init__.py").write_text("# my package\n")
    (out / "helpers.py").write_text("VALUE = 1\n")
    (out / ".pair.py.abcd1234.tmp").write_text("left by an older flowc")
    inode = out.stat().st_ino
    done = _compile(tmp_path, "pair.toml", "-o", "out")
    assert done.returncode == 0, done.stderr
    assert out.stat().st_ino == inode  # not swapped: the user's files stay where they are
    assert (out / "__init__.py").read_text() == "# my package\n"
    assert (out / "helpers.py").read_text() == "VALUE = 1\n"
    assert sorted(p.name for p in out.iterdir() if p.name != "__pycache__") == [
        "__init__.py",
        "helpers.py",
        "pair.py",
        "pair_inner.py",
        "pair_inner_types.py",
        "pair_types.py",
        "py.typed",
    ]
    assert _run(tmp_path) == "x old old"


def test_a_folder_reached_through_a_symbolic_link_is_swapped_where_it_is(tmp_path: Path) -> None:
    (tmp_path / "pair_nodes.py").write_text(NODES)
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to("real")
    _write_specs(tmp_path, "v1")
    assert _compile(tmp_path, "pair.toml", "-o", "out").returncode == 0
    _write_specs(tmp_path, "v2")
    done = _compile(tmp_path, "pair.toml", "-o", "out")
    assert done.returncode == 0, done.stderr
    assert os.readlink(tmp_path / "out") == "real"
    assert "'pair': v2" in (tmp_path / "real" / "pair.py").read_text()
    assert _run(tmp_path) == "x new new"
