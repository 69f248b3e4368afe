"""``flowc run``: build a spec's runner (from the cache when fresh), stream it, print events.

Takes parsed command-line arguments, gives an exit code and prints as the run
goes: ``--format pretty`` one line per event for people, ``--format jsonl``
one JSON object per event for programs. The jsonl schema is LangGraph's v2
stream part, ``{"type": mode, "ns": [...], "data": chunk}``, documented in
docs/cli.md and given as JSON Schema by ``flowc schema``.

Exit codes: 0 done, 1 the spec has errors or the run failed, 2 bad arguments,
3 internal error (a runner flowc could not generate or import), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import signal
import sys
import sysconfig
import time
import traceback
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from flowc.cache import load_cached
from flowc.cli._output import (
    add_color,
    add_graph_command,
    check_for_command,
    color,
    error,
    import_failure,
    internal_error,
)
from flowc.cli._pretty import Pretty, ns_label
from flowc.dsl.graph import CheckedGraph
from flowc.runtime import (
    TaskEvent,
    TaskResultEvent,
)

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "MODES",
    "Pretty",
    "add_parser",
    "event_json",
    "ns_label",
    "run_command",
    "to_jsonable",
]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

MODES = ("values", "updates", "custom", "messages", "tasks", "checkpoints", "debug")
"""The stream modes ``--stream-mode`` accepts (LangGraph's names)."""


class _Usage(Exception):
    """A bad argument (exit 2); the message says which and why."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``run`` subcommand and its options."""
    p = add_graph_command(
        sub,
        "run",
        run_command,
        help="compile if stale, run, and print events as they arrive",
        description="Run a graph and print its events as they arrive (schema of jsonl: docs/cli.md).",
    )
    p.add_argument("--input", required=True, help="the input: JSON text, @file, or - for stdin")
    p.add_argument(
        "--stream-mode",
        action="append",
        dest="stream_modes",
        metavar="MODE",
        choices=MODES,
        help=f"one of {', '.join(MODES)}; repeat for several (default: updates; "
        "checkpoints needs durable runs, which flowc does not have yet)",
    )
    p.add_argument("--subgraphs", action="store_true", help="include the events of subgraphs")
    p.add_argument(
        "--config",
        help="run config as JSON, @file or -: recursion_limit, tags, metadata, configurable, "
        "run_id",
    )
    p.add_argument("--format", choices=("pretty", "jsonl"), default="pretty")
    add_color(p)
    p.add_argument(
        "--async",
        dest="use_async",
        action="store_true",
        help="run with astream (automatic for async graphs)",
    )
    p.add_argument(
        "--traceback", action="store_true", help="print the whole traceback of a failure"
    )


# -- JSON --------------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    """A JSON-ready rendering of a payload.

    Dicts, lists and tuples map to objects and arrays, messages and other
    pydantic models to their ``model_dump()``, dataclasses to objects,
    exceptions to ``{"type", "message"}``; anything else to its ``repr``.
    """
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return [to_jsonable(v) for v in sorted(value, key=repr)]
    if isinstance(value, BaseException):
        return {"type": type(value).__name__, "message": str(value)}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        try:
            return to_jsonable(dump())
        except Exception:
            return repr(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return repr(value)


def event_json(event: Any) -> dict[str, Any]:
    """One event as a ``jsonl`` object: ``{"type": mode, "ns": [...], "data": chunk}``.

    ``data`` is LangGraph's v1 chunk for the mode (so the object is LangGraph's
    v2 stream part), with the conversions of :func:`to_jsonable`.
    """
    return {"type": event.mode, "ns": list(event.ns), "data": to_jsonable(event.chunk())}


# -- reading arguments -------------------------------------------------------------


def _read_json(option: str, raw: str) -> Any:
    """The JSON value of ``--input``/``--config``: inline text, ``@file`` or ``-`` (stdin)."""
    source = option
    if raw == "-":
        raw = sys.stdin.read()
        source = f"{option} (stdin)"
    elif raw.startswith("@"):
        path = raw[1:]
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise _Usage(f"{option}: cannot read {path}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise _Usage(f"{option}: {path} is not UTF-8 text") from None
        source = path
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        lines = raw.splitlines() or [""]
        line = lines[exc.lineno - 1] if exc.lineno - 1 < len(lines) else ""
        caret = " " * (exc.colno - 1) + "^"
        raise _Usage(
            f"{source}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}\n  {line}\n  {caret}"
        ) from None


_CONFIG_KEYS: dict[str, tuple[type, str]] = {
    "recursion_limit": (int, "an integer"),
    "tags": (list, "a list of strings"),
    "metadata": (dict, "an object"),
    "configurable": (dict, "an object"),
    "run_id": (str, "a string"),
}


def _check_config(config: Any) -> None:
    """``--config`` must be an object of the keys a run's config has, each of its type."""
    if not isinstance(config, dict):
        raise _Usage("--config: expected a JSON object (recursion_limit, tags, metadata, ...)")
    for key, value in config.items():
        if key not in _CONFIG_KEYS:
            known = ", ".join(_CONFIG_KEYS)
            raise _Usage(f"--config: unknown key {key!r} (known keys: {known})")
        kind, text = _CONFIG_KEYS[key]
        bad = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if key == "tags" and not bad:
            bad = not all(isinstance(tag, str) for tag in value)
        if bad:
            raise _Usage(f"--config: {key} must be {text}, not {json.dumps(value)}")


# -- following a run ---------------------------------------------------------------


@dataclasses.dataclass
class Progress:
    """What a run did so far: for the summary, failures and interruptions."""

    started: float = dataclasses.field(default_factory=time.perf_counter)
    events: int = 0
    steps: int = 0
    nodes_run: int = 0
    running: dict[str, TaskEvent[str, Any]] = dataclasses.field(default_factory=dict)
    failed: TaskResultEvent[str, Any] | None = None

    def see(self, event: Any) -> None:
        """Account for one event (shown or not)."""
        if isinstance(event, TaskEvent):
            self.running[event.id] = event
            if not event.ns:
                self.steps = max(self.steps, event.step)
        elif isinstance(event, TaskResultEvent):
            self.running.pop(event.id, None)
            if event.error is None:
                self.nodes_run += 1
            elif self.failed is None:
                # the innermost failure comes first; parents re-raise the same error
                self.failed = event

    def summary(self) -> str:
        """``2 steps, 2 nodes run, 5 events in 1.2 ms``."""
        ms = (time.perf_counter() - self.started) * 1000
        elapsed = f"{ms:.1f} ms" if ms < 1000 else f"{ms / 1000:.2f} s"
        return (
            f"{self.steps} step{'s' * (self.steps != 1)}, "
            f"{self.nodes_run} node{'s' * (self.nodes_run != 1)} run, "
            f"{self.events} event{'s' * (self.events != 1)} in {elapsed}"
        )


def _where(exc: BaseException) -> str | None:
    """``file:line in function`` of the innermost frame of the user's code.

    Frames of flowc and of generated runners are skipped; so are those of
    installed libraries (a LangChain model, say) when the user's own code is
    further out, since the user's call is what they can change.
    """
    import flowc

    flowc_dir = str(Path(flowc.__file__).resolve().parent)
    paths = sysconfig.get_paths()
    libraries = tuple(
        str(Path(paths[key]).resolve()) for key in ("stdlib", "platstdlib", "purelib", "platlib")
    )
    own: str | None = None
    any_frame: str | None = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        filename = code.co_filename
        resolved = str(Path(filename).resolve())
        generated = "/_flowc_" in filename or filename.startswith("<")
        if not generated and not resolved.startswith(flowc_dir):
            try:
                shown = os.path.relpath(filename)
            except ValueError:
                shown = filename
            found = f"{shown}:{tb.tb_lineno} in {code.co_name}"
            any_frame = found
            if not resolved.startswith(libraries):
                own = found
        tb = tb.tb_next
    return own or any_frame


def _failure_text(exc: BaseException, progress: Progress) -> str:
    error = f"{type(exc).__name__}: {exc}"
    failed = progress.failed
    if failed is None or failed.error is not exc:
        return f"run failed: {error}"
    where = f" in subgraph {ns_label(failed.ns)}" if failed.ns else ""
    return f"node {failed.name!r}{where} failed at step {failed.step}: {error}"


def _error_json(exc: BaseException, progress: Progress) -> dict[str, Any]:
    failed = progress.failed
    mine = failed is not None and failed.error is exc
    return {
        "type": "error",
        "ns": list(failed.ns) if mine and failed is not None else [],
        "data": {
            "node": failed.name if mine and failed is not None else None,
            "step": failed.step if mine and failed is not None else None,
            "error": type(exc).__name__,
            "message": str(exc),
        },
    }


def _on_interrupt(progress: Progress, printer: Pretty | None) -> Any:
    """A SIGINT handler that reports where the run was and leaves at once.

    Node functions run on worker threads that Python cannot stop; waiting for
    them would make Ctrl-C hang until they return, so the process exits here,
    after flushing what was printed.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        try:
            if printer is not None:
                printer.close_line()
            sys.stdout.flush()
        except (OSError, RuntimeError, ValueError):
            pass
        running = sorted({(t.step, ns_label(t.ns), t.name) for t in progress.running.values()})
        where = ""
        if running:
            names = ", ".join(f"{ns}/{name}" if ns else name for _, ns, name in running)
            where = f" at step {running[0][0]} (running: {names})"
        sys.stderr.write(f"\nflowc: interrupted{where}\n")
        try:
            sys.stderr.flush()
        finally:
            os._exit(EXIT_INTERRUPTED)

    return handler


def _uses_async(graph: CheckedGraph) -> bool:
    for node in graph.nodes:
        if node.is_async or any(b.is_async for b in node.branches):
            return True
        if node.subgraph is not None and _uses_async(node.subgraph):
            return True
    return any(b.is_async for b in graph.start_branches)


def run_command(args: argparse.Namespace) -> int:
    """``flowc run`` with parsed arguments; returns the exit code."""
    use_color = color(args.color, sys.stdout)
    if "checkpoints" in (args.stream_modes or ()):
        # LangGraph emits checkpoints only with a checkpointer: a run printing none would
        # look like a run that saved nothing
        error(
            "--stream-mode checkpoints: checkpoint events come from durable runs "
            "(a checkpointer saving the state after each step), which flowc does not have yet"
        )
        return EXIT_USAGE
    try:
        data = _read_json("--input", args.input)
        config = _read_json("--config", args.config) if args.config else None
        if config is not None:
            _check_config(config)
    except _Usage as exc:
        error(str(exc))
        return EXIT_USAGE
    graph = check_for_command(args.target, choice=args.color)
    if graph is None:
        return EXIT_FAILED
    try:
        module = load_cached(graph)
    except Exception as exc:
        internal_error(import_failure(graph.name, exc))
        return EXIT_INTERNAL
    modes: list[str] = list(dict.fromkeys(args.stream_modes or ["updates"]))
    # Task events are always requested: they give the summary, the step of a
    # failure and what was running when interrupted; only requested modes print.
    run_modes = modes if "tasks" in modes else [*modes, "tasks"]
    shown = frozenset(modes)
    progress = Progress()
    printer = Pretty(sys.stdout, color=use_color) if args.format == "pretty" else None
    use_async = args.use_async or _uses_async(graph)

    def show(event: Any) -> None:
        progress.see(event)
        if event.mode not in shown:
            return
        progress.events += 1
        if printer is not None:
            printer.event(event)
        else:
            sys.stdout.write(_json_line(event_json(event)))
            sys.stdout.flush()

    kwargs: dict[str, Any] = {"stream_mode": run_modes, "subgraphs": args.subgraphs}
    if config is not None:
        kwargs["config"] = config
    previous = None
    if _in_main_thread():
        previous = signal.signal(signal.SIGINT, _on_interrupt(progress, printer))
    try:
        if use_async:
            asyncio.run(_consume_async(module.astream(data, **kwargs), show))
        else:
            _consume(module.stream(data, **kwargs), show)
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:
        if printer is not None:
            printer.close_line()
        if args.format == "jsonl":
            sys.stdout.write(_json_line(_error_json(exc, progress)))
            sys.stdout.flush()
        err = Pretty(sys.stderr, color=color(args.color, sys.stderr))
        err.error(_failure_text(exc, progress))
        if args.traceback:
            traceback.print_exception(exc, file=sys.stderr)
        else:
            where = _where(exc)
            if where is not None:
                print(f"  at {where}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if printer is not None:
        printer.close_line()
        print(f"-- {progress.summary()}", file=sys.stderr)
    return EXIT_OK


def _consume(events: Iterator[Any], show: Any) -> None:
    for event in events:
        show(event)


async def _consume_async(events: AsyncIterator[Any], show: Any) -> None:
    async for event in events:
        show(event)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _silence_stdout() -> None:
    """After a closed pipe (``flowc run ... | head``), drop what is still buffered."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _json_line(obj: Any) -> str:
    """``obj`` as one line of JSON, readable text where UTF-8 can hold it.

    A lone surrogate (from an input like ``"\\ud800"``) cannot be written as UTF-8:
    that line is written with escapes instead, which JSON readers turn back into the
    same string.
    """
    line = json.dumps(obj, ensure_ascii=False)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(obj)
    return line + "\n"
