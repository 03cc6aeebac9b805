"""Reaching the external services some tests need (PostgreSQL, Redis).

Under CI=true these tests must run: a server that is down is started with the machine's own
commands, and a server that cannot be started fails the run. Elsewhere they skip with a reason.
"""
from __future__ import annotations

import glob
import os
import subprocess
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgres_up() -> bool:
    engine = create_engine(POSTGRES_URL, future=True, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        engine.dispose()


def _start_postgres() -> None:
    for version_dir in glob.glob("/etc/postgresql/*"):
        version = os.path.basename(version_dir)
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
            check=False,
            capture_output=True,
        )


def require_postgres() -> str:
    """The admin URL of a reachable PostgreSQL, starting it under CI; skips elsewhere."""
    if _postgres_up():
        return POSTGRES_URL
    if not in_ci():
        pytest.skip(f"PostgreSQL not reachable at {make_url(POSTGRES_URL).host}; runs under CI=true")
    _start_postgres()
    for _ in range(30):
        if _postgres_up():
            return POSTGRES_URL
        time.sleep(1)
    pytest.fail(f"CI=true and PostgreSQL at {POSTGRES_URL} is down and could not be started")


def create_database(admin_url: str, name: str) -> str:
    engine = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return str(make_url(admin_url).set(database=name))


def drop_database(admin_url: str, name: str) -> None:
    engine = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()
