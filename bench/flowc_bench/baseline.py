"""flowc at another git revision, importable next to this one (``bench/run.py --baseline``).

Two flowc versions cannot share a process under one name. So the flowc of a
revision is taken from git (``git archive``), compiles the benchmark specs in
an interpreter of its own, and is then copied as the top-level package
``flowc_base`` with every absolute reference to ``flowc`` renamed
(:func:`rename_package`); the modules it generated are renamed the same way
and live in the package ``flowc_bench_base``. The baseline's graphs then import
nothing of the flowc being measured: no module, thread pool or context
variable is shared. :func:`build` checks that in a fresh interpreter.

Standard library only, so that the tests can import it without ``bench/`` on
the path.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tokenize
from collections.abc import Sequence
from pathlib import Path

PACKAGE = "flowc_base"
"""The top-level name the baseline's flowc is imported under."""

GEN = "flowc_bench_base"
"""Package the baseline's generated modules live in."""


class BaselineError(Exception):
    """The revision cannot be used at all (not a commit, or no flowc in it)."""


def resolve(repo: Path, rev: str) -> str:
    """The commit ``rev`` names in the git repository ``repo``, as a full hash.

    Raises:
        BaselineError: if ``rev`` is not a commit of ``repo``.
    """
    proc = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise BaselineError(f"--baseline {rev}: not a revision of the repository at {repo}")
    return proc.stdout.strip()


def export(repo: Path, commit: str, dest: Path) -> Path:
    """Write the ``flowc`` folder of ``commit`` into ``dest``; returns ``dest``.

    Raises:
        BaselineError: if git cannot export it (no ``flowc`` folder at ``commit``).
    """
    proc = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", commit, "flowc"],
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        why = proc.stderr.decode(errors="replace").strip().splitlines() or ["git archive failed"]
        raise BaselineError(f"--baseline {commit[:12]}: {why[-1]}")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4 and later
            tar.extractall(dest, filter="data")
        else:
            tar.extractall(dest)
    return dest


# -- renaming ---------------------------------------------------------------------------

_SKIP = frozenset({tokenize.NL, tokenize.COMMENT, tokenize.ENCODING})
_STATEMENT_START = frozenset({tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT})


def rename_package(source: str, old: str = "flowc", new: str = PACKAGE) -> str:
    """``source`` with every absolute reference to the package ``old`` renamed ``new``.

    Renamed: the first name of a module path in an ``import`` or ``from``
    statement (``from flowc import runtime as rt``, ``from flowc.runtime._x
    import y``, ``import flowc.runtime``); in a module where ``import old...``
    binds the name ``old``, every use of that name (``flowc.__file__``); and
    string literals that are a dotted module path under ``old``
    (``"flowc.integrations.x"``, as given to ``importlib.import_module``).
    Relative imports, other names that begin the same way (``flowc_bench``),
    attributes (``x.flowc``), a lone ``"flowc"`` (a distribution name, a state
    key) and prose in strings and comments are left alone, and so are layout
    and comments.
    """
    tokens = [
        t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in _SKIP
    ]
    heads, binds = _import_heads(tokens, old)
    module_path = re.compile(rf"{re.escape(old)}(\.[A-Za-z_]\w*)+")
    edits: list[tuple[tokenize.TokenInfo, str]] = []
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.NAME and tok.string == old:
            if i in heads or (binds and tokens[i - 1].string != "."):
                edits.append((tok, new))
        elif tok.type == tokenize.STRING and not set(_prefix(tok.string).lower()) & {"b", "f"}:
            value = ast.literal_eval(tok.string)
            if isinstance(value, str) and module_path.fullmatch(value):
                edits.append((tok, tok.string.replace(value, new + value[len(old) :], 1)))
    lines = source.splitlines(keepends=True)
    for tok, text in reversed(edits):  # right to left, so that columns stay right
        row, col = tok.start
        line = lines[row - 1]
        lines[row - 1] = line[:col] + text + line[tok.end[1] :]
    return "".join(lines)


def _import_heads(tokens: list[tokenize.TokenInfo], old: str) -> tuple[set[int], bool]:
    """Indexes of the tokens ``old`` that begin a module path in an import statement,
    and whether an ``import old...`` without ``as`` binds the name ``old``."""
    heads: set[int] = set()
    binds = False

    def at(j: int) -> str:
        return tokens[j].string if j < len(tokens) else ""

    for i, tok in enumerate(tokens):
        starts = i == 0 or tokens[i - 1].type in _STATEMENT_START or at(i - 1) == ";"
        if not starts or tok.type != tokenize.NAME:
            continue
        if tok.string == "from" and at(i + 1) == old:
            heads.add(i + 1)
        elif tok.string == "import":
            j = i + 1
            while True:  # one `a.b.c [as d]` of the list per round
                head = j
                while at(j + 1) == ".":
                    j += 2
                if at(head) == old:
                    heads.add(head)
                    binds = binds or at(j + 1) != "as"
                if at(j + 1) == "as":
                    j += 2
                if at(j + 1) != ",":
                    break
                j += 2
    return heads, binds


def _prefix(token: str) -> str:
    return token[: len(token) - len(token.lstrip("rRuUbBfF"))]


def rename_tree(folder: Path, old: str = "flowc", new: str = PACKAGE) -> None:
    """Apply :func:`rename_package` to every ``.py`` file under ``folder``, in place."""
    for path in sorted(folder.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        renamed = rename_package(text, old, new)
        if renamed != text:
            path.write_text(renamed, encoding="utf-8")


# -- building ---------------------------------------------------------------------------

# Run by the baseline's own interpreter: compile each spec on its own (so that one
# that fails costs only its graph), and say which flowc did it.
_COMPILE = """
import contextlib, io, json, sys
import flowc
from flowc.cli import main
out, specs = sys.argv[1], json.loads(sys.argv[2])
results = {}
for name, spec in specs.items():
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            status = main(["compile", spec, "-o", out])
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 2
    except Exception as exc:
        status, buffer = 1, io.StringIO(f"error: {type(exc).__name__}: {exc}")
    results[name] = [status, buffer.getvalue()]
print(json.dumps({"flowc": flowc.__file__, "results": results}))
"""

# Run in a fresh interpreter with only the baseline's packages to import: import
# and run each graph once, then name any module of this flowc that got loaded.
_ISOLATION = """
import collections, importlib, json, sys
for name in json.loads(sys.argv[1]):
    module = importlib.import_module(name)
    collections.deque(module.stream({"count": 0}, stream_mode="updates"), 0)
print(json.dumps(sorted(m for m in sys.modules if m == "flowc" or m.startswith("flowc."))))
"""


def build(
    repo: Path,
    commit: str,
    spec_paths: dict[str, Path],
    graphs: Sequence[str],
    tmp: Path,
    bench: Path,
) -> dict[str, str | None]:
    """Compile ``graphs`` with the flowc of ``commit`` into ``tmp/GEN``, renamed.

    ``tmp`` is where ``PACKAGE`` and ``GEN`` are written (it should be on
    ``sys.path``); ``bench`` is the folder of the node modules. Returns, per
    graph, ``None`` if ``GEN.<graph>`` can be imported, else why not.

    Raises:
        BaselineError: if the revision has no flowc that can compile anything.
    """
    short = commit[:12]
    source = export(repo, commit, tmp / "baseline-src")
    env = _env([str(source), str(bench)])
    env["NO_COLOR"] = "1"
    built = tmp / "baseline-build" / GEN
    proc = subprocess.run(
        [sys.executable, "-P", "-c", _COMPILE, str(built), json.dumps(_specs(spec_paths, graphs))],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        why = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
        raise BaselineError(f"flowc at {short} could not run `flowc compile`: {why}") from None
    used = Path(report["flowc"]).resolve()
    if not used.is_relative_to(source.resolve()):
        raise BaselineError(f"flowc at {short}: the compiler imported {used}, not the export")
    shutil.copytree(source / "flowc", tmp / PACKAGE)
    rename_tree(tmp / PACKAGE)
    if built.is_dir():
        rename_tree(built)
        shutil.copytree(built, tmp / GEN)
    out: dict[str, str | None] = {}
    for name in graphs:
        status, text = report["results"][name]
        if status != 0:
            out[name] = f"flowc compile at {short} failed: {first_error(text)}"
        else:
            out[name] = None
    compiled = [f"{GEN}.{name}" for name, why in out.items() if why is None]
    if compiled:
        check = subprocess.run(
            [sys.executable, "-P", "-c", _ISOLATION, json.dumps(compiled)],
            env=_env([str(tmp), str(bench)]),
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            why = (check.stderr.strip().splitlines() or [f"exit {check.returncode}"])[-1]
            shared = f"flowc at {short} does not run on its own: {why}"
        else:
            loaded = json.loads(check.stdout.strip().splitlines()[-1])
            shown = ", ".join(loaded[:3]) + (
                f" and {len(loaded) - 3} more" if len(loaded) > 3 else ""
            )
            shared = f"flowc at {short} imports this flowc: {shown}" if loaded else ""
        if shared:
            out = {name: why or shared for name, why in out.items()}
    return out


def _specs(spec_paths: dict[str, Path], graphs: Sequence[str]) -> dict[str, str]:
    return {name: str(spec_paths[name]) for name in graphs}


def _env(paths: Sequence[str]) -> dict[str, str]:
    """This environment with ``paths`` alone on ``PYTHONPATH`` (no other flowc)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.pop("PYTHONSTARTUP", None)
    return env


def first_error(text: str) -> str:
    """The first line of ``flowc compile`` output that reports an error (else the first)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "error" in line:
            return line
    return lines[0] if lines else "no output"
