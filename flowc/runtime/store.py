"""Stores: long-term memory shared by every run and thread, LangGraph's ``BaseStore`` contract.

A store keeps JSON-like dict values under ``(namespace, key)``, where a
namespace is a tuple of string labels (``("users", "42", "memories")``). Nodes
reach the store their graph was compiled with (``compile(store=...)``) as a
``store`` parameter, through :func:`get_store`, or as ``runtime.store``; tools
through ``InjectedStore`` arguments or ``ToolRuntime.store``.

This module holds what every back end shares: :class:`Item` and
:class:`SearchItem`, the operations a batch is made of (:class:`GetOp`,
:class:`PutOp`, :class:`SearchOp`, :class:`ListNamespacesOp`), the
:class:`BaseStore` whose ``get``/``put``/``search``/``delete``/``list_namespaces``
(and their async twins) are built on ``batch``/``abatch``, and the rules a back
end applies: namespace checks, filters, namespace patterns. The back ends are
in :mod:`flowc.stores`. Standard library only.

How a store reaches a run: the run's ``configurable`` carries it under
:data:`STORE` (see :func:`with_store`), so every graph a task runs (a subgraph,
a graph invoked from a node) sees the root run's store, as in LangGraph.
"""

from __future__ import annotations

import functools
import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine, Iterable, Mapping
from datetime import datetime
from typing import (
    Any,
    Concatenate,
    Final,
    Generic,
    Literal,
    NamedTuple,
    ParamSpec,
    TypedDict,
    TypeVar,
)

from ._store_match import matches_filter, namespace_matches
from ._task import running_task
from .config import with_configurable

__all__ = [
    "NOT_PROVIDED",
    "STORE",
    "BaseStore",
    "GetOp",
    "IndexConfig",
    "InvalidNamespaceError",
    "Item",
    "ListNamespacesOp",
    "MatchCondition",
    "NamespaceMatchType",
    "NamespacePath",
    "NotProvided",
    "Op",
    "PutOp",
    "Result",
    "SearchItem",
    "SearchOp",
    "TTLConfig",
    "get_store",
    "matches_filter",
    "namespace_matches",
    "refuse_index",
    "split_batch",
    "validate_namespace",
    "validate_namespace_labels",
    "with_store",
]

STORE: Final = "__flowc_store"
"""The ``configurable`` key of a run's store."""


class NotProvided:
    """The type of :data:`NOT_PROVIDED`: an argument left out (``None`` means something)."""

    __slots__ = ()

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_PROVIDED: Final = NotProvided()
"""``ttl`` left out of a ``put``: the store's default applies."""


def _as_datetime(value: datetime | str) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


class Item:
    """A stored value with where it lives and when it was written.

    Attributes:
        value: the stored dict.
        key: its key within the namespace.
        namespace: its namespace.
        created_at: when the key was first put (kept when it is put again).
        updated_at: when it was last put.
    """

    __slots__ = ("created_at", "key", "namespace", "updated_at", "value")

    def __init__(
        self,
        *,
        value: dict[str, Any],
        key: str,
        namespace: tuple[str, ...],
        created_at: datetime | str,
        updated_at: datetime | str,
    ) -> None:
        self.value = value
        self.key = key
        self.namespace = tuple(namespace)
        self.created_at = _as_datetime(created_at)
        self.updated_at = _as_datetime(updated_at)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Item):
            return NotImplemented
        return (
            self.value == other.value
            and self.key == other.key
            and self.namespace == other.namespace
            and self.created_at == other.created_at
            and self.updated_at == other.updated_at
        )

    def __hash__(self) -> int:
        return hash((self.namespace, self.key))

    def dict(self) -> dict[str, Any]:
        """The item as JSON values (namespace a list, times in ISO 8601)."""
        return {
            "namespace": list(self.namespace),
            "key": self.key,
            "value": self.value,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.dict().items())
        # LangGraph prints a SearchItem as an Item too
        return f"Item({fields})"


class SearchItem(Item):
    """An item found by a search, with its relevance ``score`` (``None`` without a query)."""

    __slots__ = ("score",)

    def __init__(
        self,
        namespace: tuple[str, ...],
        key: str,
        value: dict[str, Any],
        created_at: datetime | str,
        updated_at: datetime | str,
        score: float | None = None,
    ) -> None:
        super().__init__(
            value=value, key=key, namespace=namespace, created_at=created_at, updated_at=updated_at
        )
        self.score = score

    def dict(self) -> dict[str, Any]:
        """The item as JSON values, with its score."""
        return {**super().dict(), "score": self.score}


class GetOp(NamedTuple):
    """Read the item at ``(namespace, key)``; its result is the :class:`Item` or ``None``."""

    namespace: tuple[str, ...]
    key: str
    refresh_ttl: bool = True


class SearchOp(NamedTuple):
    """Find items under ``namespace_prefix`` whose values match ``filter``.

    The result lists at most ``limit`` :class:`SearchItem` after skipping
    ``offset``, in the order the store keeps them (see the back end).
    ``filter`` maps top-level value keys to a value to equal, or to operators:
    ``{"$eq" | "$ne" | "$gt" | "$gte" | "$lt" | "$lte": operand}``.
    """

    namespace_prefix: tuple[str, ...]
    filter: dict[str, Any] | None = None
    limit: int = 10
    offset: int = 0
    query: str | None = None
    refresh_ttl: bool = True


NamespacePath = tuple[str, ...]
"""A namespace pattern: labels, where ``"*"`` matches any one label."""

NamespaceMatchType = Literal["prefix", "suffix"]
"""Whether a pattern is matched against the start or the end of a namespace."""


class MatchCondition(NamedTuple):
    """A namespace pattern and which end of the namespace it is matched against."""

    match_type: NamespaceMatchType
    path: NamespacePath


class ListNamespacesOp(NamedTuple):
    """List the namespaces holding items, sorted, those matching every condition.

    ``max_depth`` cuts each namespace to that many labels (duplicates merged);
    ``limit`` and ``offset`` page through the sorted list.
    """

    match_conditions: tuple[MatchCondition, ...] | None = None
    max_depth: int | None = None
    limit: int = 100
    offset: int = 0


class PutOp(NamedTuple):
    """Write ``value`` at ``(namespace, key)``, or delete the item when ``value`` is ``None``."""

    namespace: tuple[str, ...]
    key: str
    value: Mapping[str, Any] | None
    index: Literal[False] | list[str] | None = None  # type: ignore[assignment]  # LangGraph's field name
    ttl: float | None = None


Op = GetOp | SearchOp | PutOp | ListNamespacesOp
"""One operation of a batch."""
Result = Item | list[Item] | list[SearchItem] | list[tuple[str, ...]] | None
"""What one operation of a batch gives back."""


class InvalidNamespaceError(ValueError):
    """A namespace that a store cannot hold (empty, a label empty, not a string, with a ``.``)."""


class TTLConfig(TypedDict, total=False):
    """LangGraph's time-to-live settings (flowc's stores do not expire items)."""

    refresh_on_read: bool
    omit_expired: bool
    default_ttl: float | None
    sweep_interval_minutes: int | None


class IndexConfig(TypedDict, total=False):
    """LangGraph's vector-search settings (flowc's stores refuse them: no vector search yet)."""

    dims: int
    embed: Any
    fields: list[str] | None


def validate_namespace_labels(namespace: tuple[str, ...]) -> None:
    """Raise :class:`InvalidNamespaceError` unless every label is a non-empty string
    without a ``.`` or a NUL (LangGraph's rule, so a label cannot pose as two)."""
    for label in namespace:
        if not isinstance(label, str):
            raise InvalidNamespaceError(
                f"Invalid namespace label '{label}' found in {namespace}. Namespace labels"
                f" must be strings, but got {type(label).__name__}."
            )
        if "." in label:
            raise InvalidNamespaceError(
                f"Invalid namespace label '{label}' found in {namespace}. "
                "Namespace labels cannot contain periods ('.')."
            )
        if "\x00" in label:
            raise InvalidNamespaceError(
                f"Invalid namespace label '{label}' found in {namespace}. "
                "Namespace labels cannot contain NUL bytes ('\\x00')."
            )
        if not label:
            raise InvalidNamespaceError(
                f"Namespace labels cannot be empty strings. Got {label} in {namespace}"
            )


def validate_namespace(namespace: tuple[str, ...]) -> None:
    """The rule for a namespace written by ``put``: labels as
    :func:`validate_namespace_labels`, at least one, the first not ``"langgraph"``."""
    if not namespace:
        raise InvalidNamespaceError("Namespace cannot be empty.")
    validate_namespace_labels(namespace)
    if namespace[0] == "langgraph":
        raise InvalidNamespaceError(
            f'Root label for namespace cannot be "langgraph". Got: {namespace}'
        )


def split_batch(ops: Iterable[Op]) -> tuple[list[Op], dict[tuple[tuple[str, ...], str], PutOp]]:
    """A batch as its operations in order and its writes by item, the last one of a key kept.

    Every operation's namespace is checked first (a batch given to ``batch``
    directly skips the methods' checks), so that no label holding a ``.`` can
    pose as two.

    Raises:
        InvalidNamespaceError: for a bad label.
        TypeError: for something that is not an operation.
    """
    listed = list(ops)
    writes: dict[tuple[tuple[str, ...], str], PutOp] = {}
    for op in listed:
        if isinstance(op, PutOp):
            validate_namespace_labels(op.namespace)
            writes[(tuple(op.namespace), op.key)] = op
        elif isinstance(op, GetOp):
            validate_namespace_labels(op.namespace)
        elif isinstance(op, SearchOp):
            validate_namespace_labels(op.namespace_prefix)
        elif isinstance(op, ListNamespacesOp):
            for condition in op.match_conditions or ():
                validate_namespace_labels(condition.path)
        else:
            raise TypeError(f"Unknown operation type: {type(op)}")
    return listed, writes


def refuse_index(index: Any, store: str) -> None:
    """Raise for an ``index=`` (vector search), which flowc's stores do not do yet.

    Raises:
        NotImplementedError: when ``index`` is given.
    """
    if index:
        raise NotImplementedError(
            f"{store}(index=...): vector search (embeddings) is not supported by flowc's "
            "stores yet; create the store without `index` (search then filters by value), "
            "or use LangGraph's store, which flowc's graphs accept as well"
        )


def _ttl_refused(store: BaseStore, ttl: float | NotProvided | None) -> None:
    if ttl not in (NOT_PROVIDED, None) and not store.supports_ttl:
        raise NotImplementedError(
            f"TTL is not supported by {type(store).__name__}. "
            "Use a store implementation that supports TTL or set ttl=None."
        )


def _refresh(store: BaseStore, refresh_ttl: bool | None) -> bool:
    if refresh_ttl is not None:
        return refresh_ttl
    config = store.ttl_config
    return True if config is None else config.get("refresh_on_read", True)


def _ttl(store: BaseStore, ttl: float | NotProvided | None) -> float | None:
    if isinstance(ttl, NotProvided):
        return store.ttl_config.get("default_ttl") if store.ttl_config else None
    return ttl


def _list_op(
    prefix: NamespacePath | None,
    suffix: NamespacePath | None,
    max_depth: int | None,
    limit: int,
    offset: int,
) -> ListNamespacesOp:
    validate_namespace_labels(prefix or ())
    validate_namespace_labels(suffix or ())
    conditions: list[MatchCondition] = []
    if prefix:
        conditions.append(MatchCondition("prefix", prefix))
    if suffix:
        conditions.append(MatchCondition("suffix", suffix))
    return ListNamespacesOp(tuple(conditions), max_depth, limit, offset)


R = TypeVar("R")
P = ParamSpec("P")


class _OneOp(Generic[R]):
    """The one operation a single-operation method of :class:`BaseStore` asks for; ``R`` is
    the type of its result."""

    __slots__ = ("op",)

    def __init__(self, op: Op) -> None:
        self.op = op


def _one_op(
    ask: Callable[Concatenate[BaseStore, P], _OneOp[R]],
) -> Callable[Concatenate[BaseStore, P], R]:
    """The method that runs ``ask``'s operation in a batch of one and gives its result."""

    @functools.wraps(ask)
    def method(self: BaseStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return self.batch([ask(self, *args, **kwargs).op])[0]  # type: ignore[return-value]

    method.__name__ = ask.__name__.removeprefix("_ask_")
    method.__qualname__ = f"BaseStore.{method.__name__}"
    _unwrapped(method)
    return method


def _one_aop(
    ask: Callable[Concatenate[BaseStore, P], _OneOp[R]],
) -> Callable[Concatenate[BaseStore, P], Coroutine[Any, Any, R]]:
    """The async twin of :func:`_one_op`'s method, through ``abatch``."""

    @functools.wraps(ask)
    async def method(self: BaseStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return (await self.abatch([ask(self, *args, **kwargs).op]))[0]  # type: ignore[return-value]

    name = ask.__name__.removeprefix("_ask_")
    method.__name__, method.__qualname__ = f"a{name}", f"BaseStore.a{name}"
    method.__doc__ = f"Async twin of :meth:`{name}`."
    _unwrapped(method)
    return method


def _unwrapped(method: Callable[..., Any]) -> None:
    """``method`` shown with its own signature but no return type (``help()`` would show
    the operation's wrapper), as ``functools.wraps`` leaves it."""
    sig = inspect.signature(method)
    del method.__wrapped__  # type: ignore[attr-defined]
    method.__signature__ = sig.replace(return_annotation=inspect.Signature.empty)  # type: ignore[attr-defined]


class BaseStore(ABC):
    """What a store does: run batches of operations, sync and async.

    A back end implements :meth:`batch` and :meth:`abatch`; the single-operation
    methods here check their arguments and make a batch of one. Within one
    batch, reads see the store as it was before the batch, and the last write
    of a key wins (LangGraph's rule).
    """

    supports_ttl: bool = False
    ttl_config: TTLConfig | None = None

    __slots__ = ("__weakref__",)

    @abstractmethod
    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Run ``ops``; one result per operation, in their order."""

    @abstractmethod
    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """Async twin of :meth:`batch`."""

    # each single-operation method is written once, as the operation it asks for; the sync
    # and async methods run it through batch and abatch (see _one_op)

    def _ask_get(
        self, namespace: tuple[str, ...], key: str, *, refresh_ttl: bool | None = None
    ) -> _OneOp[Item | None]:
        """The item at ``(namespace, key)``, or ``None``."""
        validate_namespace_labels(namespace)
        return _OneOp(GetOp(namespace, str(key), _refresh(self, refresh_ttl)))

    def _ask_search(
        self,
        namespace_prefix: tuple[str, ...],
        /,
        *,
        query: str | None = None,
        filter: dict[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        refresh_ttl: bool | None = None,
    ) -> _OneOp[list[SearchItem]]:
        """Items under ``namespace_prefix`` matching ``filter`` (see :class:`SearchOp`)."""
        validate_namespace_labels(namespace_prefix)
        op = SearchOp(namespace_prefix, filter, limit, offset, query, _refresh(self, refresh_ttl))
        return _OneOp(op)

    def _ask_put(
        self,
        namespace: tuple[str, ...],
        key: str,
        value: Mapping[str, Any],
        index: Literal[False] | list[str] | None = None,
        *,
        ttl: float | NotProvided | None = NOT_PROVIDED,
    ) -> _OneOp[None]:
        """Write ``value`` at ``(namespace, key)`` (replacing what was there)."""
        validate_namespace(namespace)
        _ttl_refused(self, ttl)
        return _OneOp(PutOp(namespace, str(key), value, index, _ttl(self, ttl)))

    def _ask_delete(self, namespace: tuple[str, ...], key: str) -> _OneOp[None]:
        """Delete the item at ``(namespace, key)`` (nothing happens if there is none)."""
        validate_namespace_labels(namespace)
        return _OneOp(PutOp(namespace, str(key), None))

    def _ask_list_namespaces(
        self,
        *,
        prefix: NamespacePath | None = None,
        suffix: NamespacePath | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> _OneOp[list[tuple[str, ...]]]:
        """The namespaces holding items (see :class:`ListNamespacesOp`)."""
        return _OneOp(_list_op(prefix, suffix, max_depth, limit, offset))

    get = _one_op(_ask_get)
    search = _one_op(_ask_search)
    put = _one_op(_ask_put)
    delete = _one_op(_ask_delete)
    list_namespaces = _one_op(_ask_list_namespaces)
    aget = _one_aop(_ask_get)
    asearch = _one_aop(_ask_search)
    aput = _one_aop(_ask_put)
    adelete = _one_aop(_ask_delete)
    alist_namespaces = _one_aop(_ask_list_namespaces)


def with_store(config: Mapping[str, Any] | None, store: Any) -> dict[str, Any]:
    """``config`` carrying ``store`` for the run's nodes (a new dict; ``config`` is kept)."""
    return dict(with_configurable(config, STORE, store))


def get_store() -> Any:
    """The store of the run the current task belongs to (``None`` if its graph has none).

    The store is whatever ``compile(store=...)`` was given: one of
    :mod:`flowc.stores`, or LangGraph's own.

    Raises:
        RuntimeError: when called outside a flowc run.
    """
    configurable = running_task("get_store").run.config.get("configurable")
    return None if not configurable else configurable.get(STORE)
