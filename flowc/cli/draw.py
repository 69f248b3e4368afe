"""``flowc draw``: print or write the picture of a graph (Mermaid, DOT, SVG, PNG)."""

from __future__ import annotations

import argparse

from flowc.cli._output import (
    add_color,
    add_graph_command,
    add_out,
    check_for_command,
    error,
    write_out,
)
from flowc.draw import DotMissing, picture, render_with_dot, to_dot, to_mermaid

__all__ = ["add_parser", "draw_command"]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``draw`` subcommand and its options."""
    p = add_graph_command(
        sub,
        "draw",
        draw_command,
        help="draw a graph (Mermaid, or SVG/PNG with Graphviz)",
        description="Draw a graph: Mermaid text (offline), or SVG/PNG through Graphviz's `dot`.",
    )
    p.add_argument("--format", choices=("mermaid", "dot", "svg", "png"), default="mermaid")
    add_out(p)
    p.add_argument("--xray", action="store_true", help="draw the inside of subgraphs")
    add_color(p)


def draw_command(args: argparse.Namespace) -> int:
    """``flowc draw`` with parsed arguments; returns the exit code."""
    graph = check_for_command(args.target, choice=args.color)
    if graph is None:
        return 1
    pic = picture(graph, xray=args.xray)
    data: bytes
    if args.format == "mermaid":
        data = to_mermaid(pic).encode("utf-8")
    elif args.format == "dot":
        data = to_dot(pic).encode("utf-8")
    else:
        try:
            data = render_with_dot(to_dot(pic), args.format)
        except (DotMissing, RuntimeError) as exc:
            error(str(exc))
            return 1
    return write_out(args.out, data)
