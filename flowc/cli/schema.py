"""``flowc schema``: print or write the JSON Schema of a graph's jsonl stream."""

from __future__ import annotations

import argparse
import json

from flowc.cache import load_cached
from flowc.cli._output import (
    add_color,
    add_graph_command,
    add_out,
    check_for_command,
    import_failure,
    internal_error,
    write_out,
)
from flowc.schema import graph_schema

__all__ = ["add_parser", "schema_command"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``schema`` subcommand and its options."""
    p = add_graph_command(
        sub,
        "schema",
        schema_command,
        help="JSON Schema of a graph's input, state, updates and events",
        description="Print the JSON Schema of a graph's input, state, updates and stream events.",
    )
    add_out(p)
    add_color(p)


def schema_command(args: argparse.Namespace) -> int:
    """``flowc schema`` with parsed arguments; returns the exit code."""
    graph = check_for_command(args.target, choice=args.color)
    if graph is None:
        return 1
    try:
        module = load_cached(graph)
    except Exception as exc:
        internal_error(import_failure(graph.name, exc))
        return 3
    text = json.dumps(graph_schema(graph, module), indent=2, ensure_ascii=False) + "\n"
    return write_out(args.out, text)
