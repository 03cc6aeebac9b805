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
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


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


def postgres_up() -> bool:
    return _postgres_up()


def redis_up() -> bool:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def _start_redis() -> None:
    subprocess.run(
        ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
         "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"],
        check=False,
        capture_output=True,
    )


def _require(name: str, url: str, is_up, start) -> str:
    """`url` of a reachable server, starting it under CI; skips elsewhere."""
    if is_up():
        return url
    if not in_ci():
        pytest.skip(f"{name} not reachable at {make_url(url).host}; runs under CI=true")
    start()
    for _ in range(30):
        if is_up():
            return url
        time.sleep(1)
    pytest.fail(f"CI=true and {name} at {url} is down and could not be started")


def require_postgres() -> str:
    """The admin URL of a reachable PostgreSQL, starting it under CI; skips elsewhere."""
    return _require("PostgreSQL", POSTGRES_URL, _postgres_up, _start_postgres)


def require_redis() -> str:
    """The URL of a reachable Redis, starting it under CI; skips elsewhere."""
    return _require("Redis", REDIS_URL, redis_up, _start_redis)


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
