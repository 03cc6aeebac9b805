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


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def console_idle_minutes() -> float:
    """A console session ends after this long without a request (CONSOLE_IDLE_MINUTES)."""
    return _env_number("CONSOLE_IDLE_MINUTES", 30)


def console_session_hours() -> float:
    """And after this long in any case, however busy (CONSOLE_SESSION_HOURS)."""
    return _env_number("CONSOLE_SESSION_HOURS", 12)


def console_login_max_failures() -> int:
    """Failed logins for one username before it is locked (CONSOLE_LOGIN_MAX_FAILURES)."""
    return int(_env_number("CONSOLE_LOGIN_MAX_FAILURES", 5))


def console_login_max_failures_per_ip() -> int:
    """Failed logins from one address, any username, before it is locked; higher than per
    username because a dealership's staff share one address (CONSOLE_LOGIN_MAX_FAILURES_PER_IP)."""
    return int(_env_number("CONSOLE_LOGIN_MAX_FAILURES_PER_IP", 20))


def console_login_lock_minutes() -> float:
    """How long a lock lasts (CONSOLE_LOGIN_LOCK_MINUTES)."""
    return _env_number("CONSOLE_LOGIN_LOCK_MINUTES", 15)


def console_cookie_secure() -> bool:
    """Send the session cookie over HTTPS only (CONSOLE_COOKIE_SECURE=1; on behind a TLS proxy)."""
    return os.environ.get("CONSOLE_COOKIE_SECURE", "").strip().lower() in ("1", "true", "yes")


def console_trust_proxy() -> bool:
    """Take the client address from X-Forwarded-For (CONSOLE_TRUST_PROXY=1, only behind a proxy
    that sets it), so the per-address login limit counts people, not the proxy."""
    return os.environ.get("CONSOLE_TRUST_PROXY", "").strip().lower() in ("1", "true", "yes")
