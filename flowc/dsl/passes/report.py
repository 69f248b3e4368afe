"""What every pass of the checker shares: a list of diagnostics and the words of messages.

A :class:`Pass` gathers the diagnostics it finds, in order, each located
through the spec's :class:`SourceMap`; the checker (:mod:`flowc.dsl.checker`)
runs the passes one after another and keeps their lists in that order. The
functions below word the parts of messages that several passes write.
"""

from __future__ import annotations

import difflib
import inspect
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Loc, Severity, SourceMap, Span
from ..spec import END
from ..types import TypeExprError, TypeRef, resolve_type

__all__ = [
    "Pass",
    "a_value",
    "and_list",
    "article",
    "did_you_mean",
    "name_of",
    "node_list",
    "origin_key",
    "plain_signature",
    "ref_hint",
    "short_origin",
    "show_node",
    "type_hint",
]


class Pass:
    """One pass's diagnostics, gathered in the order it finds them (never raised)."""

    def __init__(self, smap: SourceMap) -> None:
        self.smap = smap
        self.diags: list[Diagnostic] = []

    def span(self, loc: Loc) -> Span | None:
        """Where ``loc`` was written (or the nearest part of the spec that was)."""
        return self.smap.get(loc)

    def error(self, code: str, message: str, loc: Loc, hint: str | None = None) -> None:
        """Report an error at ``loc``."""
        self.diags.append(Diagnostic.error(code, message, self.span(loc), hint))

    def has_errors(self) -> bool:
        """Whether this pass has reported an error."""
        return any(d.severity is Severity.ERROR for d in self.diags)

    def resolve_type_expr(self, expr: str | None, loc: Loc) -> TypeRef | None:
        """The type a spec's type expression names; reported at ``loc`` when it does not resolve."""
        if expr is None:
            return None
        try:
            return resolve_type(expr)
        except TypeExprError as exc:
            shown = expr if len(expr) <= 80 else f"{expr[:60]}... ({len(expr)} characters)"
            self.error("E302", f"type `{shown}` does not resolve: {exc}", loc, type_hint(str(exc)))
            return None


_ARTICLES = {
    str: "a string",
    bytes: "bytes",
    bool: "a boolean",
    int: "an integer",
    float: "a float",
    list: "a list",
}


def article(value: Any) -> str:
    """``a string``, ``an integer``...: what a default value is, in a message (a TOML
    table is ``a table``)."""
    if type(value) is dict:
        return "a table"
    return _ARTICLES.get(type(value), type(value).__name__)


def a_value(value: object) -> str:
    """``value``'s type with an article: ``a string``, ``an integer``, ``a dict``."""
    return _ARTICLES.get(type(value), f"a {type(value).__name__}")


def show_node(name: str) -> str:
    """A node name as messages show it (END by its constant's name)."""
    return "END" if name == END else name


def node_list(names: Iterable[str]) -> str:
    """```a`, `b``, or ``none``."""
    shown = [f"`{show_node(n)}`" for n in names]
    return ", ".join(shown) if shown else "none"


def and_list(names: Sequence[str]) -> str:
    """```a`, `b` and `c``."""
    shown = [f"`{n}`" for n in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def origin_key(origin: str) -> str:
    """What makes two origins the same spec: the real path of a file, else the reference."""
    return os.path.realpath(origin) if origin.endswith(".toml") else origin


def short_origin(origin: str) -> str:
    """A spec's origin as a chain of graphs shows it: a file's name, or ``module:attr``."""
    return Path(origin).name if origin.endswith(".toml") else origin


def name_of(obj: Any) -> str:
    """How a message names a user's function or class."""
    return (
        getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or type(obj).__name__
    )


def plain_signature(sig: inspect.Signature) -> str:
    """A signature without its annotations: ``(state, extra)``."""
    return (
        "(" + ", ".join(str(p.replace(annotation=p.empty)) for p in sig.parameters.values()) + ")"
    )


def did_you_mean(name: str, options: Sequence[str]) -> str | None:
    """A hint naming the option closest to ``name``, if one is close."""
    close = difflib.get_close_matches(name, list(options), n=1)
    return f"did you mean `{close[0]}`?" if close else None


def ref_hint(ref: str) -> str | None:
    """A hint for a ``module:name`` reference that did not resolve."""
    if "<" in ref:
        return "define it at module level"
    if ":" not in ref and "." in ref:
        module, _, attr = ref.rpartition(".")
        return f"write `{module}:{attr}`: a colon separates the module from the name"
    return None


def type_hint(message: str) -> str | None:
    """A hint for a type expression that did not resolve."""
    if message.startswith("unknown type name"):
        return "builtins, `typing` names and `collections.abc` names are known; name other types by module, e.g. `pkg.mod.Type`"
    return None
