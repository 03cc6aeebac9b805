"""Engine and session factory for the service database (SQLite or PostgreSQL)."""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from aftersales.settings import database_url


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, future=True, connect_args={"timeout": _busy_timeout_s()})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite ignores foreign keys unless asked, and WAL lets readers work during a write.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(_busy_timeout_s() * 1000)}")
    cursor.close()
    # pysqlite's own transaction handling breaks SAVEPOINTs (which bookings rely on to
    # try the next bay); SQLAlchemy's documented remedy is to emit BEGIN ourselves.
    dbapi_connection.isolation_level = None


def _busy_timeout_s() -> float:
    """How long a SQLite writer waits for another's lock before 'database is locked'
    (SQLITE_BUSY_TIMEOUT_S, 30 s); actions then try again (actions/context.py)."""
    return float(os.environ.get("SQLITE_BUSY_TIMEOUT_S") or 30)


def _sqlite_begin(connection) -> None:
    # IMMEDIATE takes the write lock at the start: two bookings that read and then write
    # queue for each other instead of failing with "database is locked" at the write.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, future=True, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back when it raises."""
    with factory() as session, session.begin():
        yield session
