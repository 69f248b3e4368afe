"""Names and literals as generated code writes them.

Takes the names and values a spec holds; gives either why a name cannot be
used where generated code puts it (a message and a hint, for a located
diagnostic), or the code of a value. The checker asks here about every name
that becomes part of a generated module: a graph's name (its modules and its
class prefix) and the fields of a state class flowc generates, whose
attributes depend on the class kind. The view model's import aliases are
made collision-free by its own scope (:mod:`flowc.codegen.view`).
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Iterable
from typing import Any, Literal, NewType

__all__ = [
    "Identifier",
    "LiteralError",
    "NodeName",
    "camel",
    "field_name_problem",
    "graph_name_problem",
    "identifier",
    "identifier_problem",
    "literal_code",
    "node_identifiers",
    "node_name",
    "node_name_problem",
]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

StateKind = Literal["typeddict", "dataclass", "pydantic"]

# Attributes of pydantic's BaseModel (v2, and the v1 names it still has): a field
# with one of these names replaces the method, or pydantic refuses the class.
_BASEMODEL_ATTRS = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)

# Names a generated state class body calls while it is being defined: a field
# with a default binds its name in the class body first.
_CLASS_BODY_CALLS: dict[str, frozenset[str]] = {
    "typeddict": frozenset(),
    "dataclass": frozenset({"field"}),
    "pydantic": frozenset({"Field"}),
}


Identifier = NewType("Identifier", str)
"""A spec's name that passed :func:`identifier`: the only kind of name the checked graph
(:mod:`flowc.dsl.graph`) holds for graphs and state fields."""


def identifier(name: str) -> Identifier | None:
    """``name`` as an :data:`Identifier`, or ``None`` when it cannot be a Python name (the
    checker reports why, with :func:`identifier_problem` and the rules of its place)."""
    return None if identifier_problem(name) is not None else Identifier(name)


def identifier_problem(name: str) -> str | None:
    """Why ``name`` cannot be a Python name in generated code (``"is a Python keyword"``)."""
    if keyword.iskeyword(name):
        return "is a Python keyword"
    if keyword.issoftkeyword(name):
        return "is a Python soft keyword"
    if not _IDENT.match(name):
        return "is not a Python identifier"
    return None


NODE_NAME_RESERVED_CHARACTERS = ("|", ":")
"""Characters LangGraph keeps for namespaces (``parent:task|child``) and refuses in node names."""


NodeName = NewType("NodeName", str)
"""A node's name that passed :func:`node_name_problem`: any string LangGraph takes. Generated
code holds it as a literal only; its Python names come from :func:`node_identifiers`."""


def node_name(name: str) -> NodeName | None:
    """``name`` as a :data:`NodeName`, or ``None`` when LangGraph's rule refuses it."""
    return None if node_name_problem(name) is not None else NodeName(name)


def node_name_problem(name: str) -> str | None:
    """Why a node cannot be called ``name``: LangGraph's own rule, in its words.

    Any other string names a node, as in LangGraph (``"1"``, ``"Call Tool"``):
    generated code names its functions and classes after
    :func:`node_identifiers`, never after the name itself.
    """
    for character in NODE_NAME_RESERVED_CHARACTERS:
        if character in name:
            return f"'{character}' is a reserved character and is not allowed in the node names."
    return None


_NOT_IDENT_CHARS = re.compile(r"[^A-Za-z0-9_]+")


def node_identifiers(names: Iterable[str]) -> dict[str, Identifier]:
    """A distinct Python identifier for each node name, the same for the same names.

    A name that is an identifier already is its own (so that generated code
    reads like the graph); any other is spelt with ``_`` for each run of other
    characters, ``n`` before a leading digit, and ``_2``, ``_3``... after it
    when an earlier node (or a node named so) has that spelling.
    """
    ordered = list(dict.fromkeys(names))
    out = {name: Identifier(name) for name in ordered if _IDENT.match(name)}
    taken: set[str] = set(out.values())
    for name in ordered:
        if name in out:
            continue
        base = _NOT_IDENT_CHARS.sub("_", name) or "node"
        if base[0].isdigit():
            base = f"n{base}"
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}_{n}", n + 1
        taken.add(ident)
        out[name] = Identifier(ident)
    return out


def graph_name_problem(name: str) -> tuple[str, str] | None:
    """Why a graph cannot be called ``name`` (it names modules of a package), and a hint."""
    why = identifier_problem(name)
    if why is not None:
        return why, "a graph's name names its generated module: use letters, digits and `_`"
    if name.startswith("__"):
        return (
            "is reserved: module names starting with `__` belong to Python (`__init__`, `__main__`)",
            "a graph's name names its generated modules: pick one without a leading `__`",
        )
    return None


def field_name_problem(name: str, kind: StateKind) -> tuple[str, str] | None:
    """Why a field of a generated ``kind`` state class cannot be called ``name``, and a hint.

    A TypedDict takes any identifier. A pydantic model treats names starting
    with ``_`` as private attributes (an input value for them is dropped),
    ``model_*`` as its own namespace, and a field named like one of its
    methods replaces it; a generated class body calls ``field``/``Field`` for
    mutable defaults, which a field of that name would have rebound.
    """
    why = identifier_problem(name)
    if why is not None:
        return (
            why,
            "state fields become Python names in generated code: use letters, digits and `_`",
        )
    if name.startswith("__"):
        # in a class body Python renames `__x` to `_State__x`; `__init__`, `__class__`... are
        # the class's own
        return (
            "starts with `__`: in a generated class Python would rename it "
            "(`__x` becomes `_<Class>__x`) or take it for the class's own attribute",
            "rename it without the leading `__`",
        )
    if kind == "pydantic":
        other_kinds = 'rename it, or declare `kind = "typeddict"` or `"dataclass"`'
        if name.startswith("_"):
            return (
                "starts with `_`: a pydantic model takes it for a private attribute "
                "and drops its input value",
                other_kinds,
            )
        if name.startswith("model_"):
            return (
                "is in pydantic's protected `model_` namespace (`model_config`, `model_dump`...)",
                other_kinds,
            )
        if name in _BASEMODEL_ATTRS:
            return f"would replace the `{name}()` method of pydantic's `BaseModel`", other_kinds
    if name in _CLASS_BODY_CALLS[kind]:
        what = "dataclass" if kind == "dataclass" else "pydantic model"
        return (
            f"would rebind `{name}`, which the generated {what} calls for mutable defaults",
            "rename the field",
        )
    return None


class LiteralError(ValueError):
    """A value that generated code cannot write as a literal."""


def literal_code(value: Any) -> str:
    """Code that evaluates to ``value``, for every value a TOML spec can hold.

    ``None``, booleans, integers of any size, strings, lists and dicts are
    written as literals; floats too, but for infinities and NaN, which have no
    literal: they are written ``1e999``, ``-1e999`` and ``(1e999 - 1e999)``,
    which name nothing, so no name a module binds (a field called ``float`` in
    a class body) can change what they are.

    Raises:
        LiteralError: for anything else (a date, an object), with what it is.
    """
    if value is None or isinstance(value, bool | str):
        return repr(value)
    if isinstance(value, int):
        # str() of an int longer than sys.get_int_max_str_digits() raises; hex has no limit
        try:
            return repr(value)
        except ValueError:
            return hex(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "(1e999 - 1e999)"
        if math.isinf(value):
            return "1e999" if value > 0 else "-1e999"
        return repr(value)
    if isinstance(value, list | tuple):
        items = [literal_code(v) for v in value]
        if isinstance(value, tuple):
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        return "[" + ", ".join(items) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{literal_code(k)}: {literal_code(v)}" for k, v in value.items()) + "}"
        )
    raise LiteralError(f"{type(value).__name__} values cannot be written in generated code")


def camel(name: str) -> str:
    """``refine_topic`` → ``RefineTopic`` (for generated class names)."""
    out = "".join(part[:1].upper() + part[1:] for part in name.split("_") if part)
    return out or "Graph"
