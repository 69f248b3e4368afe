"""Mermaid's syntax as LangGraph's ``draw_mermaid()`` writes it: ids, labels, arrows, styles.

Both pictures flowc draws write their text with these: ``flowc draw``
(:func:`flowc.draw.to_mermaid`, from a checked graph) and the drop-in's
``get_graph().draw_mermaid()`` (:mod:`flowc.langgraph._draw`, from a
builder, node for node as LangGraph draws it). Each takes names and labels
from the user's graph and gives text that cannot break out of its place in
the chart.
"""

from __future__ import annotations

import string

__all__ = [
    "FRONT_MATTER",
    "STYLES",
    "mermaid_arrow",
    "mermaid_id",
    "mermaid_label",
    "mermaid_text",
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
