"""A real PostgreSQL server for the store's tests: initdb into a temporary folder, start on
127.0.0.1 at a free port, one fresh database per test, stopped at the end.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres``
user (Debian's package creates it) through ``runuser``. Where no PostgreSQL is
installed the tests are skipped with the reason; under CI=true they fail.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVER_USER = "postgres"


def find_bin() -> Path | None:
    """The folder of initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    return Path(versions[-1]).parent if versions else None


def missing_reason() -> str | None:
    if find_bin() is None:
        return "PostgreSQL is not installed (Debian: apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'psycopg[binary]')"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a throw-away server; yields the base URL ``postgresql+psycopg://postgres@127.0.0.1:PORT``."""
    bin_dir = find_bin()
    assert bin_dir is not None
    folder = Path(tempfile.mkdtemp(prefix="store-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, SERVER_USER)
    data, port = folder / "data", free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        **run,
    )
    options = f"-h 127.0.0.1 -p {port} -k {folder} -F -c fsync=off"
    subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(folder / "log"),
                "-w",
                "start",
            ]
        ),
        **run,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    import psycopg

    address = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(f"{address}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"
