"""What every command prints the same way: colour, errors, diagnostics, ``--out`` files.

The layers below the CLI return values (diagnostics, checked graphs, pictures,
schemas); this module is where they become text on stdout and stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flowc.dsl.diagnostics import Diagnostic, render_all
from flowc.dsl.graph import CheckedGraph
from flowc.dsl.load import check_target, is_toml_target

__all__ = [
    "UsageError",
    "add_color",
    "add_graph_command",
    "add_out",
    "add_target",
    "check_for_command",
    "color",
    "error",
    "import_failure",
    "internal_error",
    "print_diagnostics",
    "write_out",
]


class UsageError(Exception):
    """Bad command-line use (exit 2)."""


def add_target(p: argparse.ArgumentParser) -> None:
    """The graph a command reads: ``SPEC``."""
    p.add_argument("target", metavar="SPEC", help="spec.toml or module:attribute")


def add_graph_command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    func: Callable[[argparse.Namespace], int],
    *,
    help: str,
    description: str,
) -> argparse.ArgumentParser:
    """The subparser of a command over one graph: its ``SPEC`` argument, and ``func`` to run."""
    p = sub.add_parser(name, help=help, description=description)
    add_target(p)
    p.set_defaults(func=func)
    return p


def add_out(p: argparse.ArgumentParser) -> None:
    """``-o/--out FILE`` of a command that prints one result."""
    p.add_argument("-o", "--out", metavar="FILE", help="write to FILE instead of standard output")


def add_color(p: argparse.ArgumentParser, default: str | None = None) -> None:
    """``--color`` (by default the one given before the command, ``flowc --color ...``)."""
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default=argparse.SUPPRESS if default is None else default,
    )


def color(choice: str, stream: Any) -> bool:
    """Colour for ``--color`` on ``stream``: always, never, or auto (a terminal, no ``NO_COLOR``)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def error(text: str) -> None:
    """``flowc: error: text`` on stderr."""
    print(f"flowc: error: {text}", file=sys.stderr)


def internal_error(text: str) -> None:
    """``flowc: internal error: text`` on stderr: a flowc bug, not the user's mistake."""
    print(f"flowc: internal error: {text}", file=sys.stderr)


def print_diagnostics(
    diags: Sequence[Diagnostic], texts: dict[str, list[str]], choice: str
) -> None:
    """Every diagnostic, with a count, on stderr (nothing when there are none)."""
    if not diags:
        return
    print(render_all(diags, texts, color=color(choice, sys.stderr)), file=sys.stderr)


def check_for_command(target: str, *, choice: str) -> CheckedGraph | None:
    """Check ``target`` for a command: the graph, or ``None`` after printing
    its diagnostics to stderr.

    Node references in a TOML spec are imported relative to the spec's folder,
    so that folder stays importable for the rest of the command (which imports
    the generated runner and, through it, the nodes).
    """
    if is_toml_target(target):
        folder = str(Path(target).resolve().parent)
        if folder not in sys.path:
            sys.path.insert(0, folder)
    result = check_target(target)
    if result.graph is None:
        text = render_all(
            result.diagnostics, result.source_map.texts, color=color(choice, sys.stderr)
        )
        print(text, file=sys.stderr)
    return result.graph


def import_failure(graph: str, exc: Exception) -> str:
    """What to say when a runner cannot be generated or imported (a flowc bug, not the user's)."""
    return (
        f"cannot build the runner of graph {graph!r}: {type(exc).__name__}: "
        f"{str(exc).strip()} (please report this)"
    )


def write_out(out: str | None, data: str | bytes) -> int:
    """``data`` to the file ``--out`` names (saying so on stderr), else to stdout; the exit code.

    Text goes to stdout as text (so a redirected ``sys.stdout`` gets it), bytes
    (a PNG) to its binary buffer.
    """
    if out:
        try:
            if isinstance(data, str):
                Path(out).write_text(data, encoding="utf-8")
            else:
                Path(out).write_bytes(data)
        except OSError as exc:
            error(f"cannot write {out}: {exc.strerror}")
            return 1
        print(f"wrote {out}", file=sys.stderr)
    elif isinstance(data, str):
        sys.stdout.write(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
