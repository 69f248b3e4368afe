"""The benchmark graphs as TOML specs, written into a folder.

Every graph runs the functions of :mod:`flowc_bench.nodes`; the LangGraph and
hand-written versions (:mod:`flowc_bench.langgraph_graphs`,
:mod:`flowc_bench.handwritten`) are built from the same node lists below, so
that the three implementations run the same graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # the drop-in's fresh-process probe imports this module: no pathlib it does not need
    from pathlib import Path

NODES = "flowc_bench.nodes"
FAN_WIDTH = 50
SUB_CHAIN = 5


def chain_names(n: int) -> list[str]:
    """Node names of an ``n``-node chain, in order."""
    width = len(str(n - 1))
    return [f"n{i:0{width}d}" for i in range(n)]


def fan_names() -> list[str]:
    """Names of the parallel nodes of the fan-out graph (sorted, as LangGraph orders them)."""
    return [f"f{i:02d}" for i in range(FAN_WIDTH)]


PARENT = ("p0", "p1", "middle", "p3", "p4")
"""The parent graph of the subgraph case; ``middle`` runs the 5-node subgraph."""


ROUTER_HEAD = ("a0", "a1", "a2")
"""The router graph: a chain whose last node routes (``to_fan``) to ``b0``, ..."""
ROUTER_FAN = ("p0", "p1", "p2")
"""... which fans out to three parallel nodes (``p0`` calls the writer), joined by ``c0``, ..."""
ROUTER_TAIL = ("c0", "c1", "c2", "d0", "d1")
"""... then ``c1`` routes (``to_tail``) to ``c2``, and a chain to END: twelve nodes."""
SLEEPERS = 8
"""Parallel nodes of the sleep graph, each sleeping ``nodes.NAP_SECONDS``."""


def sleep_names() -> list[str]:
    """Node names of the parallel-sleep graph's sleepers."""
    return [f"z{i}" for i in range(SLEEPERS)]


def sub_names() -> list[str]:
    """Node names of the subgraph."""
    return [f"s{i}" for i in range(SUB_CHAIN)]


def _quoted(names: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{n}"' for n in names) + "]"


WRITER_AT = 4
"""The one node (by position) that calls its writer in the single-writer chain."""
SUB_WRITER = "s2"
"""The one node of the streaming subgraph that calls its writer."""


def chain_toml(name: str, n: int, fn: str = "inc", writer_at: int | None = None) -> str:
    """A chain of ``n`` nodes, each calling ``fn`` (the one at ``writer_at``: ``inc_write``)."""
    names = chain_names(n)
    lines = [
        "[graph]",
        f'name = "{name}"',
        "",
        "[state.fields]",
        'count = "int"',
        "",
    ]
    for index, node in enumerate(names):
        call = "inc_write" if index == writer_at else fn
        lines += [f"[nodes.{node}]", f'call = "{NODES}:{call}"', ""]
    lines += ["[[edges]]", f"chain = {_quoted(['START', *names, 'END'])}", ""]
    return "\n".join(lines)


def fan_toml() -> str:
    """``FAN_WIDTH`` parallel nodes appending to a list, then a join node."""
    names = fan_names()
    lines = [
        "[graph]",
        'name = "fanout"',
        "",
        "[state.fields]",
        'count = "int"',
        'items = { type = "list[int]", reducer = "add" }',
        "",
    ]
    for node in names:
        lines += [f"[nodes.{node}]", f'call = "{NODES}:fan"', ""]
    lines += [
        "[nodes.join]",
        f'call = "{NODES}:join"',
        "",
        "[[edges]]",
        'from = "START"',
        f"to = {_quoted(names)}",
        "",
        "[[edges]]",
        f"from = {_quoted(names)}",
        'to = "join"',
        "",
        "[[edges]]",
        'from = "join"',
        'to = "END"',
        "",
    ]
    return "\n".join(lines)


def loop_toml() -> str:
    """One node that routes back to itself until the count reaches the limit."""
    return "\n".join(
        [
            "[graph]",
            'name = "loop"',
            "",
            "[state.fields]",
            'count = "int"',
            "",
            "[nodes.tick]",
            f'call = "{NODES}:inc"',
            "",
            "[[edges]]",
            'from = "START"',
            'to = "tick"',
            "",
            "[[branches]]",
            'from = "tick"',
            f'router = "{NODES}:again"',
            'targets = ["tick", "END"]',
            "",
        ]
    )


def parent_toml(name: str = "parent", sub: str = "sub.toml") -> str:
    """Five nodes whose middle one is the subgraph of :func:`sub_toml` (or of ``sub``)."""
    lines = ["[graph]", f'name = "{name}"', "", "[state.fields]", 'count = "int"', ""]
    for node in PARENT:
        if node == "middle":
            lines += ["[nodes.middle]", f'subgraph = "{sub}"', ""]
        else:
            lines += [f"[nodes.{node}]", f'call = "{NODES}:inc"', ""]
    lines += ["[[edges]]", f"chain = {_quoted(['START', *PARENT, 'END'])}", ""]
    return "\n".join(lines)


def router_toml() -> str:
    """The 12-node graph with two routers and a 3-way parallel step (see ``ROUTER_HEAD``)."""
    lines = [
        "[graph]",
        'name = "router12"',
        "",
        "[state.fields]",
        'count = "int"',
        'items = { type = "list[int]", reducer = "add" }',
        "",
    ]
    for node in (*ROUTER_HEAD, "b0", *ROUTER_TAIL):
        lines += [f"[nodes.{node}]", f'call = "{NODES}:inc"', ""]
    for node in ROUTER_FAN:
        fn = "fan_write" if node == "p0" else "fan"
        lines += [f"[nodes.{node}]", f'call = "{NODES}:{fn}"', ""]
    lines += [
        "[[edges]]",
        f"chain = {_quoted(['START', *ROUTER_HEAD])}",
        "",
        "[[branches]]",
        'from = "a2"',
        f'router = "{NODES}:to_fan"',
        'targets = ["b0", "END"]',
        "",
        "[[edges]]",
        'from = "b0"',
        f"to = {_quoted(ROUTER_FAN)}",
        "",
        "[[edges]]",
        f"from = {_quoted(ROUTER_FAN)}",
        'to = "c0"',
        "",
        "[[edges]]",
        'chain = ["c0", "c1"]',
        "",
        "[[branches]]",
        'from = "c1"',
        f'router = "{NODES}:to_tail"',
        'targets = ["c2", "END"]',
        "",
        "[[edges]]",
        'chain = ["c2", "d0", "d1", "END"]',
        "",
    ]
    return "\n".join(lines)


def sleep_toml() -> str:
    """``SLEEPERS`` parallel nodes that sleep, then a join node."""
    names = sleep_names()
    lines = [
        "[graph]",
        'name = "sleep8"',
        "",
        "[state.fields]",
        'count = "int"',
        'items = { type = "list[int]", reducer = "add" }',
        "",
    ]
    for node in names:
        lines += [f"[nodes.{node}]", f'call = "{NODES}:nap"', ""]
    lines += [
        "[nodes.join]",
        f'call = "{NODES}:join"',
        "",
        "[[edges]]",
        'from = "START"',
        f"to = {_quoted(names)}",
        "",
        "[[edges]]",
        f"from = {_quoted(names)}",
        'to = "join"',
        "",
        "[[edges]]",
        'from = "join"',
        'to = "END"',
        "",
    ]
    return "\n".join(lines)


def sub_toml() -> str:
    """The subgraph: a chain of ``SUB_CHAIN`` nodes."""
    return chain_toml("sub", SUB_CHAIN)


def subw_toml() -> str:
    """The streaming subgraph: a chain of ``SUB_CHAIN`` nodes, ``SUB_WRITER`` calling its writer."""
    return chain_toml("subw", SUB_CHAIN, writer_at=sub_names().index(SUB_WRITER))


def write_specs(folder: Path) -> dict[str, Path]:
    """Write every benchmark spec into ``folder``; returns them by graph name."""
    texts = {
        "chain10": chain_toml("chain10", 10),
        "chain10w": chain_toml("chain10w", 10, "inc_write"),
        "chain10w1": chain_toml("chain10w1", 10, writer_at=WRITER_AT),
        "parentw": parent_toml("parentw", "subw.toml"),
        "subw": subw_toml(),
        "chain100": chain_toml("chain100", 100),
        "fanout": fan_toml(),
        "loop": loop_toml(),
        "parent": parent_toml(),
        "sub": sub_toml(),
        "chain1000": chain_toml("chain1000", 1000),
        "router12": router_toml(),
        "sleep8": sleep_toml(),
    }
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in texts.items():
        path = folder / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths
