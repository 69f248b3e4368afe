"""A picture (:class:`flowc.drawing.DrawableGraph`) as Mermaid text, as LangGraph's
``draw_mermaid()`` writes it: ids, labels, arrows, styles, subgraph blocks.

Both pictures flowc draws are written by :func:`render`: ``flowc draw``'s
(:func:`flowc.draw.to_mermaid`, from a checked graph) and the drop-in's
``get_graph().draw_mermaid()``. The helpers take names and labels from the
user's graph and give text that cannot break out of its place in the chart.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowc.drawing import DrawableGraph, DrawnEdge, DrawnNode

__all__ = [
    "FRONT_MATTER",
    "STYLES",
    "mermaid_arrow",
    "mermaid_id",
    "mermaid_label",
    "mermaid_text",
    "render",
]

FRONT_MATTER = "---\nconfig:\n  flowchart:\n    curve: linear\n---\n"
"""What comes before ``graph TD;`` when the chart has styles."""

STYLES = "".join(
    f"\tclassDef {name} {style}\n"
    for name, style in (
        ("default", "fill:#f2f0ff,line-height:1.2"),
        ("first", "fill-opacity:0"),
        ("last", "fill:#bfb6fc"),
    )
)
"""The classes of the boxes (``first`` is START's, ``last`` END's), at the end of the chart."""

_SAFE = frozenset(string.ascii_letters + string.digits + "_-")
_MARKDOWN_SPECIAL = ("*", "_", "`")


def mermaid_id(node_id: str) -> str:
    """LangGraph's escaping of a node id: ``sub:x`` → ``sub\\3ax``."""
    return "".join(ch if ch in _SAFE else "\\" + format(ord(ch), "x") for ch in node_id)


def mermaid_text(text: str) -> str:
    """Text made safe inside a Mermaid label: only letters, digits, ``_``, ``-`` and spaces stay.

    Anything else becomes Mermaid's entity code (``#59;`` for ``;``, ``#10;``
    for a line break), which Mermaid shows as the character itself: a path-map
    key cannot end the statement it is in and start another (``click ...``).
    """
    return "".join(ch if ch.isalnum() or ch in "_- " else f"#{ord(ch)};" for ch in text)


def mermaid_label(name: str) -> str:
    """A box's label: its name made safe, in a paragraph when Markdown would read it
    (``_a_`` would be emphasis), as LangGraph writes it."""
    text = mermaid_text(name)
    if text.startswith(_MARKDOWN_SPECIAL) and text.endswith(_MARKDOWN_SPECIAL):
        return f"<p>{text}</p>"
    return text


def mermaid_arrow(label: str | None, *, conditional: bool, wrap: int | None = None) -> str:
    """The arrow between two ids: dotted when ``conditional``, with its label made safe and,
    past ``wrap`` words, broken into lines of ``wrap`` words (LangGraph's ``wrap_label_n_words``)."""
    if label is None:
        return " -.-> " if conditional else " --> "
    text = mermaid_text(label)
    words = [mermaid_text(word) for word in label.split()]
    if wrap is not None and len(words) > wrap:
        text = "&nbsp<br>&nbsp".join(
            " ".join(words[i : i + wrap]) for i in range(0, len(words), wrap)
        )
    return f" -. &nbsp;{text}&nbsp; .-> " if conditional else f" -- &nbsp;{text}&nbsp; --> "


_LABEL_ESCAPES = {
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "{": "#123;",
    "}": "#125;",
    '"': "#quot;",
    "<": "#60;",
    ">": "#62;",
    "|": "#124;",
}


def render(
    graph: DrawableGraph,
    *,
    first: str | None,
    last: str | None,
    with_styles: bool = True,
    wrap: int | None = 9,
) -> str:
    """``graph`` as Mermaid flowchart text, as LangGraph's ``draw_mermaid()`` writes it.

    ``first`` and ``last`` are the ids of the boxes drawn as the start and the
    end; labels of more than ``wrap`` words are broken into lines. Subgraph
    nodes (ids ``outer:inner``) are drawn in ``subgraph`` blocks with the
    edges between them.
    """
    formats = {"": "{0}({1})"}
    if first is not None:
        formats[first] = "{0}([{1}]):::first"
    if last is not None:
        formats[last] = "{0}([{1}]):::last"
    out = [FRONT_MATTER + "graph TD;\n" if with_styles else "graph TD;\n"]
    nested: dict[str, dict[str, DrawnNode]] = {}
    regular: dict[str, DrawnNode] = {}
    for key, node in graph.nodes.items():
        if ":" in key:
            nested.setdefault(key.rsplit(":", 1)[0], {})[key] = node
        else:
            regular[key] = node

    def render(key: str, node: DrawnNode) -> str:
        label = mermaid_label(node.name.split(":")[-1])
        lines = _metadata_lines(node.metadata or {})
        if lines:
            label = f"{label}<hr/><small><em>" + "\n".join(lines) + "</em></small>"
        return "\t" + formats.get(key, formats[""]).format(mermaid_id(key), label) + "\n"

    if with_styles:
        out.extend(render(k, n) for k, n in regular.items())
    groups: dict[str, list[DrawnEdge]] = {}
    for edge in graph.edges:
        common = ":".join(
            s
            for s, t in zip(edge.source.split(":"), edge.target.split(":"), strict=False)
            if s == t
        )
        groups.setdefault(common, []).append(edge)
    seen: set[str] = set()

    def group(edges: list[DrawnEdge], prefix: str) -> None:
        self_loop = len(edges) == 1 and edges[0].source == edges[0].target
        if prefix and not self_loop:
            name = prefix.rsplit(":", 1)[-1]
            if name in seen:
                raise ValueError(
                    f"Found duplicate subgraph '{name}' -- this likely means that you're reusing "
                    "a subgraph node with the same name. Please adjust your graph to have "
                    "subgraph nodes with unique names."
                )
            seen.add(name)
            out.append(f"\tsubgraph {mermaid_text(name)}\n")
            if with_styles and prefix in nested:
                out.extend(render(k, n) for k, n in nested[prefix].items())
        for edge in edges:
            out.append(_edge_line(edge, wrap))
        for inner, inner_edges in groups.items():
            if not inner.startswith(prefix + ":") or inner == prefix:
                continue
            if ":" in inner[len(prefix) + 1 :]:
                continue
            group(inner_edges, inner)
        if prefix and not self_loop:
            out.append("\tend\n")

    group(groups.get("", []), "")
    for prefix, edges in groups.items():
        if not prefix or ":" in prefix:
            continue
        group(edges, prefix)
        seen.add(prefix)
    if with_styles:
        for prefix, members in nested.items():
            if ":" not in prefix and prefix not in seen:
                out.append(f"\tsubgraph {mermaid_text(prefix)}\n")
                out.extend(render(k, n) for k, n in members.items())
                out.append("\tend\n")
        out.append(STYLES)
    return "".join(out)


def _edge_line(edge: DrawnEdge, wrap: int | None) -> str:
    src, dst = mermaid_id(edge.source), mermaid_id(edge.target)
    if edge.join:
        # LangGraph draws no joins: a thick arrow of flowc's own
        label = mermaid_text(edge.data) if edge.data else "join"
        return f"\t{src} == &nbsp;{label}&nbsp; ==> {dst};\n"
    return f"\t{src}{mermaid_arrow(edge.data, conditional=edge.conditional, wrap=wrap)}{dst};\n"


def _metadata_lines(metadata: Mapping[str, Any]) -> list[str]:
    lines = []
    for key, value in metadata.items():
        shown = _metadata_value(value)
        if shown is not None:
            text = f"{key} = {shown}".replace("#", "#35;")
            for char, entity in _LABEL_ESCAPES.items():
                text = text.replace(char, entity)
            lines.append(text)
    return lines


def _metadata_value(value: Any) -> str | None:
    scalars = (str, int, float, bool)
    if isinstance(value, scalars):
        return str(value)
    if isinstance(value, list | tuple | set) and all(isinstance(v, scalars) for v in value):
        items = [str(v) for v in value]
        return ", ".join(sorted(items) if isinstance(value, set) else items)
    return None
