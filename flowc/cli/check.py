"""``flowc check``: check specs and report every diagnostic at once."""

from __future__ import annotations

import argparse
from pathlib import Path

from flowc.cli._output import UsageError, print_diagnostics
from flowc.cli._project import configured_specs, project, working_dir
from flowc.dsl.diagnostics import Diagnostic, dumps
from flowc.dsl.load import check_target, spec_folder_modules_forgotten

__all__ = ["add_parser", "cmd_check"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``check`` subcommand and its options."""
    p = sub.add_parser("check", help="check specs and report every problem")
    p.add_argument("targets", nargs="*", metavar="SPEC", help="spec.toml or module:attribute")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    """Check specs and report every diagnostic at once (``--format json``: as a JSON list).

    Exit 0 when every spec is clean, 1 when any has an error. Specs named in
    ``[tool.flowc]`` are checked from the folder of that ``pyproject.toml``.
    """
    if args.targets:
        targets, base = list(args.targets), Path.cwd()
    else:
        root, config = project()
        if root is None:
            raise UsageError("no spec given (and no pyproject.toml with a [tool.flowc] table)")
        targets, base = configured_specs(root, config), root
    diags: list[Diagnostic] = []
    texts: dict[str, list[str]] = {}
    with working_dir(base):
        for target in targets:
            with spec_folder_modules_forgotten():
                result = check_target(target)
            diags.extend(result.diagnostics)
            texts.update(result.source_map.texts)
    # a subgraph shared by several targets reports its own mistakes once
    diags = list(dict.fromkeys(diags))
    if args.format == "json":
        print(dumps(diags))
    elif diags:
        print_diagnostics(diags, texts, args.color)
    else:
        print(f"all good: {len(targets)} spec{'s' if len(targets) != 1 else ''} checked")
    return 1 if any(d.severity.value == "error" for d in diags) else 0
