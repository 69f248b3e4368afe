"""The package's own names: ``flowc.build`` is the function whatever is imported first.

The function lives in :mod:`flowc.inmemory`; no submodule is called ``build``,
so importing submodules never rebinds the name and the package is a plain
module (no class of its own to guard the name).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_fresh(code: str) -> str:
    """What ``code`` prints in a new interpreter (so that nothing is imported yet)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_flowc_build_is_the_function_after_its_module_and_the_cli_are_imported() -> None:
    out = run_fresh(
        """
        import types, flowc
        import flowc.inmemory, flowc.cli, flowc.cache
        from flowc import build
        print(build is flowc.build is flowc.inmemory.build, callable(flowc.build))
        print(type(flowc) is types.ModuleType)
        """
    )
    assert out == "True True\nTrue\n"


def test_flowc_build_is_the_function_when_it_is_named_first() -> None:
    out = run_fresh(
        """
        import flowc
        first = flowc.build
        import flowc.inmemory
        print(first is flowc.build, first.__module__)
        """
    )
    assert out == "True flowc.inmemory\n"


def test_there_is_no_submodule_named_build() -> None:
    out = run_fresh(
        """
        try:
            import flowc.build
        except ModuleNotFoundError as exc:
            print(exc.name)
        """
    )
    assert out == "flowc.build\n"


def test_codegen_validate_is_the_function_whatever_stage_is_imported_first() -> None:
    # the codegen stages are imported lazily; the stage `validate` shares its function's name
    out = run_fresh(
        """
        from flowc.codegen import TemplateError, render_graph, validate
        import flowc.codegen
        print(validate.__module__, callable(validate), flowc.codegen.validate is validate)
        from flowc.codegen import generate
        print(TemplateError.__name__, render_graph.__module__)
        """
    )
    assert out == "flowc.codegen.validation True True\nTemplateError flowc.codegen.render\n"
