"""The runners of the conformance graphs pass ``mypy --strict``.

They cover what the example specs do not: routers from START and from nodes
(sync and async, returning names or lists), joins, dataclass and pydantic
states, node input schemas and metadata.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SPECS

GRAPHS = [
    "routed",
    "async_routed",
    "fanin_join",
    "fanin_separate",
    "dataclass_state",
    "pydantic_state",
    "meta",
    "parallel",
    "async_parallel",
    "empty_writes",
    "error_midway",
    "error_parallel",
]


def test_generated_runners_of_the_conformance_graphs_pass_mypy_strict(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SPECS), str(ROOT)])}
    targets = [f"tests.conformance.graphs:{name}" for name in GRAPHS]
    compiled = subprocess.run(
        [str(bin_dir / "flowc"), "compile", *targets, "-o", str(tmp_path / "gen")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    checked = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "gen"],
        cwd=tmp_path,
        env={**env, "MYPYPATH": env["PYTHONPATH"]},
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
