"""Engines, sessions and the SQLite profile that loses no updates (see TESTPLAN.md)."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine, MetaData, create_engine, event, exc, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


SQLITE_PRAGMAS = (
    "journal_mode=WAL",  # readers never block the writer
    "synchronous=FULL",  # an acknowledged tag survives power loss
    "foreign_keys=ON",
    "temp_store=MEMORY",
)


class StorageError(RuntimeError):
    """The database cannot be used safely (no WAL, no foreign keys)."""


class WriterQueue:
    """Let one writer at a time ask SQLite for the write lock: one thread of this process
    (a thread lock), and one process of all those sharing the file (an advisory lock on
    ``lock_path``).

    SQLite's busy handler sleeps in growing steps while it waits (1, 2, 5 … 100 ms), so
    writers that all contend for BEGIN IMMEDIATE get long, uneven waits: p99 over a second
    at 20 clients in one process, 860 ms at 10 clients over two. Queueing them here first
    keeps waits short and in order: threads wake as soon as the lock is free, processes
    poll the file lock every ``_POLL`` seconds. A process that dies holding it loses it.
    """

    _POLL = 0.0005

    def __init__(self, timeout: float, lock_path: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout
        self._fd: int | None = None
        if lock_path is not None:
            self._fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self) -> None:
        deadline = time.monotonic() + self._timeout
        if not self._lock.acquire(timeout=self._timeout):
            raise _queue_timeout()
        if self._fd is None:
            return
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    self._lock.release()
                    raise _queue_timeout() from None
                time.sleep(self._POLL)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._lock.release()

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _queue_timeout() -> exc.OperationalError:
    # as SQLAlchemy would have wrapped SQLite's own "database is locked"
    return exc.OperationalError(
        "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked (writer queue)")
    )


def _sqlite_engine(
    url: str, begin_sql: str, queue: WriterQueue | None = None, lock_timeout: float = 5.0
) -> Engine:
    # room for every thread of the request pool: a request waits for the lock, never a
    # connection (SQLite connections are cheap; five are kept open)
    in_memory = make_url(url).database in (None, "", ":memory:")
    pooling = (
        {} if in_memory else {"pool_size": 5, "max_overflow": 60, "pool_timeout": lock_timeout}
    )
    engine = create_engine(
        url, connect_args={"timeout": lock_timeout}, pool_pre_ping=True, **pooling
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take BEGIN away from pysqlite so that the "begin" hook below decides its kind.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cur.execute("PRAGMA " + pragma)
        # wait for the write lock instead of failing at once
        cur.execute(f"PRAGMA busy_timeout={int(lock_timeout * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if queue is not None:
            queue.acquire()
            conn.info["queued"] = True
        try:
            conn.exec_driver_sql(begin_sql)
        except Exception:
            _leave_queue(conn)
            raise

    def _leave_queue(conn: Any) -> None:
        if queue is not None and conn.info.pop("queued", False):
            queue.release()

    if queue is not None:
        event.listen(engine, "commit", _leave_queue)
        event.listen(engine, "rollback", _leave_queue)

    return engine


@dataclass
class Database:
    """A write engine and a read engine; on PostgreSQL they are the same engine."""

    url: str
    write_engine: Engine
    read_engine: Engine
    queue: WriterQueue | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.write_engine.dialect.name == "sqlite"

    def write_session(self) -> Session:
        """A session whose transaction holds the write lock; once it commits, what the
        request still reads (the fragment it renders) goes through the read engine, so
        the lock is not held again for reading."""
        session = _WriteSession(bind=self.write_engine)
        if self.read_engine is not self.write_engine:
            reader = self.read_engine
            event.listen(session, "after_commit", lambda s: setattr(s, "bind", reader))
        return session

    def read_session(self) -> Session:
        return _ReadSession(bind=self.read_engine)

    def check(self) -> None:
        """Refuse to run where SQLite cannot give WAL and foreign keys."""
        if not self.is_sqlite:
            return
        with self.read_engine.connect() as conn:
            mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
            fks = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
            quick = conn.exec_driver_sql("PRAGMA quick_check").scalar()
        if str(mode).lower() != "wal":
            raise StorageError(
                f"SQLite could not switch {self.url} to WAL mode (got {mode!r}); "
                "put the database on a local disk, not a network share."
            )
        if fks != 1:
            raise StorageError("SQLite foreign keys could not be enabled.")
        if quick != "ok":
            raise StorageError(f"SQLite integrity check failed: {quick}")

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
        if self.queue is not None:
            self.queue.close()


_WriteSession = sessionmaker(expire_on_commit=False)
_ReadSession = sessionmaker()


def open_database(url: str, *, lock_timeout: float = 5.0) -> Database:
    """Build the engines for a database URL, creating the SQLite folder if needed; a write
    waits ``lock_timeout`` seconds for the write lock before it fails."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        lock_path = None
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            lock_path = Path(parsed.database + "-writer")
        queue = WriterQueue(lock_timeout, lock_path)
        return Database(
            url=url,
            queue=queue,
            write_engine=_sqlite_engine(url, "BEGIN IMMEDIATE", queue, lock_timeout),
            read_engine=_sqlite_engine(url, "BEGIN", lock_timeout=lock_timeout),
        )
    # lock_timeout: a row lock (SELECT … FOR UPDATE) or any statement waits at most this long
    options = f"-c lock_timeout={int(lock_timeout * 1000)}"
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=30,
        pool_timeout=lock_timeout,
        connect_args={"options": options},
    )
    return Database(url=url, write_engine=engine, read_engine=engine)


def unavailable(error: BaseException) -> str | None:
    """What to tell a user whose write the database could not take for a reason that is
    not a bug: it was busy, its disk is full, or it is read-only. None for anything else."""
    if is_lock_timeout(error):
        return "The database is busy; your change was not saved. Try again in a moment."
    message = str(error).lower()
    if any(
        sign in message
        for sign in ("disk is full", "no space left on device", "could not extend file")
    ):
        return (
            "The server's disk is full; your change was not saved. Ask whoever runs "
            "WhoSaid to free some space, then try again."
        )
    if "readonly database" in message or "read-only" in message:
        return "The database is read-only just now; your change was not saved."
    return None


def is_lock_timeout(error: BaseException) -> bool:
    """A request that waited too long for a lock (SQLite's or PostgreSQL's) or for a pooled
    connection: the database is busy, it is not a bug."""
    if isinstance(error, exc.TimeoutError):
        return True
    message = str(error).lower()
    return "database is locked" in message or "lock timeout" in message or "busy" in message


def _database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def read_session(request: Request) -> Iterator[Session]:
    with _database(request).read_session() as session:
        yield session


def write_session(request: Request) -> Iterator[Session]:
    with _database(request).write_session() as session:
        yield session


ReadDB = Annotated[Session, Depends(read_session)]
WriteDB = Annotated[Session, Depends(write_session)]
