"""``flowc run --format pretty``: events for people, one line each, by mode, by namespace."""

from __future__ import annotations

import json
from typing import Any, TextIO

from flowc.runtime import (
    CustomEvent,
    DebugEvent,
    MessagesEvent,
    Namespace,
    TaskEvent,
    TaskResultEvent,
    UpdatesEvent,
    ValuesEvent,
)

__all__ = ["Pretty", "ns_label"]

# ANSI colours per stream mode; the body of a line stays uncoloured.
_MODE_COLOR = {
    "values": "34",  # blue
    "updates": "32",  # green
    "custom": "35",  # magenta
    "messages": "36",  # cyan
    "tasks": "33",  # yellow
    "checkpoints": "33",
    "debug": "90",  # grey
    "error": "1;31",  # bold red
}


def ns_label(ns: Namespace) -> str:
    """A namespace for people: node names without task ids (``outer/inner``, ``twice#2``)."""
    parts: list[str] = []
    for segment in ns:
        name, sep, _ = segment.partition(":")
        if sep:
            parts.append(name)
        elif segment.isdigit() and parts:
            # a task's 2nd, 3rd... subgraph call gets the segment "1", "2"...
            parts[-1] = f"{parts[-1]}#{int(segment) + 1}"
        else:
            parts.append(segment)
    return "/".join(parts)


def _message_text(message: Any) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            block.get("text", "") if isinstance(block, dict) else str(block) for block in content
        ]
        return "".join(texts)
    return repr(content)


def _tool_call_text(message: Any) -> str:
    """The tool calls of a message (whole, or streamed in pieces), as they are shown.

    A streamed call arrives as chunks: the first names the tool, the next ones
    carry pieces of its JSON arguments; each is shown as it comes.
    """
    parts = []
    for chunk in getattr(message, "tool_call_chunks", None) or ():
        name, args = _get(chunk, "name"), _get(chunk, "args")
        parts.append((f"[tool call {name}] " if name else "") + (args or ""))
    if parts:
        return "".join(parts)
    for call in getattr(message, "tool_calls", None) or ():
        args = json.dumps(_get(call, "args") or {}, ensure_ascii=False, default=repr)
        parts.append(f"[tool call {_get(call, 'name')}] {args}")
    return " ".join(parts)


def _get(item: Any, key: str) -> Any:
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def _is_token(message: Any) -> bool:
    """A streamed piece of a model reply (``AIMessageChunk`` and the like)."""
    return type(message).__name__.endswith("Chunk")


class Pretty:
    """Prints events for people: one line each, by mode, indented by namespace depth.

    Tokens of one streamed message are written on one line as they arrive.
    """

    def __init__(self, out: TextIO, *, color: bool) -> None:
        self.out = out
        self.color = color
        self._open: tuple[Namespace, Any] | None = None
        """(namespace, message id) of the token line being written, if any."""

    def _paint(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def _head(self, mode: str, ns: Namespace) -> str:
        indent = "  " * len(ns)
        label = f"[{ns_label(ns)}] " if ns else ""
        return f"{indent}{self._paint(_MODE_COLOR[mode], f'{mode:<9}')} {label}"

    def close_line(self) -> None:
        """End a token line left open."""
        if self._open is not None:
            self._open = None
            self.out.write("\n")

    def event(self, event: Any) -> None:
        """Print one event."""
        if isinstance(event, MessagesEvent) and _is_token(event.message):
            key = (event.ns, getattr(event.message, "id", None))
            text = _message_text(event.message) + _tool_call_text(event.message)
            if self._open == key:
                self.out.write(text)
            else:
                self.close_line()
                node = event.metadata.get("langgraph_node", "?")
                self.out.write(f"{self._head('messages', event.ns)}{node}: {text}")
                self._open = key
            self.out.flush()
            return
        self.close_line()
        self.out.write(f"{self._head(event.mode, event.ns)}{self._body(event)}\n")
        self.out.flush()

    def _body(self, event: Any) -> str:
        if isinstance(event, UpdatesEvent):
            return f"{event.node}: {event.data!r}"
        if isinstance(event, ValuesEvent | CustomEvent):
            return repr(event.data)
        if isinstance(event, MessagesEvent):
            node = event.metadata.get("langgraph_node", "?")
            kind = getattr(event.message, "type", type(event.message).__name__)
            text = " ".join(
                t for t in (_message_text(event.message), _tool_call_text(event.message)) if t
            )
            return f"{node}: [{kind}] {text}"
        if isinstance(event, TaskEvent):
            return f"start {event.name} (step {event.step}) input={event.input!r}"
        if isinstance(event, TaskResultEvent):
            if event.error is not None:
                error = f"{type(event.error).__name__}: {event.error}"
                return f"failed {event.name} (step {event.step}): {error}"
            return f"done {event.name} (step {event.step}) result={event.result!r}"
        if isinstance(event, DebugEvent):
            return f"{event.type} {event.payload.name} (step {event.step})"
        return repr(event.chunk())

    def error(self, text: str) -> None:
        """A failure line (on the printer's stream)."""
        self.close_line()
        self.out.write(f"{self._paint(_MODE_COLOR['error'], 'error')}: {text}\n")
        self.out.flush()
