"""Every code block of README.md and docs/ runs, and shows what it really prints.

The conventions, for whoever writes docs:

* A ````python```` block runs (the blocks of one page share their globals, in
  order, like a notebook). If an ````output```` block follows it, what the
  block prints must be exactly that.
* A ````bash```` block holds ``$ flowc ...`` lines, each followed by what the
  command prints (stdout and stderr together); they run from the repository
  root and must print exactly that. A last line ``[exit N]`` says the command
  exits with N (otherwise it must exit 0). Other commands (``make``, ``pip``)
  need the block marked ``no-run``.
* ````toml```` and ````json```` blocks must parse.
* ``no-run`` after the language (````python no-run````) marks a block that
  cannot run here (it needs an API key, say): it must still compile or parse.
* ````python mypy```` blocks are not run but type-checked with
  ``mypy --strict``; the ````output```` block after one is what mypy says. A
  block may import ``gen.<name>``: the runner module of ``specs/<name>.toml``,
  compiled into the package ``gen`` first (as ``flowc compile -o gen`` does).
* A comment line right before a block ties it to the repository:
  ``<!-- file: specs/joke.toml -->`` means the block is a verbatim excerpt of
  that file (not run: it may be a fragment); ``<!-- command: flowc draw specs/joke.toml -->`` means the block
  is exactly what that command prints (for ````mermaid```` blocks, which
  GitHub draws as pictures).
* Run times (``1.2 ms``) and timestamps vary and are compared as placeholders.
* ``FLOWC_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_docs.py`` rewrites the
  shown outputs that differ (review the diff: it is the docs' drift).
* ````text```` blocks are prose (diagrams, layouts) and are not run.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
import types
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from flowc.cli import main
from flowc.dsl.load import check_target

from .cli_support import ROOT, cli_env, normalize

DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,})(?P<info>[^`]*)$")
_MARKER = re.compile(r"^<!--\s*(?P<kind>file|command):\s*(?P<value>.+?)\s*-->$")
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00")


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int
    lang: str
    flags: frozenset[str]
    text: str
    marker: tuple[str, str] | None
    end: int = 0
    """Line number of the closing fence."""
    indent: str = ""

    @property
    def where(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of a Markdown page, with the marker comment before each."""
    lines = page.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        words = match["info"].split()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        assert i < len(lines), f"{page}:{start + 1}: unclosed code block"
        i += 1
        before = next((lines[j].strip() for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        marker = _MARKER.match(before)
        out.append(
            Block(
                page,
                start + 1,
                words[0] if words else "",
                frozenset(words[1:]),
                "\n".join(body) + "\n" if body else "",
                (marker["kind"], marker["value"]) if marker else None,
                i,
                indent,
            )
        )
    return out


def _norm(text: str) -> str:
    return _TIMESTAMP.sub("<timestamp>", normalize(text))


def _run_python(block: Block, scope: dict[str, object]) -> str:
    code = compile(block.text, block.where, "exec")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, scope)
    return out.getvalue()


def _shell(command: str, env: dict[str, str]) -> tuple[int, str]:
    proc = subprocess.run(
        ["bash", "-c", command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    return proc.returncode, proc.stdout


_SHELL_SYNTAX = frozenset(("|", ">", ">>", "<", "&&", "||", ";", "&"))


def _flowc(command: str, env: dict[str, str]) -> tuple[int, str]:
    """Exit code and output (stdout and stderr, interleaved) of a ``flowc ...`` command line.

    A plain command runs in this process, which is much faster than a new
    interpreter per command (tests/test_cli_*.py run the real executable);
    one with shell syntax (a pipe) runs in a shell.
    """
    words = shlex.split(command)
    if _SHELL_SYNTAX & set(words):
        return _shell(command, env)
    raw = io.BytesIO()
    both = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = both
    try:
        code = main(words[1:])
    finally:
        sys.stdout, sys.stderr = saved
    return code, raw.getvalue().decode("utf-8")


def _bash_steps(block: Block) -> list[tuple[str, str, int]]:
    """(command, shown output, shown exit code) of each ``$`` line of a bash block."""
    steps: list[tuple[str, str, int]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], "", 0))
        elif steps:
            command, shown, code = steps[-1]
            exit_line = re.fullmatch(r"\[exit (\d+)\]", line)
            if exit_line:
                steps[-1] = (command, shown, int(exit_line[1]))
            else:
                steps[-1] = (command, shown + line + "\n", code)
        else:
            raise AssertionError(f"{block.where}: a bash block starts with a `$ ` command line")
    return steps


def _env(tmp: Path) -> dict[str, str]:
    env = cli_env(tmp / "cache", NO_COLOR="1")
    # commands run in a shell find modules as a newcomer's do: no PYTHONPATH
    # (tests/test_docs_newcomer.py runs every command and Python block that way)
    del env["PYTHONPATH"]
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["COLUMNS"] = "100"
    return env


def _run_mypy(block: Block, tmp: Path, cache: Path) -> str:
    """What ``mypy --strict example.py`` says about a block, next to its ``gen`` package."""
    from flowc.codegen import generate, plan, write_files

    folder = tmp / "mypy"
    folder.mkdir(exist_ok=True)
    for name in sorted(set(re.findall(r"\bgen\.(\w+)", block.text))):
        result = check_target(f"specs/{name}.toml")
        assert result.graph is not None, f"{block.where}: specs/{name}.toml does not check"
        write_files(plan(generate(result.graph), folder / "gen"), force=True)
    (folder / "example.py").write_text(block.text, encoding="utf-8")
    env = dict(os.environ, MYPYPATH=os.pathsep.join([str(ROOT / "specs"), str(ROOT)]))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--no-error-summary", "--hide-error-context", "--cache-dir", str(cache),
         "example.py"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    return proc.stdout + proc.stderr


def check_page(
    page: Path, tmp: Path, *, update: bool = False, mypy_cache: Path | None = None
) -> None:
    """Run every block of ``page`` as the module docstring says.

    With ``update``, shown outputs that differ are rewritten in the page
    instead (``FLOWC_UPDATE_SNAPSHOTS=1``); review the diff before committing.
    """
    # The page's blocks run as a module of their own, so that generated code can
    # import the node functions a block defines (as from a script's __main__).
    module = types.ModuleType(f"docs_{page.stem.replace('-', '_').lower()}")
    sys.modules[module.__name__] = module
    scope: dict[str, object] = module.__dict__
    env = _env(tmp)
    fixes: dict[int, tuple[Block, str]] = {}

    def same(block: Block, got: str, shown: str, message: str) -> None:
        if _norm(got) == _norm(shown):
            return
        if update:
            fixes[block.line] = (block, got)
            return
        raise AssertionError(message)

    pending: tuple[Block, str] | None = None  # a python block's output, for an output block
    for block in blocks(page):
        if block.lang != "output" and pending is not None:
            pending = None
        if block.marker is not None:
            kind, value = block.marker
            if kind == "file":
                text = (ROOT / value).read_text(encoding="utf-8")
                assert block.text in text, f"{block.where}: not an excerpt of {value}"
            else:
                code, shown = _flowc(value, env)
                assert code == 0, f"{block.where}: `{value}` failed:\n{shown}"
                same(block, shown, block.text, f"{block.where}: `{value}` prints other text")
        run = "no-run" not in block.flags
        if block.lang == "python":
            if "mypy" in block.flags:
                pending = (block, _run_mypy(block, tmp, mypy_cache or tmp / "mypy-cache"))
            elif run and block.marker is None:
                pending = (block, _run_python(block, scope))
            elif block.marker is None:
                ast.parse(block.text, block.where)
        elif block.lang == "output":
            assert pending is not None, f"{block.where}: an output block follows a python block"
            source, printed = pending
            same(
                block,
                printed,
                block.text,
                f"{source.where} prints:\n{printed}\nbut {block.where} shows:\n{block.text}",
            )
            pending = None
        elif block.lang in ("bash", "console", "shell"):
            if not run:
                continue
            steps = _bash_steps(block)
            real: list[str] = []
            for command, shown, code in steps:
                assert shlex.split(command)[0] == "flowc", (
                    f"{block.where}: only `flowc` commands run; mark the block `no-run`"
                )
                got_code, printed = _flowc(command, env)
                real.append(
                    f"$ {command}\n{printed}" + (f"[exit {got_code}]\n" if got_code else "")
                )
                same(
                    block,
                    printed,
                    shown,
                    f"{block.where}: `{command}` prints:\n{printed}\nbut the page shows:\n{shown}",
                )
                if got_code != code and update:
                    fixes[block.line] = (block, "")
                assert update or got_code == code, f"{block.where}: `{command}` exits {got_code}"
            if block.line in fixes:
                fixes[block.line] = (block, "".join(real))
        elif block.lang == "toml":
            tomllib.loads(block.text)
        elif block.lang == "json":
            json.loads(block.text)
        elif block.lang == "jsonl":
            for line in block.text.splitlines():
                json.loads(line)
        elif block.lang == "mermaid":
            assert block.marker is not None, (
                f"{block.where}: a mermaid block needs a command marker"
            )
        elif block.lang != "text":
            raise AssertionError(f"{block.where}: no convention for ```{block.lang} blocks")
    if fixes:
        lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
        for block, text in sorted(fixes.values(), key=lambda item: -item[0].line):
            body = [
                block.indent + line if line else line for line in text.splitlines(keepends=True)
            ]
            lines[block.line : block.end - 1] = [
                line if line.endswith("\n") else line + "\n" for line in body
            ]
        page.write_text("".join(lines), encoding="utf-8")


SLOW_PAGES = frozenset({"docs/messages.md", "docs/events.md"})
"""Pages whose blocks take 20 s or more (mypy runs, subprocesses): `make test` starts them first."""


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(
            p,
            id=p.relative_to(ROOT).as_posix(),
            marks=[pytest.mark.slow] if p.relative_to(ROOT).as_posix() in SLOW_PAGES else [],
        )
        for p in DOCS
    ],
)
def test_doc_page_blocks_run_and_show_their_real_output(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_mypy_cache: Path
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("FLOWC_CACHE_DIR", str(tmp_path / "cache"))
    update = os.environ.get("FLOWC_UPDATE_SNAPSHOTS") == "1"
    check_page(page, tmp_path, update=update, mypy_cache=shared_mypy_cache)


def test_pages_link_to_files_that_exist() -> None:
    link = re.compile(r"\]\((?!https?://|#|mailto:)(?P<target>[^)#\s]+)(?:#[^)]*)?\)")
    missing = []
    for page in DOCS:
        for match in link.finditer(page.read_text(encoding="utf-8")):
            target = (page.parent / match["target"]).resolve()
            if not target.exists():
                missing.append(f"{page.relative_to(ROOT)}: {match['target']}")
    assert not missing, "broken links:\n" + "\n".join(missing)


def test_the_readme_picture_is_a_flowc_drawing_of_the_example() -> None:
    svg = ROOT / "docs" / "img" / "joke.svg"
    assert "docs/img/joke.svg" in (ROOT / "README.md").read_text(encoding="utf-8")
    root = ET.parse(svg).getroot()
    titles = {t.text for t in root.iter("{http://www.w3.org/2000/svg}title")}
    assert titles >= {
        "__start__", "refine_topic", "generate_joke", "__end__",
        "__start__->refine_topic", "refine_topic->generate_joke", "generate_joke->__end__",
    }  # fmt: skip


def test_the_conventions_catch_drift(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text('```python\nprint("real")\n```\n\n```output\nimagined\n```\n')
    with pytest.raises(AssertionError, match="prints"):
        check_page(page, tmp_path)
    page.write_text("```bash\n$ flowc --version-of-nothing\n```\n")
    with pytest.raises(AssertionError):
        check_page(page, tmp_path)
    page.write_text("```bash\n$ make demo\n```\n")
    with pytest.raises(AssertionError, match="no-run"):
        check_page(page, tmp_path)
    page.write_text("```bash no-run\n$ make demo\n```\n\n```python no-run\nimport openai\n```\n")
    check_page(page, tmp_path)


def test_update_mode_rewrites_drifted_outputs(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Intro.\n\n```python\nprint('real')\n```\n\n```output\nimagined\nlines\n```\n\n"
        '```bash\n$ flowc run docs/examples/bakery.toml --input \'{"dough": "rye"}\'\nwrong\n```\n'
        "Outro.\n"
    )
    check_page(page, tmp_path, update=True)
    assert page.read_text() == (
        "Intro.\n\n```python\nprint('real')\n```\n\n```output\nreal\n```\n\n"
        '```bash\n$ flowc run docs/examples/bakery.toml --input \'{"dough": "rye"}\'\n'
        "updates   mix: {'dough': 'rye and water'}\n"
        "error: node 'bake' failed at step 2: ValueError: the oven is cold\n"
        "  at docs/examples/bakery_nodes.py:18 in bake\n"
        "[exit 1]\n```\nOutro.\n"
    )
    check_page(page, tmp_path)
