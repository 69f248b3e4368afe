"""``messages`` mode: chat-model tokens and node-output messages as events.

The runtime calls :func:`run_task` / :func:`arun_task` around every task of a
run that streams ``messages``; chat-model integrations call the emit hooks
from inside a running node:

* :func:`emit_chunk` for a token chunk of a reply being streamed,
* :func:`emit_message` for a whole reply (skipped if its id was streamed),
* :func:`emit_node_output` for the messages a node returned.

Standard library only: integrations register the classes that count as
messages (:func:`register_message_type`) and a per-task context
(:func:`register_task_context`), for example the LangChain integration, which
sets the config LangChain chat models pick up. The LangChain integration is
loaded lazily, the first time a run streams ``messages``, if ``langchain_core``
is importable.

Metadata follows LangGraph 1.x exactly, key order included: the run's
metadata, ``thread_id``, ``ls_integration``, the ``langgraph_*`` keys of the
task, the node's metadata; then, for model replies, ``checkpoint_ns``, the
model's ``ls_*`` keys and ``tags``.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypeVar, cast

from ._integrations import Integrations
from .events import MessageMetadata, MessagesEvent

if TYPE_CHECKING:
    from .run import Task

__all__ = [
    "MessageStream",
    "TaskContext",
    "arun_task",
    "config_extras",
    "config_metadata",
    "emit_chunk",
    "emit_message",
    "emit_node_output",
    "is_message",
    "model_metadata",
    "node_metadata",
    "register_message_type",
    "register_task_context",
    "run_metadata",
    "run_task",
    "set_config_extras",
    "streaming_task",
]

R = TypeVar("R")

TaskContext: TypeAlias = "Callable[[Task], AbstractContextManager[Mapping[str, Any] | None]]"
"""A per-task context an integration registers.

It is entered around every task that streams ``messages`` (in the thread or
asyncio task that runs the node). What it yields, if not ``None``, is merged
into the config a node's ``config`` parameter receives (e.g. ``callbacks``).
"""

_PROPAGATED: Final = (
    "thread_id",
    "checkpoint_id",
    "checkpoint_ns",
    "task_id",
    "run_id",
    "assistant_id",
    "graph_id",
)
"""``configurable`` keys that LangGraph copies into a run's metadata."""

_INTEGRATIONS: Final = Integrations(("langchain_core", "flowc.integrations.langchain"))
"""(module that must be importable, integration module that registers itself)."""

_message_types: tuple[type, ...] = ()
_task_contexts: list[TaskContext] = []

_config_extras: contextvars.ContextVar[Mapping[str, Any] | None] = contextvars.ContextVar(
    "flowc_config_extras", default=None
)


def register_message_type(cls: type) -> None:
    """Count instances of ``cls`` as messages (they must have an ``id`` attribute)."""
    global _message_types
    if cls not in _message_types:
        _message_types = (*_message_types, cls)


def register_task_context(factory: TaskContext) -> None:
    """Enter ``factory(task)`` around every task that streams ``messages``."""
    if factory not in _task_contexts:
        _task_contexts.append(factory)


def is_message(value: Any) -> bool:
    """Whether ``value`` is an instance of a registered message class."""
    return bool(_message_types) and isinstance(value, _message_types)


class MessageStream:
    """The message ids a run has streamed, shared with the subgraphs it streams.

    A whole message is streamed once per run: a model reply whose tokens were
    streamed, or a message the node received as input, is not repeated when a
    node returns it.
    """

    __slots__ = ("_lock", "_seen")

    def __init__(self) -> None:
        _INTEGRATIONS.load()
        self._lock = threading.Lock()
        self._seen: set[Any] = set()

    def add(self, message_id: Any) -> None:
        """Record ``message_id`` as streamed."""
        with self._lock:
            self._seen.add(message_id)

    def first(self, message_id: Any) -> bool:
        """Record ``message_id``; ``True`` if it had not been streamed yet."""
        with self._lock:
            if message_id in self._seen:
                return False
            self._seen.add(message_id)
            return True


# -- metadata ---------------------------------------------------------------------------


def run_metadata(task: Task) -> dict[str, Any]:
    """The metadata LangGraph attaches to the callbacks of the run ``task`` belongs to.

    The root run's config metadata, the ``configurable`` keys LangGraph copies
    into metadata (``thread_id``...), then ``ls_integration``.
    """
    run = task.run
    while run.parent is not None:
        run = run.parent.run
    meta = dict(run.user_metadata)
    configurable = run.config.get("configurable") or {}
    for key in _PROPAGATED:
        if key not in meta and configurable.get(key):
            meta[key] = configurable[key]
    meta.setdefault("ls_integration", "langgraph")
    return meta


def config_metadata(task: Task) -> dict[str, Any]:
    """The ``metadata`` of the config ``task``'s node receives, in LangGraph's order.

    For a task of a root run: the run's metadata, ``thread_id`` (and the other
    keys LangGraph copies from ``configurable``), the ``langgraph_*`` keys, the
    node's metadata. A task of a graph run inside another task starts from that
    task's metadata, adds ``checkpoint_ns`` (the outermost task's namespace, as
    LangGraph does), and overwrites the ``langgraph_*`` keys in place.
    """
    run = task.run
    parent = run.parent
    if parent is None:
        meta = dict(run.user_metadata)
        configurable = run.config.get("configurable") or {}
        for key in _PROPAGATED:
            if key not in meta and configurable.get(key):
                meta[key] = configurable[key]
    else:
        meta = config_metadata(parent)
        meta.setdefault("checkpoint_ns", parent.checkpoint_ns)
    meta["langgraph_step"] = task.step
    meta["langgraph_node"] = task.name
    meta["langgraph_triggers"] = task.triggers
    # a Send's task carries its path; any other task is the pull of its node
    meta["langgraph_path"] = getattr(task, "path", None) or ("__pregel_pull", task.name)
    meta["langgraph_checkpoint_ns"] = task.checkpoint_ns
    if task.metadata:
        meta.update(task.metadata)
    return meta


def node_metadata(task: Task) -> MessageMetadata:
    """Metadata of a message ``task``'s node returned (``ls_integration='langgraph'``)."""
    meta = run_metadata(task)
    meta.update(config_metadata(task))
    return cast(MessageMetadata, meta)


def model_metadata(
    task: Task,
    ls_params: Mapping[str, Any],
    tags: Sequence[str] = (),
) -> MessageMetadata:
    """Metadata of a chat-model reply streamed from ``task``, as LangChain builds it.

    Args:
        task: the running task.
        ls_params: the model's ``ls_*`` keys; ``ls_integration`` among them
            replaces LangGraph's value in place, the others come after
            ``checkpoint_ns``, in the order given.
        tags: the model's own tags; the run's and the node's come first.
    """
    meta = node_metadata(task)
    out = cast(dict[str, Any], meta)
    out.setdefault("checkpoint_ns", task.checkpoint_ns)
    out.update(ls_params)
    all_tags = [*task.run.tags, *task.tags, *tags]
    if all_tags:
        out["tags"] = list(dict.fromkeys(all_tags))
    return meta


# -- emitting ---------------------------------------------------------------------------


def streaming_task(task: Task | None = None) -> Task | None:
    """``task`` (default: the current task) if its run streams ``messages``, else ``None``."""
    if task is None:
        from .run import current_task

        task = current_task()
    if task is None or not task.run.messages or task.run.message_stream is None:
        return None
    return task


def _stream_of(task: Task) -> MessageStream:
    return cast(MessageStream, task.run.message_stream)


def _ensure_id(message: Any) -> Any:
    message_id = getattr(message, "id", None)
    if message_id is None:
        import uuid

        message_id = str(uuid.uuid4())
        message.id = message_id
    return message_id


def emit_chunk(message: Any, metadata: MessageMetadata, task: Task | None = None) -> bool:
    """Stream one token chunk of a model reply (chunks are never deduplicated).

    Every chunk of one reply should carry the reply's id, so that the whole
    reply is not streamed again when the model call ends or the node returns it.

    Returns:
        whether the chunk was streamed (``False`` outside a run streaming ``messages``).
    """
    task = streaming_task(task)
    if task is None:
        return False
    _stream_of(task).add(_ensure_id(message))
    task.emit(MessagesEvent(message, metadata, task.run.ns))
    return True


def emit_message(message: Any, metadata: MessageMetadata, task: Task | None = None) -> bool:
    """Stream a whole message unless a message with its id was streamed in this run.

    A message without an id gets a fresh uuid4 id (set on the object, so the
    same id ends up in the state if the node returns it).

    Returns:
        whether the message was streamed.
    """
    task = streaming_task(task)
    if task is None:
        return False
    if not _stream_of(task).first(_ensure_id(message)):
        return False
    task.emit(MessagesEvent(message, metadata, task.run.ns))
    return True


def _state_values(value: Any) -> Sequence[Any]:
    if isinstance(value, dict):
        return list(value.values())
    model_fields = getattr(type(value), "model_fields", None)
    if isinstance(model_fields, dict) and hasattr(value, "model_dump"):
        return [getattr(value, name) for name in model_fields]
    # dataclasses.is_dataclass(value), without importing dataclasses for values that are not
    if hasattr(type(value), "__dataclass_fields__"):
        from dataclasses import fields

        return [getattr(value, f.name) for f in fields(value)]
    return ()


def _messages_in(value: Any) -> Iterator[Any]:
    """The messages of a node's output: itself, its items, or its fields' (one level)."""
    if is_message(value):
        yield value
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        yield from (item for item in value if is_message(item))
    else:
        for field in _state_values(value):
            if is_message(field):
                yield field
            elif isinstance(field, Sequence) and not isinstance(field, str | bytes):
                yield from (item for item in field if is_message(item))


def emit_node_output(task: Task, output: Any) -> None:
    """Stream each message in a node's output whose id this run has not streamed yet."""
    if not _message_types or streaming_task(task) is None:
        return
    metadata: MessageMetadata | None = None
    for message in _messages_in(output):
        if metadata is None:
            metadata = node_metadata(task)
        emit_message(message, metadata, task)


def _mark_input(task: Task, node_input: Any) -> None:
    """Record the ids of the messages a node receives (they are not streamed again)."""
    if not _message_types:
        return
    stream = _stream_of(task)
    for value in _state_values(node_input):
        if is_message(value):
            if getattr(value, "id", None) is not None:
                stream.add(value.id)
        elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
            for item in value:
                if is_message(item) and getattr(item, "id", None) is not None:
                    stream.add(item.id)


# -- around a task ----------------------------------------------------------------------


def config_extras() -> Mapping[str, Any] | None:
    """What the integrations add to the current task's node config (``callbacks``...)."""
    return _config_extras.get()


def set_config_extras(extras: Mapping[str, Any]) -> Callable[[], None]:
    """Add ``extras`` to the current task's node config (over what is there); returns the undo."""
    current = _config_extras.get()
    token = _config_extras.set({**current, **extras} if current else extras)
    return lambda: _config_extras.reset(token)


def _enter(task: Task, stack: ExitStack) -> None:
    extras: dict[str, Any] = {}
    for factory in _task_contexts:
        value = stack.enter_context(factory(task))
        if value:
            extras.update(value)
    if extras:
        stack.callback(set_config_extras(extras))


def run_task(task: Task, fn: Callable[..., R], args: tuple[Any, ...]) -> R:
    """Run ``fn(task, *args)`` (a node body) as a task that streams ``messages``.

    ``args[0]`` is the node's input and the body returns ``(update, goto)``:
    the input's messages are recorded as seen, the integrations' contexts are
    entered around the body, and the update's new messages are streamed.
    """
    with ExitStack() as stack:
        _enter(task, stack)
        _mark_input(task, args[0])
        result = fn(task, *args)
    emit_node_output(task, cast(Any, result)[0])
    return result


async def arun_task(task: Task, fn: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    """Async twin of :func:`run_task` for ``async`` node bodies."""
    with ExitStack() as stack:
        _enter(task, stack)
        _mark_input(task, args[0])
        result = await fn(task, *args)
    emit_node_output(task, result[0])
    return result
