"""``flowc run``: build a spec's runner, stream it, print each event as it arrives.

``--format jsonl`` prints one JSON object per event (schema: docs/cli.md);
``--format pretty`` prints one line per event, indented by namespace depth.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

from flowc.dsl.diagnostics import DiagnosticError, render_all
from flowc.runtime import (
    CustomEvent,
    DebugEvent,
    MessagesEvent,
    TaskEvent,
    TaskResultEvent,
    UpdatesEvent,
    ValuesEvent,
)

__all__ = ["event_json", "run_command"]


def to_jsonable(value: Any) -> Any:
    """A JSON-ready rendering of event payloads (messages, exceptions, dataclasses)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, BaseException):
        return {"type": type(value).__name__, "message": str(value)}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        try:
            return to_jsonable(dump())
        except Exception:
            pass
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_jsonable({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    return repr(value)


def event_json(event: Any) -> dict[str, Any]:
    """One event as the documented ``jsonl`` object."""
    out: dict[str, Any] = {"mode": event.mode, "ns": list(event.ns)}
    if isinstance(event, UpdatesEvent):
        out["node"] = event.node
        out["data"] = to_jsonable(event.data)
    elif isinstance(event, ValuesEvent | CustomEvent):
        out["data"] = to_jsonable(event.data)
    elif isinstance(event, MessagesEvent):
        out["message"] = to_jsonable(event.message)
        out["metadata"] = to_jsonable(event.metadata)
    elif isinstance(event, TaskEvent | TaskResultEvent):
        out["data"] = to_jsonable(event.chunk())
        out["step"] = event.step
    elif isinstance(event, DebugEvent):
        out["data"] = to_jsonable(event.chunk())
    return out


def _pretty(event: Any) -> str:
    indent = "  " * len(event.ns)
    mode = event.mode
    if isinstance(event, UpdatesEvent):
        body = f"{event.node}: {event.data!r}"
    elif isinstance(event, TaskEvent):
        body = f"start {event.name} (step {event.step})"
    elif isinstance(event, TaskResultEvent):
        body = f"done {event.name}" if event.error is None else f"failed {event.name}: {event.error!r}"
    elif isinstance(event, DebugEvent):
        body = f"{event.type} {event.payload.name} (step {event.step})"
    elif isinstance(event, MessagesEvent):
        body = repr(getattr(event.message, "content", event.message))
    else:
        body = repr(event.chunk())
    return f"{indent}{mode:<8} {body}"


def run_command(args: argparse.Namespace) -> int:
    """Run ``flowc run`` with parsed arguments."""
    from flowc.build import build

    raw = args.input
    if raw.startswith("@"):
        try:
            raw = Path(raw[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            print(f"flowc: error: cannot read {raw[1:]}: {exc.strerror}", file=sys.stderr)
            return 2
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        print(f"flowc: error: --input is not JSON: {exc}", file=sys.stderr)
        return 2
    target = args.target
    if target.endswith(".toml"):
        sys.path.insert(0, str(Path(target).resolve().parent))
    try:
        module = build(target)
    except DiagnosticError as exc:
        print(render_all(exc.diagnostics, exc.texts), file=sys.stderr)
        return 1
    modes = args.stream_modes or ["updates"]
    mode_arg: Any = modes[0] if len(modes) == 1 else modes
    started = time.perf_counter()
    count = 0
    try:
        for event in module.stream(data, stream_mode=mode_arg, subgraphs=args.subgraphs):
            count += 1
            if args.format == "jsonl":
                print(json.dumps(event_json(event)), flush=True)
            else:
                print(_pretty(event), flush=True)
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        print(f"flowc: run failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if args.format == "pretty":
        elapsed = time.perf_counter() - started
        print(f"-- {count} events in {elapsed * 1000:.1f} ms", file=sys.stderr)
    return 0
