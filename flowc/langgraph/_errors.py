"""Errors of the drop-in builder, and where in the user's code a builder call was made."""

from __future__ import annotations

import inspect
import os
import sys
import typing
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from flowc.dsl.diagnostics import Diagnostic, DiagnosticError, Span
from flowc.dsl.pysource import caller, source_of

__all__ = [
    "GraphCompileError",
    "UnsupportedFeatureError",
    "call_site",
    "deprecated",
    "source_texts",
]


class GraphCompileError(DiagnosticError, ValueError):
    """``compile()`` found problems; the message lists every one, each at its line.

    A :class:`ValueError` too, as LangGraph's builder raises for an invalid graph.
    """

    def __init__(
        self, diagnostics: Sequence[Diagnostic], texts: Mapping[str, list[str]] | None = None
    ) -> None:
        super().__init__(diagnostics, texts)


class UnsupportedFeatureError(NotImplementedError):
    """A LangGraph feature that flowc does not support yet was asked for."""


def deprecated(message: str, since: str, stacklevel: int = 3) -> None:
    """Warn that a LangGraph argument is deprecated, with LangGraph's category if LangGraph is
    loaded (``LangGraphDeprecatedSinceV05``...: code that filters or expects those warnings sees
    them), else as a :class:`DeprecationWarning`. Nothing is imported for it."""
    module = sys.modules.get("langgraph.warnings")
    category = getattr(module, f"LangGraphDeprecatedSince{since}", None)
    if not (isinstance(category, type) and issubclass(category, Warning)):
        category = DeprecationWarning
    warnings.warn(message, category, stacklevel=stacklevel)


_CONFIG_ANNOTATIONS = frozenset({"RunnableConfig", "Optional[RunnableConfig]"})


def _is_runnable_config(annotation: Any) -> bool:
    if isinstance(annotation, str):
        return annotation in _CONFIG_ANNOTATIONS
    if getattr(annotation, "__name__", None) == "RunnableConfig":
        return True
    args = typing.get_args(annotation)
    return (
        len(args) == 2
        and type(None) in args
        and any(getattr(a, "__name__", None) == "RunnableConfig" for a in args)
    )


def warn_config_annotation(action: Any) -> None:
    """LangGraph's ``UserWarning`` for a node function whose ``config`` parameter is annotated
    otherwise than ``RunnableConfig`` or ``RunnableConfig | None`` (``config: dict``)."""
    if not callable(action) or isinstance(action, type):
        return
    try:
        param = inspect.signature(action).parameters.get("config")
    except (TypeError, ValueError):
        return
    if param is None or param.kind not in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
        return
    if param.annotation is param.empty or _is_runnable_config(param.annotation):
        return
    warnings.warn(
        "The 'config' parameter should be typed as 'RunnableConfig' or "
        f"'RunnableConfig | None', not '{param.annotation}'. ",
        UserWarning,
        stacklevel=4,
    )


def call_site(depth: int = 2) -> Span | None:
    """Where the caller's caller made the call (``depth`` frames up from here).

    The span covers the call expression on its first line, so a diagnostic's
    caret underlines ``.add_node("x", f)`` in a chain of builder calls.
    """
    site = caller(depth)
    return None if site is None else site.first_line_span()


def source_texts(spans: Sequence[Span | None]) -> dict[str, list[str]]:
    """Source lines of files that are not on disk (code run with ``exec``, notebook cells),
    as the front end reads them (from ``linecache``)."""
    texts: dict[str, list[str]] = {}
    for span in spans:
        if span is None or span.file in texts or os.path.exists(span.file):
            continue
        src = source_of(span.file)
        if src is not None and src.lines:
            texts[span.file] = src.lines
    return texts
