"""How the event classes are made: frozen, slotted dataclasses without importing dataclasses.

:func:`_frozen_slotted` gives a class body what ``dataclasses.dataclass(frozen=True,
slots=True)`` gives it (the ``__dataclass_fields__`` that :mod:`dataclasses` functions
read are made on first read); :func:`_made_on_read` is a field made from a raw value
when first read; :func:`iso_timestamp` writes debug timestamps as LangGraph does.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any


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

    A class may name fields whose value is made when first read
    (``_made_on_read``: field name to a raw type and the function that turns
    a raw value into the field's): ``__init__`` accepts either, a property
    makes the value from a raw one on first read and keeps it. Everything
    that reads fields (equality, ``repr``, pickling, ``dataclasses.asdict``)
    sees only made values.
    """
    body = dict(cls.__dict__)
    annotations: dict[str, str] = body.get("__annotations__", {})
    # the events' annotations are strings (``from __future__ import annotations``)
    names = tuple(name for name, ann in annotations.items() if not ann.startswith("ClassVar["))
    made: Mapping[str, tuple[type[Any], Callable[[Any], Any]]] = body.get("_made_on_read", {})
    slots = tuple(f"_{name}" if name in made else name for name in names)
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
    body["__slots__"] = slots
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
        for slot, value in zip(slots, state, strict=True):
            object.__setattr__(self, slot, value)

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

    for name, (raw, make) in made.items():
        setattr(frozen, name, _made_on_read(getattr(frozen, f"_{name}"), raw, make))

    if "__init__" in body:
        return frozen  # the class's own, as dataclasses keeps it
    # __init__ writes through the slots' descriptors, which exist only now
    scope: dict[str, Any] = {}
    params = []
    for name, slot in zip(names, slots, strict=True):
        scope[f"_set_{name}"] = getattr(frozen, slot).__set__
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


def _made_on_read(slot: Any, raw: type[Any], make: Callable[[Any], Any]) -> property:
    """A field whose slot holds its value, or a raw value it is made from when first read."""
    get = slot.__get__
    keep = slot.__set__

    def read(self: Any) -> Any:
        value = get(self)
        if type(value) is raw:
            value = make(value)
            keep(self, value)
        return value

    return property(read)


_second: tuple[int, str] = (-1, "")


def iso_timestamp(time_ns: int) -> str:
    """``time_ns`` as LangGraph writes debug timestamps: ``datetime.now(UTC).isoformat()``.

    That is ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00``, without the fraction when it
    is zero; the text of the second is made once per second.
    """
    global _second
    seconds, nanos = divmod(time_ns, 1_000_000_000)
    second = _second
    if second[0] != seconds:
        import time

        second = _second = (seconds, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)))
    micros = nanos // 1000
    return f"{second[1]}.{micros:06d}+00:00" if micros else f"{second[1]}+00:00"
