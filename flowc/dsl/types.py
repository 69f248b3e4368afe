"""Type expressions and references: parsed safely, resolved, rendered.

Takes the strings a spec holds (``list[str]``, ``pkg.mod:State``), gives
resolved Python objects for the checker and :class:`TypeRef` values (code text
plus the imports it needs) for code generation. Only names, dotted names,
subscripts, ``|`` unions and literal constants are accepted in a type
expression, so nothing a spec says can become arbitrary code.
"""

from __future__ import annotations

import ast
import builtins
import collections.abc
import importlib
import inspect
import keyword
import pkgutil
import re
import sys
import types
import typing
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Import",
    "RefError",
    "TypeExprError",
    "TypeRef",
    "attribute_hint",
    "import_module",
    "is_identifier",
    "is_type",
    "module_hint",
    "normalize_type_expr",
    "parse_ref",
    "resolve_ref",
    "resolve_type",
]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def is_identifier(name: str) -> bool:
    """An ASCII Python identifier that is not a keyword."""
    return (
        bool(_IDENT.match(name)) and not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
    )


@dataclass(frozen=True, slots=True, order=True)
class Import:
    """``from module import name [as alias]``."""

    module: str
    name: str
    alias: str | None = None

    @property
    def local(self) -> str:
        """The name the import binds."""
        return self.alias or self.name


@dataclass(frozen=True, slots=True)
class TypeRef:
    """A type as generated code writes it, with the imports that code needs."""

    code: str
    imports: frozenset[Import] = frozenset()
    obj: Any = None


class TypeExprError(ValueError):
    """A type expression is not allowed or does not resolve."""


class RefError(ValueError):
    """A ``module:attribute`` reference is malformed or does not resolve.

    ``hint`` says what was probably meant (``did you mean `greet`?``), if anything.
    """

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


MAX_TYPE_LENGTH = 5000
"""The longest type expression flowc reads, in characters."""
MAX_TYPE_DEPTH = 64
"""How deeply a type expression may nest (subscripts and ``|`` operands each count one)."""


def normalize_type_expr(expr: str) -> str:
    """A type expression in one canonical spelling (``Dict[str,int]`` keeps its names;
    spacing and quotes are normalised), so that both front ends give equal specs.
    Text that does not parse (or is over the limits) is returned unchanged, for the
    checker to report."""
    if len(expr) > MAX_TYPE_LENGTH:
        return expr
    try:
        tree = ast.parse(expr.strip(), mode="eval")
        if _depth(tree.body) > MAX_TYPE_DEPTH:
            return expr
        return ast.unparse(tree.body)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return expr


def _depth(node: ast.AST) -> int:
    """How deeply ``node`` nests, counted without recursion (a deep tree cannot overflow)."""
    deepest = 0
    todo = [(node, 1)]
    while todo:
        current, depth = todo.pop()
        deepest = max(deepest, depth)
        todo.extend((child, depth + 1) for child in ast.iter_child_nodes(current))
    return deepest


def _parse_type(expr: str) -> ast.expr:
    """The expression's tree, within the limits on size and depth."""
    if len(expr) > MAX_TYPE_LENGTH:
        raise TypeExprError(
            f"the type expression is {len(expr)} characters long; the limit is {MAX_TYPE_LENGTH}"
        )
    too_deep = TypeExprError(
        f"the type expression nests more than {MAX_TYPE_DEPTH} levels deep, the limit "
        "(write a long union as `Union[A, B, ...]`)"
    )
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except (SyntaxError, ValueError):
        raise TypeExprError(f"`{expr}` is not a Python type expression") from None
    except (RecursionError, MemoryError):
        raise too_deep from None
    # Python's own notion of depth counts an expression's nodes, not their levels
    if _depth(tree.body) > MAX_TYPE_DEPTH * 2:
        raise too_deep
    return tree.body


def parse_ref(ref: str) -> tuple[str, str]:
    """Split ``package.module:attr.path`` into its module and attribute path."""
    module, sep, attr = ref.partition(":")
    if not sep:
        raise RefError(f"`{ref}` is not a reference; expected `package.module:name`")
    if not _MODULE.match(module):
        raise RefError(f"`{module}` is not a module path")
    if "<" in attr:
        what = "a lambda" if "<lambda>" in attr else "defined inside a function"
        raise RefError(f"`{attr}` is {what}, so generated code cannot import it")
    if not attr or not all(is_identifier(p) for p in attr.split(".")):
        raise RefError(f"`{attr}` is not a Python name")
    return module, attr


def resolve_ref(ref: str) -> Any:
    """Import ``package.module:attr.path`` and return the object."""
    module_name, attr = parse_ref(ref)
    try:
        module = import_module(module_name)
    except Exception as exc:
        hint = None
        if isinstance(exc, ModuleNotFoundError) and exc.name and module_name.startswith(exc.name):
            hint = module_hint(exc.name)
        raise RefError(_import_failure(module_name, exc), hint) from exc
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            hint = attribute_hint(obj, part)
            raise RefError(f"module `{module_name}` has no attribute `{attr}`", hint) from None
    return obj


def module_hint(missing: str) -> str | None:
    """``did you mean `pkg.mod`?`` for a module that was not found, if one is close."""
    parent, dot, last = missing.rpartition(".")
    hint = _did_you_mean(last, _sibling_modules(missing))
    return None if hint is None else hint.replace("`", f"`{parent}{dot}", 1)


def attribute_hint(obj: Any, name: str) -> str | None:
    """``did you mean `greet`?`` for a missing attribute, among ``obj``'s public names."""
    return _did_you_mean(name, [n for n in dir(obj) if not n.startswith("_")])


def _did_you_mean(name: str, options: list[str]) -> str | None:
    """The closest option, if it is close the way Python's own "Did you mean" is close."""
    best: tuple[int, str] | None = None
    for option in options:
        # Python's rule: at most (both lengths + 3) / 3 edits, a case change costing half
        limit = (len(name) + len(option) + 3) * 2 // 6
        distance = _edit_distance(name, option, limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, option)
    return None if best is None else f"did you mean `{best[1]}`?"


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with moves costing 2 and case-only changes 1 (above ``limit``,
    any number above it)."""
    if abs(len(a) - len(b)) * 2 > limit:
        return limit + 1
    row = list(range(0, 2 * len(b) + 1, 2))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], 2 * i
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1 if ca.lower() == cb.lower() else 2
            prev, row[j] = row[j], min(row[j] + 2, row[j - 1] + 2, prev + cost)
    return row[-1]


def _sibling_modules(missing: str) -> list[str]:
    """The modules that could have been meant instead of ``missing`` (``pkg.modd``): the
    other modules of its package, or the top-level modules on ``sys.path``."""
    parent, _, _ = missing.rpartition(".")
    try:
        if parent:
            path = getattr(sys.modules.get(parent), "__path__", None)
            if path is None:
                return []
            found = pkgutil.iter_modules(path)
        else:
            found = pkgutil.iter_modules()
        return sorted({m.name for m in found if not m.name.startswith("_")})
    except (OSError, ImportError, ValueError):
        return []


def _import_failure(module: str, exc: BaseException) -> str:
    if isinstance(exc, RefusedImport):
        return str(exc)
    if isinstance(exc, ModuleNotFoundError) and exc.name and module.startswith(exc.name):
        return f"cannot import module `{module}`: no module named `{exc.name}`"
    return f"cannot import module `{module}`: {type(exc).__name__}: {exc}"


_TYPING_NAMES = {
    "Any",
    "Literal",
    "Optional",
    "Union",
    "NotRequired",
    "Required",
    "Annotated",
}
_ABC_NAMES = {"Sequence", "Mapping", "MutableMapping", "MutableSequence", "Iterable", "Callable"}
_BUILTIN_TYPES = {
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "complex",
    "list",
    "dict",
    "tuple",
    "set",
    "frozenset",
    "object",
    "type",
}


def resolve_type(expr: str, *, local: dict[str, Any] | None = None) -> TypeRef:
    """Parse, check and resolve a type expression.

    ``local`` names (e.g. other generated types) resolve to themselves without
    an import.

    Raises:
        TypeExprError: with a message that says what is wrong.
    """
    body = _parse_type(expr)
    resolver = _Resolver(local or {})
    obj = resolver.visit(body)
    if not is_type(obj):
        raise TypeExprError(f"`{expr}` is {_what(obj)}, not a type")
    code = ast.unparse(resolver.rewrite(body))
    return TypeRef(code=code, imports=frozenset(resolver.imports), obj=obj)


def is_type(obj: Any) -> bool:
    """A class, a generic alias or union, ``None``, or a typing construct (``Any``, a TypeVar)."""
    return (
        obj is None
        or isinstance(obj, type)
        or typing.get_origin(obj) is not None
        or isinstance(obj, typing.TypeVar | typing.NewType | typing.ForwardRef)
        or type(obj).__module__ == "typing"
    )


def _what(obj: Any) -> str:
    if isinstance(obj, types.ModuleType):
        return "a module"
    if inspect.isroutine(obj):
        return "a function"
    return f"a value ({type(obj).__name__})"


class RefusedImport(ImportError):
    """A module flowc does not import for a spec."""


# Standard-library modules whose import does something (prints, opens a browser or a
# window): a type expression or reference never imports them.
_ACTING_MODULES = frozenset(
    {"this", "antigravity", "__hello__", "__phello__", "idlelib", "turtle", "turtledemo", "tkinter"}
)


def import_module(name: str) -> types.ModuleType:
    """``importlib.import_module``, but never of a module that acts when imported.

    Raises:
        ImportError: for such a module, unless it is imported already.
    """
    top = name.partition(".")[0]
    if top in _ACTING_MODULES and name not in sys.modules:
        raise RefusedImport(f"module `{top}` acts when it is imported, so flowc does not import it")
    return importlib.import_module(name)


class _Resolver:
    def __init__(self, local: dict[str, Any]) -> None:
        self.local = local
        self.imports: set[Import] = set()
        self.renames: dict[str, str] = {}

    def visit(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            if node.value is None:
                return None
            raise TypeExprError(
                f"`{ast.unparse(node)}` is a value, not a type; only `Literal[...]` takes values"
            )
        if isinstance(node, ast.Name | ast.Attribute):
            return self.name(node)
        if isinstance(node, ast.Subscript):
            base = self.visit(node.value)
            inner = node.slice
            if base is typing.Literal:
                values = inner.elts if isinstance(inner, ast.Tuple) else [inner]
                for value in values:
                    if not (
                        isinstance(value, ast.Constant)
                        and isinstance(value.value, str | int | bool | None)
                    ):
                        raise TypeExprError(
                            "`Literal[...]` takes only str, int, bool or None constants"
                        )
                return typing.Literal[tuple(v.value for v in values if isinstance(v, ast.Constant))]
            args = inner.elts if isinstance(inner, ast.Tuple) else [inner]
            resolved = [self.visit_arg(a) for a in args]
            try:
                return base[tuple(resolved)] if len(resolved) > 1 else base[resolved[0]]
            except TypeError as exc:
                raise TypeExprError(f"`{ast.unparse(node)}` is not a valid type: {exc}") from None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            left, right = self.visit(node.left), self.visit(node.right)
            try:
                return left | right
            except TypeError:
                return typing.Union[left, right]  # noqa: UP007
        raise TypeExprError(
            f"`{ast.unparse(node)}` is not allowed in a type expression "
            "(only names, subscripts, `|` and literals are)"
        )

    def visit_arg(self, node: ast.expr) -> Any:
        if isinstance(node, ast.List):  # Callable[[A, B], R]
            return [self.visit(e) for e in node.elts]
        if isinstance(node, ast.Constant) and node.value is Ellipsis:
            return ...
        return self.visit(node)

    def name(self, node: ast.Name | ast.Attribute) -> Any:
        dotted = ast.unparse(node)
        parts = dotted.split(".")
        if not all(is_identifier(p) or p in ("None",) for p in parts):
            raise TypeExprError(f"`{dotted}` is not a valid name")
        if len(parts) == 1:
            name = parts[0]
            if name in self.local:
                return self.local[name]
            if name == "None":
                return None
            if name in _BUILTIN_TYPES:
                return getattr(builtins, name)
            if name in _TYPING_NAMES:
                self.imports.add(Import("typing", name))
                return getattr(typing, name)
            if name in _ABC_NAMES:
                self.imports.add(Import("collections.abc", name))
                return getattr(collections.abc, name)
            raise TypeExprError(
                f"unknown type name `{name}`",
            )
        for cut in range(len(parts) - 1, 0, -1):
            module_name = ".".join(parts[:cut])
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name and module_name.startswith(exc.name):
                    continue
                raise TypeExprError(_import_failure(module_name, exc)) from exc
            except Exception as exc:
                raise TypeExprError(_import_failure(module_name, exc)) from exc
            obj: Any = module
            for attr in parts[cut:]:
                if not hasattr(obj, attr):
                    raise TypeExprError(f"module `{module_name}` has no attribute `{attr}`")
                obj = getattr(obj, attr)
            if not is_type(obj):
                raise TypeExprError(f"`{dotted}` is {_what(obj)}, not a type")
            top = parts[cut]
            self.imports.add(Import(module_name, top))
            self.renames[dotted] = ".".join(parts[cut:])
            return obj
        raise TypeExprError(f"cannot import `{dotted}`: no module `{parts[0]}`")

    def rewrite(self, node: ast.expr) -> ast.expr:
        renames = self.renames

        class Rewriter(ast.NodeTransformer):
            def visit_Attribute(self, n: ast.Attribute) -> ast.expr:
                dotted = ast.unparse(n)
                if dotted in renames:
                    return ast.parse(renames[dotted], mode="eval").body
                return n

        return typing.cast(ast.expr, Rewriter().visit(node))


_SERVED: dict[int, tuple[Any, Import]] = {}


def serve(obj: Any, module: str, name: str) -> None:
    """Declare that ``from module import name`` gives ``obj``.

    For objects without an importable name of their own (closures, lambdas,
    classes defined in a function) that a module serves through its
    ``__getattr__``, so that :func:`import_of` can name them.
    """
    _SERVED[id(obj)] = (obj, Import(module, name))


def import_of(obj: Any) -> Import | None:
    """Where ``obj`` (a class or function) can be imported from, if anywhere."""
    served = _SERVED.get(id(obj))
    if served is not None and served[0] is obj:
        return served[1]
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not module or not qualname:
        return None
    if "<" in qualname:
        # made by a factory (a decorator's wrapper), but perhaps bound to a name of its module,
        # as LangGraph's `add_messages` is
        namespace = getattr(sys.modules.get(module), "__dict__", {})
        names = sorted(name for name, value in namespace.items() if value is obj)
        public = [name for name in names if not name.startswith("_")]
        return Import(module, (public or names)[0]) if names else None
    top = qualname.split(".")[0]
    if module.startswith("_") and module.lstrip("_") in sys.modules | {"operator": None}:
        public = module.lstrip("_")
        try:
            if getattr(importlib.import_module(public), top, None) is obj:
                module = public
        except ImportError:
            pass
    return Import(module, top)
