"""Typed stream events: one frozen, slotted dataclass per stream mode.

Every event carries ``ns``, the namespace of the graph that produced it (``()``
for the root graph), and can render itself as LangGraph's chunk for its mode
(:meth:`chunk`). Generated modules subclass these per node so that a ``match``
on the class narrows the payload type.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from operator import attrgetter
from reprlib import recursive_repr
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Generic,
    Literal,
    NewType,
    TypeAlias,
    TypedDict,
    TypeVar,
)

__all__ = [
    "CustomEvent",
    "DebugEvent",
    "Event",
    "MessageMetadata",
    "MessagesEvent",
    "Namespace",
    "StreamMode",
    "TaskEvent",
    "TaskId",
    "TaskResultEvent",
    "UpdatesEvent",
    "ValuesEvent",
]

StreamMode: TypeAlias = Literal[
    "values", "updates", "custom", "messages", "tasks", "checkpoints", "debug"
]
Namespace: TypeAlias = tuple[str, ...]
TaskId = NewType("TaskId", str)

S_co = TypeVar("S_co", covariant=True)
N_co = TypeVar("N_co", bound=str, covariant=True)
U_co = TypeVar("U_co", covariant=True)
C_co = TypeVar("C_co", covariant=True)
I_co = TypeVar("I_co", covariant=True)


class _DataclassAttribute:
    """A class's ``__dataclass_fields__`` or ``__dataclass_params__``, made on first read.

    They are what ``dataclasses.dataclass(frozen=True, slots=True)`` gives the
    same class body. Making them imports dataclasses, so only code that asks
    for them (``dataclasses.fields``, ``asdict``, ``replace``, a dataclass
    subclass) pays for it; then the values replace both descriptors.
    """

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body
        self.owner: type[Any] = object
        self.name = ""

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.owner = owner
        self.name = name

    def __get__(self, instance: object, cls: type[Any] | None = None) -> Any:
        import dataclasses

        owner = self.owner
        twin: type[Any] = dataclasses.dataclass(frozen=True, slots=True)(
            type(owner.__name__, (), dict(self.body))
        )
        owner.__dataclass_fields__ = twin.__dataclass_fields__
        owner.__dataclass_params__ = twin.__dataclass_params__
        return getattr(twin, self.name)


def _frozen_slotted(cls: type[Any]) -> type[Any]:
    """The frozen, slotted dataclass ``@dataclass(frozen=True, slots=True)`` makes of ``cls``.

    The same methods and attributes as dataclasses gives it (``__init__``,
    ``__repr__``, ``__eq__``, ``__hash__``, frozen ``__setattr__`` and
    ``__delattr__`` raising ``FrozenInstanceError``, pickling state,
    ``__match_args__``, ``__slots__``, the dataclass fields and params), with
    two differences: ``__init__`` fills the slots directly, a third cheaper
    than through ``object.__setattr__`` (events are made once per node step),
    and the fields are made on first use (:class:`_DataclassAttribute`).
    """
    body = dict(cls.__dict__)
    annotations: dict[str, str] = body.get("__annotations__", {})
    # the events' annotations are strings (``from __future__ import annotations``)
    names = tuple(name for name, ann in annotations.items() if not ann.startswith("ClassVar["))
    twin: dict[str, Any] = {
        "__module__": cls.__module__,
        "__qualname__": cls.__qualname__,
        "__annotations__": annotations,
    }
    defaults: dict[str, Any] = {}
    for name in annotations:
        if name in body:
            twin[name] = body[name]
            if name in names:
                defaults[name] = body.pop(name)
    body.pop("__dict__", None)
    body.pop("__weakref__", None)
    body["__slots__"] = names
    body["__match_args__"] = names
    body["__dataclass_fields__"] = _DataclassAttribute(twin)
    body["__dataclass_params__"] = _DataclassAttribute(twin)
    assert len(names) > 1, "attrgetter of one name gives a value, not a tuple"
    values = attrgetter(*names)
    frozen: type[Any] = object  # the class made below

    @recursive_repr()
    def __repr__(self: Any) -> str:
        pairs = ", ".join(f"{n}={v!r}" for n, v in zip(names, values(self), strict=True))
        return f"{self.__class__.__qualname__}({pairs})"

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(values(self) == values(other))
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(values(self))

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is frozen or name in names:
            from dataclasses import FrozenInstanceError

            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is frozen or name in names:
            from dataclasses import FrozenInstanceError

            raise FrozenInstanceError(f"cannot delete field {name!r}")
        object.__delattr__(self, name)

    def __getstate__(self: Any) -> list[Any]:
        return list(values(self))

    def __setstate__(self: Any, state: list[Any]) -> None:
        for name, value in zip(names, state, strict=True):
            object.__setattr__(self, name, value)

    methods: list[Callable[..., Any]] = [
        __repr__,
        __eq__,
        __hash__,
        __setattr__,
        __delattr__,
        __getstate__,
        __setstate__,
    ]
    if sys.version_info >= (3, 13):  # pragma: no cover - dataclasses adds it from 3.13

        def __replace__(self: Any, /, **changes: Any) -> Any:
            import dataclasses

            return dataclasses.replace(self, **changes)

        methods.append(__replace__)
    for method in methods:
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        body[method.__name__] = method
    metaclass: Any = type(cls)
    frozen = metaclass(cls.__name__, cls.__bases__, body)

    # __init__ writes through the slots' descriptors, which exist only now
    scope: dict[str, Any] = {}
    params = []
    for name in names:
        scope[f"_set_{name}"] = getattr(frozen, name).__set__
        if name in defaults:
            scope[f"_default_{name}"] = defaults[name]
            params.append(f"{name}=_default_{name}")
        else:
            params.append(name)
    lines = "".join(f"    _set_{name}(self, {name})\n" for name in names)
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self, {', '.join(params)}):\n{lines}", scope, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    frozen.__init__ = init
    return frozen


if TYPE_CHECKING:
    from dataclasses import dataclass
else:
    # Event classes are made by a decorator of their own, not by dataclasses':
    # importing dataclasses (which imports inspect, ast, dis and tokenize) and
    # running its decorator seven times took a third of a runner's import time.
    # Type checkers see dataclasses.dataclass; at run time the classes are the
    # same frozen, slotted dataclasses (see _frozen_slotted).

    def dataclass(*, frozen: bool, slots: bool) -> Callable[[type[Any]], type[Any]]:
        """``dataclasses.dataclass(frozen=True, slots=True)`` for the event classes."""
        assert frozen and slots
        return _frozen_slotted


@dataclass(frozen=True, slots=True)
class ValuesEvent(Generic[S_co]):
    """The whole state after a superstep that wrote something (``values`` mode)."""

    data: S_co
    ns: Namespace = ()
    mode: ClassVar[Literal["values"]] = "values"

    def chunk(self) -> Any:
        """LangGraph's chunk: the state dict."""
        return self.data


@dataclass(frozen=True, slots=True)
class UpdatesEvent(Generic[N_co, U_co]):
    """What one node wrote, emitted as soon as it finished (``updates`` mode).

    ``data`` is ``None`` when the node wrote nothing.
    """

    node: N_co
    data: U_co | None
    ns: Namespace = ()
    mode: ClassVar[Literal["updates"]] = "updates"

    def chunk(self) -> Any:
        """LangGraph's chunk: ``{node: update}``."""
        return {self.node: self.data}


@dataclass(frozen=True, slots=True)
class CustomEvent(Generic[C_co]):
    """A payload a node passed to its stream writer (``custom`` mode)."""

    data: C_co
    ns: Namespace = ()
    mode: ClassVar[Literal["custom"]] = "custom"

    def chunk(self) -> Any:
        """LangGraph's chunk: the payload itself."""
        return self.data


class MessageMetadata(TypedDict, total=False):
    """Metadata of a ``messages`` event, with LangGraph's keys.

    User metadata (from the run config or the node) is merged in as extra keys.
    """

    thread_id: str
    ls_integration: str
    langgraph_step: int
    langgraph_node: str
    langgraph_triggers: tuple[str, ...]
    langgraph_path: tuple[str, ...]
    langgraph_checkpoint_ns: str
    checkpoint_ns: str
    ls_provider: str
    ls_model_name: str
    ls_model_type: str
    ls_temperature: float
    ls_max_tokens: int
    ls_stop: list[str]
    lc_versions: dict[str, str]
    tags: list[str]


@dataclass(frozen=True, slots=True)
class MessagesEvent:
    """A chat-model token, a whole model reply, or a message a node returned."""

    message: Any
    metadata: MessageMetadata
    ns: Namespace = ()
    mode: ClassVar[Literal["messages"]] = "messages"

    def chunk(self) -> Any:
        """LangGraph's chunk: ``(message, metadata)``."""
        return (self.message, self.metadata)


@dataclass(frozen=True, slots=True)
class TaskEvent(Generic[N_co, I_co]):
    """A task is about to run (``tasks`` mode; wrapped in ``debug`` mode)."""

    id: TaskId
    name: N_co
    input: I_co
    triggers: tuple[str, ...]
    metadata: Mapping[str, Any] | None
    step: int
    ns: Namespace = ()
    mode: ClassVar[Literal["tasks"]] = "tasks"

    def chunk(self) -> Any:
        """LangGraph's payload: ``{'id', 'name', 'input', 'triggers'[, 'metadata']}``."""
        payload: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "input": self.input,
            "triggers": self.triggers,
        }
        if self.metadata is not None:
            payload["metadata"] = self.metadata
        return payload


@dataclass(frozen=True, slots=True)
class TaskResultEvent(Generic[N_co, U_co]):
    """A task finished, with its writes or its error (``tasks`` mode)."""

    id: TaskId
    name: N_co
    error: BaseException | None
    result: U_co
    step: int
    interrupts: tuple[Any, ...] = ()
    ns: Namespace = ()
    mode: ClassVar[Literal["tasks"]] = "tasks"

    def chunk(self) -> Any:
        """LangGraph's payload: ``{'id', 'name', 'error', 'result', 'interrupts'}``."""
        return {
            "id": self.id,
            "name": self.name,
            "error": self.error,
            "result": self.result,
            "interrupts": list(self.interrupts),
        }


@dataclass(frozen=True, slots=True)
class DebugEvent(Generic[N_co]):
    """A task event wrapped with its step and a UTC timestamp (``debug`` mode)."""

    step: int
    timestamp: str
    payload: TaskEvent[N_co, Any] | TaskResultEvent[N_co, Any]
    ns: Namespace = ()
    mode: ClassVar[Literal["debug"]] = "debug"

    @property
    def type(self) -> Literal["task", "task_result"]:
        """``"task"`` for a start, ``"task_result"`` for a result."""
        return "task_result" if isinstance(self.payload, TaskResultEvent) else "task"

    def chunk(self) -> Any:
        """LangGraph's chunk: ``{'step', 'timestamp', 'type', 'payload'}``."""
        return {
            "step": self.step,
            "timestamp": self.timestamp,
            "type": self.type,
            "payload": self.payload.chunk(),
        }


Event: TypeAlias = (
    ValuesEvent[Any]
    | UpdatesEvent[str, Any]
    | CustomEvent[Any]
    | MessagesEvent
    | TaskEvent[str, Any]
    | TaskResultEvent[str, Any]
    | DebugEvent[str]
)
