"""Errors of the drop-in builder (where a builder call was made is read by
:mod:`flowc.dsl.recording`, the builders' shared recording of calls)."""

from __future__ import annotations

import inspect
import sys
import typing
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from flowc.dsl.diagnostics import Diagnostic, DiagnosticError
from flowc.dsl.recording import call_site, source_texts

__all__ = [
    "NOT_A_NODE",
    "UNSUPPORTED",
    "GraphCompileError",
    "UnsupportedFeatureError",
    "call_site",
    "deprecated",
    "source_texts",
]

UNSUPPORTED = "E601"
"""A LangGraph feature flowc does not support yet."""

NOT_A_NODE = "E602"
"""Something that cannot run as a node or router."""


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
