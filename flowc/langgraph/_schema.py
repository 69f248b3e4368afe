"""``get_input_jsonschema()`` / ``get_output_jsonschema()``: a state's JSON Schema, as LangGraph's.

LangGraph describes a pydantic state by its ``model_json_schema()``, a
TypedDict by pydantic's ``TypeAdapter``, and anything else (a dataclass) by a
pydantic model made of the state's keys, each with its annotation and the
default LangGraph gives it (``None`` for an optional key, the dataclass
field's default, else required). :func:`state_json_schema` does the same.

One difference: pydantic refuses ``typing.TypedDict`` before Python 3.12,
so LangGraph raises for such a state; flowc describes a copy of it made with
``typing_extensions.TypedDict`` (the same keys, required keys and docstring).
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from inspect import isclass
from typing import Any

import typing_extensions
from pydantic import BaseModel, RootModel, TypeAdapter, create_model

__all__ = ["schema_name", "state_json_schema"]

_REQUIRED = (typing.Required, typing_extensions.Required)
_NOT_REQUIRED = (typing.NotRequired, typing_extensions.NotRequired)


def schema_name(graph_name: str, suffix: str) -> str:
    """LangChain's ``Runnable.get_name(suffix)``: ``LangGraphInput``, ``my_graph_input``."""
    if graph_name[:1].isupper():
        return graph_name + suffix.title()
    return f"{graph_name}_{suffix.lower()}"


def state_json_schema(state: Any, name: str) -> dict[str, Any]:
    """The JSON Schema LangGraph gives a graph whose input (or output) schema is ``state``.

    Args:
        state: the state class (TypedDict, dataclass, pydantic model).
        name: the title of a schema made from the state's keys (see :func:`schema_name`).
    """
    if isclass(state) and issubclass(state, BaseModel):
        return state.model_json_schema()
    if not hasattr(state, "__annotations__"):
        # a root state (`dict`, `Annotated[list, add]`): LangGraph's root model of its type
        root = typing.get_args(state)[0] if typing.get_origin(state) is typing.Annotated else state
        base: Any = RootModel[root]  # type: ignore[valid-type]
        rooted: type[BaseModel] = create_model(name, __base__=base, root=(root, None))
        return rooted.model_json_schema()
    if typing_extensions.is_typeddict(state):
        return TypeAdapter(_pydantic_typeddict(state)).json_schema()
    hints = typing.get_type_hints(state, include_extras=True)
    fields: dict[str, Any] = {}
    for key, hint in hints.items():
        if key == "__slots__":
            continue
        hint = _strip_required(hint)
        fields[key] = (hint, _field_default(key, hint, state))
    model: type[BaseModel] = create_model(name, **fields)
    return model.model_json_schema()


def _required(key: str, hint: Any, state: Any) -> bool:
    """Is ``key`` required? ``Required``/``NotRequired`` say, else the class's totality.

    Python 3.11 sees neither wrapper in an annotation written as a string
    (``from __future__ import annotations``) when it makes the class, so the
    evaluated annotation is asked first.
    """
    origin = typing.get_origin(hint)
    if origin in _REQUIRED:
        return True
    if origin in _NOT_REQUIRED:
        return False
    return key in state.__required_keys__


def _strip_required(hint: Any) -> Any:
    if typing.get_origin(hint) in (*_REQUIRED, *_NOT_REQUIRED):
        return typing.get_args(hint)[0]
    return hint


def _field_default(key: str, hint: Any, state: Any) -> Any:
    """LangGraph's ``get_field_default`` for a key of a state that is not a TypedDict."""
    if dataclasses.is_dataclass(state):
        for field in dataclasses.fields(state):
            if field.name == key:
                if field.default is not dataclasses.MISSING and field.default is not ...:
                    return field.default
                if field.default_factory is not dataclasses.MISSING:
                    return field.default_factory()
    if _is_optional(hint):
        return None
    return ...


def _is_optional(hint: Any) -> bool:
    """``X | None``, ``Optional[X]``, ``None``, also inside ``Annotated``."""
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if hint is None or hint is type(None):
        return True
    args = typing.get_args(hint)
    return type(None) in args if typing.get_origin(hint) in (typing.Union, _UnionType) else False


_UnionType: Any = type(int | str)
_PYDANTIC_TYPEDDICT: Any = type(typing_extensions.TypedDict("_Probe", {}))  # type: ignore[operator]
"""The class of ``typing_extensions`` TypedDicts, which pydantic takes on every Python."""


def _pydantic_typeddict(state: Any) -> Any:
    """``state`` itself, or before Python 3.12 a ``typing_extensions`` copy of a ``typing`` one."""
    if sys.version_info >= (3, 12) or isinstance(state, _PYDANTIC_TYPEDDICT):
        return state
    hints = typing.get_type_hints(state, include_extras=True)
    fields = {
        key: (
            typing_extensions.Required[_strip_required(hint)]
            if _required(key, hint, state)
            else typing_extensions.NotRequired[_strip_required(hint)]
        )
        for key, hint in hints.items()
    }
    make: Any = typing_extensions.TypedDict
    copy: Any = make(state.__name__, fields)
    copy.__doc__ = state.__doc__
    copy.__module__ = state.__module__
    copy.__qualname__ = state.__qualname__
    return copy
