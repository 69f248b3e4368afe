"""The ``flowc`` command: check, compile, run, draw graph specs, print their schema, explain codes.

One module per command (:mod:`flowc.cli.check`, :mod:`~flowc.cli.compile`,
:mod:`~flowc.cli.run`, :mod:`~flowc.cli.draw`, :mod:`~flowc.cli.schema`,
:mod:`~flowc.cli.explain`), each over back ends that return values and never
print; this package is the only place that prints or exits.

Exit codes: 0 when all is well, 1 when a spec has errors (or, with
``compile --check``, when generated files are stale), 2 on usage errors,
130 when interrupted. No input, whatever its bytes, ends in a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

from flowc.cli import check, compile, draw, explain, run, schema
from flowc.cli._output import UsageError, error
from flowc.cli._project import python_path

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``flowc`` command and all its subcommands."""
    parser = argparse.ArgumentParser(
        prog="flowc", description="Check, compile, run and draw flowc graph specs."
    )
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--version", action="version", version=f"flowc {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in (check, compile, run, draw, schema, explain):
        command.add_parser(sub)
    return parser


def _version() -> str:
    from flowc import __version__

    return __version__


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``flowc`` console script (and of ``python -m flowc``)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if exc.code in (0, None) else 2
    added: list[str] = []
    try:
        targets = getattr(args, "targets", None) or [getattr(args, "target", None) or ""]
        added = python_path([t for t in targets if t])
        sys.path[:0] = added
        return int(args.func(args))
    except UsageError as exc:
        error(str(exc))
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        for folder in added:
            with contextlib.suppress(ValueError):
                sys.path.remove(folder)
