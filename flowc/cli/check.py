"""``flowc check``: check specs and report every diagnostic at once."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from flowc.cli._output import UsageError, add_color, print_diagnostics
from flowc.cli._project import configured_specs, project, working_dir
from flowc.dsl.diagnostics import Diagnostic, dumps, to_json
from flowc.dsl.graph import CheckedGraph
from flowc.dsl.load import check_target, spec_folder_modules_forgotten

__all__ = ["add_parser", "cmd_check"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``check`` subcommand and its options."""
    p = sub.add_parser("check", help="check specs and report every problem")
    p.add_argument("targets", nargs="*", metavar="SPEC", help="spec.toml or module:attribute")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_color(p, "auto")
    p.add_argument(
        "--against-db",
        metavar="URL",
        help="also report the threads of this SQLite file or postgresql:// database that "
        "the specs' state schemas could not go on from",
    )
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
    graphs: list[CheckedGraph] = []
    with working_dir(base):
        for target in targets:
            with spec_folder_modules_forgotten():
                result = check_target(target)
            diags.extend(result.diagnostics)
            texts.update(result.source_map.texts)
            if result.graph is not None:
                graphs.append(result.graph)
    failed = any(d.severity.value == "error" for d in diags)
    if args.against_db is not None and not failed:
        return _against_db(args, diags, texts, graphs)
    # a subgraph shared by several targets reports its own mistakes once
    diags = list(dict.fromkeys(diags))
    if args.format == "json":
        print(dumps(diags))
    elif diags:
        print_diagnostics(diags, texts, args.color)
    else:
        print(f"all good: {len(targets)} spec{'s' if len(targets) != 1 else ''} checked")
    return 1 if failed else 0


def _against_db(
    args: argparse.Namespace,
    diags: list[Diagnostic],
    texts: dict[str, list[str]],
    graphs: list[CheckedGraph],
) -> int:
    """Report the threads of ``--against-db`` the specs could not go on from (exit 1 if any)."""
    # the savers and the code generator's view are loaded only by this option
    from flowc.cli._against_db import broken_threads

    count, broken = broken_threads(args.against_db, graphs)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "diagnostics": to_json(diags),
                    "threads": count,
                    "broken": [
                        {
                            "graph": b.graph,
                            "thread_id": b.thread_id,
                            "checkpoint_id": b.checkpoint_id,
                            "changes": list(b.changes),
                        }
                        for b in broken
                    ],
                },
                indent=2,
            )
        )
        return 1 if broken else 0
    if diags:
        print_diagnostics(diags, texts, args.color)
    for b in broken:
        print(
            f"{args.against_db}: thread {b.thread_id!r} (checkpoint {b.checkpoint_id}) cannot "
            f"go on under graph {b.graph!r}: {'; '.join(b.changes)}"
        )
    if broken:
        threads = len({b.thread_id for b in broken})
        print(f"{threads} of {count} thread{'s' if count != 1 else ''} would break")
        return 1
    print(f"all good: {count} thread{'s' if count != 1 else ''} in {args.against_db} can go on")
    return 0
