"""``flowc explain CODE``: what a diagnostic code means (``flowc explain`` alone: every code).

As ``rustc --explain`` and ``ruff rule`` do, the text comes from the registry
(:mod:`flowc.dsl.codes`) that the docs are tested against.
"""

from __future__ import annotations

import argparse
import difflib
import textwrap

from flowc.cli._output import UsageError
from flowc.dsl.codes import CODES, SECTIONS, Code, lookup

__all__ = ["add_parser", "explain_command", "explanation"]

WIDTH = 88


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``explain`` subcommand and its options."""
    p = sub.add_parser(
        "explain",
        help="explain a diagnostic code (E306...); without one, list them all",
        description="Print what a diagnostic code means; without a code, list every code.",
    )
    p.add_argument("code", nargs="?", metavar="CODE", help="a code, as in error[E306]")
    p.set_defaults(func=explain_command)


def explanation(code: Code) -> str:
    """``E306: title``, a blank line, and the explanation wrapped for a terminal."""
    body = textwrap.fill(code.explanation, WIDTH, break_long_words=False, break_on_hyphens=False)
    return f"{code.code}: {code.title}\n\n{body}\n"


def listing() -> str:
    """Every code with its title, by family."""
    out: list[str] = []
    for prefix, heading in SECTIONS:
        out.append(f"{prefix}xx: {heading}")
        out.extend(f"  {c.code}  {c.title}" for c in CODES.values() if c.code.startswith(prefix))
    return "\n".join(out) + "\n"


def explain_command(args: argparse.Namespace) -> int:
    """``flowc explain`` with parsed arguments; returns the exit code.

    Raises:
        UsageError: if the code is not one of flowc's.
    """
    if args.code is None:
        print(listing(), end="")
        return 0
    found = lookup(args.code)
    if found is None:
        close = difflib.get_close_matches(args.code.strip().upper(), CODES, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise UsageError(
            f"{args.code!r} is not a flowc diagnostic code{hint} (`flowc explain` lists them)"
        )
    print(explanation(found), end="")
    return 0
