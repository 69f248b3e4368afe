"""``MessagesState``: LangGraph's prebuilt state of a chat, with flowc's ``add_messages``.

Loaded only when asked for, since it imports LangChain's message types when
they are installed.
"""

from __future__ import annotations

import importlib.util
from typing import Annotated, Any, TypedDict

from flowc.reducers import add_messages

__all__ = ["MessagesState"]

if importlib.util.find_spec("langchain_core") is not None:
    from langchain_core.messages import AnyMessage
else:  # pragma: no cover - exercised without the langchain extra
    AnyMessage = Any  # type: ignore[misc,assignment]


class MessagesState(TypedDict):
    """A state with one field, ``messages``, merged by id with :func:`add_messages`."""

    messages: Annotated[list[AnyMessage], add_messages]


# LangGraph's MessagesState has no docstring, and a TypedDict's docstring is the
# "description" of its JSON Schema (get_input_jsonschema()): keep them equal
MessagesState.__doc__ = None
