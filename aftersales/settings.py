"""Configuration read from the environment (never edited into code)."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VAR_DIR = Path(os.environ.get("VAR_DIR", PROJECT_ROOT / "var"))


def database_url() -> str:
    """DATABASE_URL, or the embedded SQLite file under var/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{VAR_DIR / 'aftersales.db'}"
    if url.startswith("postgres://"):  # the spelling some hosting platforms hand out
        url = "postgresql://" + url[len("postgres://"):]
    return url


def dealer_timezone() -> str:
    return os.environ.get("DEALER_TZ", "Asia/Shanghai")


def app_secret() -> bytes:
    """APP_SECRET, or a random secret kept in var/ (created once, readable by the owner only).

    Signs links a customer is given (the .ics of a booking), so nobody can fetch another's.
    """
    configured = os.environ.get("APP_SECRET", "").strip()
    if configured:
        return configured.encode()
    path = VAR_DIR / "secret"
    if not path.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
