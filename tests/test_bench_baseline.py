"""``bench/run.py --baseline``: the flowc of another revision, renamed so both share a process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bench.flowc_bench.baseline import BaselineError, build, rename_package, resolve


def test_rename_package_renames_the_imports_a_generated_module_makes() -> None:
    source = textwrap.dedent(
        """\
        from __future__ import annotations

        from flowc import runtime as rt
        from flowc.runtime import (
            StreamWriter,  # from flowc.runtime
            deferred_form,
        )
        from flowc.runtime._engine import Plan
        import flowc.runtime.pool as pool
        from flowc_bench.nodes import inc as _impl_n0

        from . import sub as _graph_sub
        """
    )
    assert rename_package(source) == textwrap.dedent(
        """\
        from __future__ import annotations

        from flowc_base import runtime as rt
        from flowc_base.runtime import (
            StreamWriter,  # from flowc.runtime
            deferred_form,
        )
        from flowc_base.runtime._engine import Plan
        import flowc_base.runtime.pool as pool
        from flowc_bench.nodes import inc as _impl_n0

        from . import sub as _graph_sub
        """
    )


def test_rename_package_renames_module_paths_in_strings_and_uses_of_an_imported_name() -> None:
    source = textwrap.dedent(
        '''\
        """Loads ``flowc.integrations.langchain`` when "flowc.x" is named."""
        import os, flowc.cache

        _INTEGRATIONS = (("langchain_core", "flowc.integrations.langchain"),)
        root = os.path.dirname(flowc.__file__)
        if TYPE_CHECKING:
            from flowc.build import build
        '''
    )
    assert rename_package(source) == textwrap.dedent(
        '''\
        """Loads ``flowc.integrations.langchain`` when "flowc.x" is named."""
        import os, flowc_base.cache

        _INTEGRATIONS = (("langchain_core", "flowc_base.integrations.langchain"),)
        root = os.path.dirname(flowc_base.__file__)
        if TYPE_CHECKING:
            from flowc_base.build import build
        '''
    )


def test_rename_package_leaves_other_names_that_look_alike() -> None:
    source = textwrap.dedent(
        """\
        import flowc.runtime as rt
        from .flowc import helper
        from flowc_bench import nodes
        version = metadata.version("flowc")
        key = state["flowc"]
        name = f"flowc-worker-{n}"
        obj.flowc = flowc_error
        raise Failed from flowc_error
        """
    )
    # `import flowc.runtime as rt` binds `rt`: no name `flowc` to rename elsewhere
    assert rename_package(source) == source.replace(
        "import flowc.runtime", "import flowc_base.runtime"
    )


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _commit_fake_flowc(repo: Path, runtime: str) -> str:
    """A repository whose ``flowc`` compiles every spec but ``fanout.toml``."""
    (repo / "flowc" / "runtime").mkdir(parents=True)
    (repo / "flowc" / "__init__.py").write_text("")
    (repo / "flowc" / "runtime" / "__init__.py").write_text(runtime)
    (repo / "flowc" / "cli.py").write_text(
        textwrap.dedent(
            """\
            from pathlib import Path

            def main(argv):
                spec, out = Path(argv[1]), Path(argv[3])
                if spec.stem == "fanout":
                    print(f"{spec}:3:1: error[E200]: fan-out is not supported yet")
                    return 1
                out.mkdir(parents=True, exist_ok=True)
                (out / "__init__.py").write_text("")
                (out / f"{spec.stem}.py").write_text(
                    "from flowc import runtime as rt\\n"
                    "def stream(state, stream_mode):\\n"
                    "    return iter(rt.events(state))\\n"
                )
                print(f"wrote {out / spec.stem}.py")
                return 0
            """
        )
    )
    _git(repo, "init", "-q")
    _git(repo, "add", "flowc")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "fake flowc")
    return resolve(repo, "HEAD")


def _specs(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    paths = {name: folder / f"{name}.toml" for name in ("chain10", "fanout")}
    for path in paths.values():
        path.write_text("")
    return paths


def test_build_compiles_with_the_revisions_flowc_and_says_why_a_graph_did_not_compile(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    commit = _commit_fake_flowc(repo, "def events(state):\n    return [state]\n")
    out = tmp_path / "out"
    specs = _specs(tmp_path / "specs")

    assert build(repo, commit, specs, ["chain10", "fanout"], out, tmp_path) == {
        "chain10": None,
        "fanout": f"flowc compile at {commit[:12]} failed: "
        f"{specs['fanout']}:3:1: error[E200]: fan-out is not supported yet",
    }
    assert (
        (out / "flowc_bench_base" / "chain10.py")
        .read_text()
        .startswith("from flowc_base import runtime as rt\n")
    )
    probe = subprocess.run(
        [
            sys.executable,
            "-P",
            "-c",
            "import sys, flowc_bench_base.chain10 as m; "
            "print(list(m.stream({'count': 0}, 'updates')), "
            "sorted(n for n in sys.modules if n.split('.')[0] == 'flowc'))",
        ],
        env={"PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout == "[{'count': 0}] []\n"


def test_build_refuses_a_baseline_that_loads_the_flowc_being_measured(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    # a module name made at run time: no renaming can see it
    commit = _commit_fake_flowc(
        repo,
        "import importlib\n"
        "importlib.import_module('flo' + 'wc')\n"
        "def events(state):\n    return [state]\n",
    )
    out = tmp_path / "out"
    specs = _specs(tmp_path / "specs")
    flowc_root = Path(__file__).resolve().parent.parent  # where this flowc can be imported

    result = build(repo, commit, specs, ["chain10", "fanout"], out, flowc_root)

    # which modules of this flowc its package imports is this flowc's business
    assert result["chain10"].startswith(f"flowc at {commit[:12]} imports this flowc: flowc, ")
    assert result["fanout"].startswith(f"flowc compile at {commit[:12]} failed: ")


def test_resolve_names_a_revision_that_is_not_there(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _commit_fake_flowc(repo, "")
    with pytest.raises(BaselineError) as info:
        resolve(repo, "no-such-rev")
    assert str(info.value) == f"--baseline no-such-rev: not a revision of the repository at {repo}"


def test_a_case_counts_as_slower_when_its_medians_or_its_fastest_samples_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from bench import run  # puts bench/ on sys.path, as running it does

    def case(name: str, flowc: list[float], base: list[float]) -> run.Case:
        return run.Case(name, 10, stats={"flowc": run.Stats(flowc), "base": run.Stats(base)})

    cases = [
        case("even", [1.0, 1.1, 1.2], [1.0, 1.1, 1.2]),
        case("medians", [1.0, 1.2, 1.3], [1.0, 1.1, 1.2]),  # 1.2/1.1; fastest equal
        case("fastest", [1.1, 1.1, 1.1], [1.0, 1.1, 1.2]),  # medians equal; 1.1/1.0
        run.Case("no base", 10, stats={"flowc": run.Stats([1.0])}),
    ]
    run.print_slower(cases, "abc123")
    assert capsys.readouterr().out == (
        "  medians: flowc more than 5% slower than flowc at abc123: "
        "flowc/base 1.091 (medians), 1.000 (fastest samples)\n"
        "  fastest: flowc more than 5% slower than flowc at abc123: "
        "flowc/base 1.000 (medians), 1.100 (fastest samples)\n"
    )
    run.print_slower(cases[:1], "abc123")
    assert capsys.readouterr().out == (
        "  no case is more than 5% slower than flowc at abc123, in medians or fastest samples"
        " (1 compared)\n"
    )
