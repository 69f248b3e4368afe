"""The config and options of one run of a compiled graph, read as LangGraph reads them.

Keys LangGraph's run API takes that flowc does not support are refused before
anything runs, naming the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flowc.runtime import Config
from flowc.runtime._persist import (
    CHECKPOINTER,
)

from ._blueprint import Blueprint
from ._errors import UnsupportedFeatureError

_KEY_ACCESS = (
    "Accessing GraphOutput via `result[key]` is deprecated. "
    "Use `result.value` to access the output value directly, "
    "or `result.interrupts` for interrupts."
)


_CONFIG_KEYS = (
    "recursion_limit",
    "tags",
    "metadata",
    "configurable",
    "run_id",
    "callbacks",
    "run_name",
    "max_concurrency",
)


# keys of a LangChain RunnableConfig that change nothing in a flowc run
_IGNORED_CONFIG_KEYS: tuple[str, ...] = ()


_RUN_OPTIONS: dict[str, str] = {
    "output_keys": "`output_keys=` is",
}
"""LangGraph's run options, each with the start of the sentence that refuses it."""


def _config(config: Mapping[str, Any] | None, checkpointer: Any = None) -> Config | None:
    """LangGraph's ``RunnableConfig`` as flowc's run config (carrying the graph's checkpointer)."""
    if checkpointer is not None:
        # the run reads its checkpointer where LangGraph keeps it, in `configurable`
        config = dict(config or {})
        config["configurable"] = {**config.get("configurable", {}), CHECKPOINTER: checkpointer}
    if not config:
        return None
    unknown = [k for k in config if k not in _CONFIG_KEYS and k not in _IGNORED_CONFIG_KEYS]
    if unknown:
        raise UnsupportedFeatureError(
            f"config key {unknown[0]!r} is not supported by flowc "
            f"(supported: {', '.join(_CONFIG_KEYS)})"
        )
    out: dict[str, Any] = {k: config[k] for k in _CONFIG_KEYS if config.get(k) is not None}
    return out  # type: ignore[return-value]


def merge_configs(
    bound: Mapping[str, Any] | None, given: Mapping[str, Any] | None
) -> dict[str, Any]:
    """``given`` over ``bound``, as LangChain's ``merge_configs``: ``configurable`` and
    ``metadata`` merged key by key, ``tags`` and ``callbacks`` (lists) added, others replaced."""
    out = dict(bound or {})
    for key, value in (given or {}).items():
        if value is None:
            continue
        old = out.get(key)
        if key in ("configurable", "metadata") and isinstance(old, Mapping):
            out[key] = {**old, **value}
        elif key == "tags" and isinstance(old, list | tuple):
            out[key] = sorted({*old, *value})
        elif key == "callbacks" and isinstance(old, list) and isinstance(value, list):
            out[key] = [*old, *value]
        else:
            out[key] = value
    return out


def _nodes(given: Any) -> tuple[str, ...]:
    """``interrupt_before`` / ``interrupt_after`` as a tuple of node names (``"*"``: every node)."""
    if not given:
        return ()
    if given == "*":
        return ("*",)
    return tuple(given)


def _refuse(version: str, options: Mapping[str, Any]) -> None:
    if version not in ("v1", "v2"):
        raise UnsupportedFeatureError(
            f'version={version!r} is not supported by flowc; use "v1" or "v2"'
        )
    for option, value in options.items():
        what = _RUN_OPTIONS.get(option)
        if what is None:
            raise TypeError(f"unexpected keyword argument {option!r}")
        if value is None or value is False or value == ():
            continue
        raise UnsupportedFeatureError(f"{what} not supported by flowc yet")


def _io_keys(bp: Blueprint) -> tuple[frozenset[str] | None, tuple[str, ...] | None]:
    """The keys an input may set (``None`` for a root state) and the keys ``invoke`` returns,
    when they are not simply the state's (``None``: a graph without input or output schemas
    or private channels)."""
    from ._adapt import _annotations
    from ._roots import _private_channels

    private = _private_channels(bp)
    state_keys = tuple(_annotations(bp.state)) if isinstance(bp.state, type) else ()
    given_in = bp.input_schema
    given_out = bp.output_schema
    # LangGraph ignores an input's keys that are no channel of the input schema
    inputs = (
        frozenset(_annotations(given_in))
        if isinstance(given_in, type)
        else frozenset(state_keys)
        if state_keys
        else None
    )
    outputs = (
        tuple(_annotations(given_out))
        if isinstance(given_out, type)
        else state_keys
        if private
        else None
    )
    return inputs, outputs
