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
