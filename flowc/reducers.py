"""Reducers a spec can name for its state fields.

``add_messages`` (spec alias ``add_messages``) merges lists of chat messages
the way LangGraph's ``langgraph.graph.message.add_messages`` does: append,
but replace a message that has the id of one already there, and delete on
``RemoveMessage``. With ``langchain-core`` installed, message-like values
(dicts with ``role`` and ``content``, ``(role, content)`` tuples, strings,
message chunks) become LangChain messages first, exactly as in LangGraph.
Without it, messages are any objects with an ``id`` attribute, or dicts with
an ``"id"`` key, and are kept as they are.

``add_messages(format="langchain-openai")`` is the same reducer, with the
merged messages' contents put in OpenAI's format, as LangGraph's is.
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Callable
from functools import cache
from typing import Any, Final, Literal, TypeAlias, overload

__all__ = ["REMOVE_ALL_MESSAGES", "Format", "add_messages", "add_messages_openai_format"]

REMOVE_ALL_MESSAGES: Final = "__remove_all__"
"""The id of a ``RemoveMessage`` that clears the whole list (LangGraph's value)."""


Format: TypeAlias = Literal["langchain-openai"]
"""The message formats ``add_messages(format=...)`` knows (LangGraph's)."""

_FORMATS: Final = ("langchain-openai",)


@overload
def add_messages(left: Any, right: Any, *, format: Format | None = None) -> list[Any]: ...


@overload
def add_messages(*, format: Format | None = None) -> Callable[[Any, Any], list[Any]]: ...


def add_messages(
    left: Any = None, right: Any = None, *, format: Format | None = None
) -> list[Any] | Callable[[Any, Any], list[Any]]:
    """Merge ``right`` (a message or a list of them) into the list ``left``, by id.

    Every message ends up with an id (a fresh uuid4 when it had none). A
    message whose id is already in ``left`` replaces that message in place;
    a ``RemoveMessage`` deletes it (and one with id ``REMOVE_ALL_MESSAGES``
    drops everything before it). Other messages are appended.

    Called with ``format`` alone, gives the reducer that merges so and then
    formats the messages: ``format="langchain-openai"`` makes every
    message's content OpenAI's (text, ``image_url`` blocks), as LangGraph does.

    Raises:
        ValueError: when a ``RemoveMessage`` names an id that is not in the
            list, when only one of ``left`` and ``right`` is given, or for an
            unknown ``format``.
    """
    if format is not None and format not in _FORMATS:
        raise ValueError(f"Unrecognized {format=}. Expected one of 'langchain-openai', None.")
    if left is None or right is None:
        if left is not None or right is not None:
            raise ValueError(
                "Must specify non-null arguments for both 'left' and 'right'. Only "
                f"received: '{'left' if left else 'right'}'."
            )
        return _formatting(format)
    merged = _merge(left, right)
    return merged if format is None else _format(merged)


def _formatting(format: Format | None) -> Callable[[Any, Any], list[Any]]:
    """``add_messages`` with ``format`` bound: always the same function for one format.

    Annotations are evaluated again whenever they are read as strings (``from
    __future__ import annotations``): the same object each time lets generated
    code import it by name.
    """
    return _merge if format is None else add_messages_openai_format


def add_messages_openai_format(left: Any, right: Any) -> list[Any]:
    """``add_messages(format="langchain-openai")``: merge by id, then format as OpenAI's.

    Every message's content becomes text or OpenAI's content blocks
    (``image_url`` for an image). A TOML spec names it as the reducer
    ``flowc.reducers:add_messages_openai_format``.
    """
    return _format(_merge(left, right))


def _format(messages: list[Any]) -> list[Any]:
    """Messages with OpenAI-formatted contents (LangGraph's ``format="langchain-openai"``)."""
    try:
        from langchain_core.messages import convert_to_messages, convert_to_openai_messages
    except ImportError:
        warnings.warn(
            "Must have langchain-core>=0.3.11 installed to use automatic message "
            "formatting (format='langchain-openai'). Please update your langchain-core "
            "version or remove the 'format' flag. Returning un-formatted "
            "messages.",
            stacklevel=3,
        )
        return list(messages)
    return convert_to_messages(convert_to_openai_messages(messages))


def _merge(left: Any, right: Any) -> list[Any]:
    """``add_messages`` without a format."""
    left_list = list(left) if isinstance(left, list) else [left]
    right_list = list(right) if isinstance(right, list) else [right]
    coerce, is_remove = _flavour()
    left_list = [_ensure_id(m) for m in coerce(left_list)]
    right_list = [_ensure_id(m) for m in coerce(right_list)]
    remove_all = None
    for index, message in enumerate(right_list):
        if is_remove(message) and _id(message) == REMOVE_ALL_MESSAGES:
            remove_all = index
    if remove_all is not None:
        return right_list[remove_all + 1 :]
    merged = left_list.copy()
    position = {_id(m): i for i, m in enumerate(merged)}
    removed: set[Any] = set()
    for message in right_list:
        mid = _id(message)
        existing = position.get(mid)
        if existing is not None:
            if is_remove(message):
                removed.add(mid)
            else:
                removed.discard(mid)
                merged[existing] = message
        else:
            if is_remove(message):
                raise ValueError(
                    f"Attempting to delete a message with an ID that doesn't exist ('{mid}')"
                )
            position[mid] = len(merged)
            merged.append(message)
    if removed:
        merged = [m for m in merged if _id(m) not in removed]
    return merged


def _id(message: Any) -> Any:
    if isinstance(message, dict):
        return message.get("id")
    return getattr(message, "id", None)


def _ensure_id(message: Any) -> Any:
    """``message`` with an id: set on objects, added to a copy of a dict."""
    if _id(message) is not None:
        return message
    import uuid  # here: with `platform`, it is a tenth of the drop-in's warm start

    new_id = str(uuid.uuid4())
    if isinstance(message, dict):
        return {**message, "id": new_id}
    message.id = new_id
    return message


@cache
def _flavour() -> tuple[Callable[[list[Any]], list[Any]], Callable[[Any], bool]]:
    """How to coerce a list to messages and recognise a removal, with or without LangChain."""
    if importlib.util.find_spec("langchain_core") is None:
        return list, _is_plain_removal
    from langchain_core.messages import (
        BaseMessage,
        BaseMessageChunk,
        RemoveMessage,
        convert_to_messages,
        message_chunk_to_message,
    )

    def coerce(messages: list[Any]) -> list[Any]:
        if all(
            issubclass(t, BaseMessage) and not issubclass(t, BaseMessageChunk)
            for t in set(map(type, messages))
        ):
            return messages
        out: list[Any] = []
        for message in messages:
            if isinstance(message, BaseMessage) or not _foreign(message):
                converted = convert_to_messages([message])[0]
                out.append(message_chunk_to_message(converted))
            else:
                out.append(message)
        return out

    def is_remove(message: Any) -> bool:
        return isinstance(message, RemoveMessage)

    return coerce, is_remove


def _foreign(message: Any) -> bool:
    """A message object LangChain does not know (e.g. flowc's own client's), kept as it is."""
    return not isinstance(message, dict | str | tuple | list) and hasattr(message, "id")


def _is_plain_removal(message: Any) -> bool:
    if isinstance(message, dict):
        return message.get("type") == "remove"
    return type(message).__name__ == "RemoveMessage"
