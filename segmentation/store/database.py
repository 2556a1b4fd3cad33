"""Where the store is, opening it (created on first use, migrated forward), and its errors in plain words."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError, SQLAlchemyError

from ..report.errors import SegmentationError
from .schema import SCHEMA_VERSION, current_version, foreign_tables, migrate

#: Any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (a team server).
URL_VARIABLE = "SEGMENTATION_STORE_URL"
#: The folder of the embedded store (``segmentation.db`` in it), created on first use.
FOLDER_VARIABLE = "SEGMENTATION_DATA_DIR"
FILE_NAME = "segmentation.db"
BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 10
_PG_LOCK = 27_000_027  # advisory lock id of the store's writers


def default_folder() -> Path:
    """``$SEGMENTATION_DATA_DIR``, else ``$XDG_DATA_HOME/segmentation`` (``~/.local/share/segmentation``)."""
    folder = os.environ.get(FOLDER_VARIABLE)
    if folder:
        return Path(folder).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "segmentation"


def store_url(url: str | None = None) -> str:
    """The store's SQLAlchemy URL: ``url``, else ``$SEGMENTATION_STORE_URL``, else the file in the folder."""
    url = url or os.environ.get(URL_VARIABLE)
    if url:
        return url
    return f"sqlite:///{default_folder() / FILE_NAME}"


def describe(url: str) -> str:
    """The store for messages: the file of a SQLite store, the URL without its password otherwise."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "the in-memory store"
    return parsed.render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine whose transactions take the write lock at their start (SQLite) and time out, not hang."""
    label = describe(url)
    try:
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        if backend == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                _create_folder(Path(parsed.database).parent, label)
            engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _serialise_sqlite_writers(engine)
        elif backend == "postgresql":
            engine = create_engine(
                parsed, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}, pool_pre_ping=True
            )
        else:
            engine = create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
        raise SegmentationError("store-bad-url", store=label, reason=_reason(exc)) from None
    return engine


def _create_folder(folder: Path, label: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SegmentationError("store-unreachable", store=label, reason=exc.strerror or str(exc)) from None


def _serialise_sqlite_writers(engine: Engine) -> None:
    """SQLAlchemy's documented recipe: Python's sqlite3 begins transactions lazily and deferred,
    so two writers could both read and then one fail to write; BEGIN IMMEDIATE takes the
    write lock at the start and the other waits (busy timeout)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def transaction(engine: Engine, url: str, action: str) -> Iterator[Connection]:
    """One transaction holding the store's write lock; any failure rolls all of it back.

    Database errors become one ``SegmentationError``: unreachable, unreadable, or
    "could not ``action``" with nothing changed.
    """
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK})
            yield conn
    except SegmentationError:
        raise
    except OperationalError as exc:
        raise _operational(exc, url, action) from None
    except DatabaseError as exc:
        raise _database(exc, url, action) from None
    except SQLAlchemyError as exc:
        raise SegmentationError("store-failed", action=action, reason=_reason(exc)) from None


def _operational(exc: OperationalError, url: str, action: str) -> SegmentationError:
    reason = _reason(exc)
    if exc.connection_invalidated or "connect" in reason.lower() or "unable to open" in reason.lower():
        return SegmentationError("store-unreachable", store=describe(url), reason=reason)
    if "not a database" in reason or "malformed" in reason:
        return SegmentationError("store-unreadable", store=describe(url), reason=reason)
    return SegmentationError("store-failed", action=action, reason=reason)


def _database(exc: DatabaseError, url: str, action: str) -> SegmentationError:
    reason = _reason(exc)
    if "not a database" in reason or "malformed" in reason or "encrypted" in reason:
        return SegmentationError("store-unreadable", store=describe(url), reason=reason)
    return SegmentationError("store-failed", action=action, reason=reason)


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return (str(original).strip().splitlines() or [type(original).__name__])[0][:200]


def prepare_schema(engine: Engine, url: str) -> None:
    """Create the tables of a new store or migrate an older one; refuse a foreign or newer database."""
    with transaction(engine, url, "open the store") as conn:
        found = current_version(conn)
        if found is None:
            tables = ", ".join(foreign_tables(conn)[:5])
            raise SegmentationError("store-foreign", store=describe(url), tables=tables)
        if found > SCHEMA_VERSION:
            raise SegmentationError("store-newer", store=describe(url), found=found, known=SCHEMA_VERSION)
        if found < SCHEMA_VERSION:
            migrate(conn, found)
