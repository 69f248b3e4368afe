"""A throwaway Postgres server for the tests: Debian's binaries, a Unix socket in a temp folder.

Postgres refuses to run as root, so as root the data folder is given to the
``postgres`` user (which Debian's package creates; made with ``useradd`` if
missing) and the server runs as that user through ``runuser``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """The server could not be started; the message says why and how to fix it."""


@dataclass
class PostgresServer:
    """A running server; ``conninfo`` reaches its ``postgres`` database as ``flowc``."""

    folder: Path
    bin: Path
    as_user: str | None

    @property
    def socket_dir(self) -> Path:
        return self.folder / "sock"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.socket_dir} port=5432 dbname={dbname} user=flowc"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_user is not None:
            command = ["runuser", "-u", self.as_user, "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, cwd="/"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def _binaries() -> Path | None:
    # FLOWC_POSTGRES_BIN names the folder of initdb and pg_ctl when they are elsewhere
    chosen = os.environ.get("FLOWC_POSTGRES_BIN")
    if chosen:
        return Path(chosen)
    found = shutil.which("pg_ctl")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(versions[-1]).parent if versions else None


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "flowc-postgres"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    made = subprocess.run(
        [
            "useradd",
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            "flowc-postgres",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise PostgresUnavailable(f"running as root, and useradd failed: {made.stderr.strip()}")
    return "flowc-postgres"


def start() -> PostgresServer:
    """Start a server in a new temp folder; :class:`PostgresUnavailable` with the reason if not."""
    bin_dir = _binaries()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        raise PostgresUnavailable(
            f"Postgres is not installed (no initdb in {bin_dir}, on PATH or in "
            "/usr/lib/postgresql/*/bin): "
            "run `make setup-test` (it installs Debian's postgresql package), or set "
            "FLOWC_NO_POSTGRES=1 to leave the Postgres tests out knowingly"
        )
    user = _server_user()
    # a short path: a Unix socket's path is limited to about 100 bytes
    folder = Path(tempfile.mkdtemp(prefix="flowc-pg-", dir="/tmp"))
    (folder / "sock").mkdir()
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in (folder, folder / "sock"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(folder, bin_dir, user)
    steps = [
        ("initdb", "-D", str(server.data), "-U", "flowc", "-A", "trust", "-E", "UTF8", "--no-sync"),
        (
            "pg_ctl",
            "-D",
            str(server.data),
            "-l",
            str(folder / "server.log"),
            "-o",
            f"-k {server.socket_dir} -c listen_addresses='' -c fsync=off "
            "-c full_page_writes=off -c max_connections=200",
            "-w",
            "-t",
            "60",
            "start",
        ),
    ]
    for step in steps:
        done = server._run(*step, timeout=120)
        if done.returncode != 0:
            log = folder / "server.log"
            detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            shutil.rmtree(folder, ignore_errors=True)
            raise PostgresUnavailable(
                f"`{step[0]}` failed (exit {done.returncode}): {done.stdout}{done.stderr}{detail}"
            )
    return server
