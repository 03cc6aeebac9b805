"""Backup and restore of the service database, SQLite or PostgreSQL (docs/operations.md).

SQLite: the online backup API (what `sqlite3 db .backup file` uses), safe while the bot writes.
PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists`, the server's own tools;
the password, if any, stays in the URL or PGPASSWORD and is never printed.
"""
from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from aftersales.settings import database_url


def backup(url: str, destination: Path) -> Path:
    """Writes a consistent copy of the database at `url` to `destination`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if _is_sqlite(url):
        _sqlite_copy(Path(make_url(url).database), destination)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={destination}", _libpq(url)])
    return destination


def restore(url: str, source: Path) -> None:
    """Replaces the database at `url` with the backup in `source`. Stop the bot first."""
    if not source.exists():
        raise FileNotFoundError(source)
    if _is_sqlite(url):
        _sqlite_copy(source, Path(make_url(url).database))
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq(url)}", str(source)])


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_copy(source: Path, destination: Path) -> None:
    with sqlite3.connect(source) as origin, sqlite3.connect(destination) as target:
        origin.backup(target)
    origin.close()
    target.close()


def _libpq(url: str) -> str:
    """A libpq connection URI (drops SQLAlchemy's '+driver')."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aftersales.backup", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["backup", "restore"])
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    url = database_url()
    if args.command == "backup":
        print(f"backed up to {backup(url, args.file)}")
    else:
        restore(url, args.file)
        print(f"restored from {args.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
