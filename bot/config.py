"""The environment of the running product: ports, URLs and what each process is given."""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from aftersales.settings import VAR_DIR, database_url

DEFAULT_PORTS = {"RASA_PORT": 5005, "ACTIONS_PORT": 5055, "WEB_PORT": 8080}


def port(name: str) -> int:
    return int(os.environ.get(name) or DEFAULT_PORTS[name])


def rasa_url() -> str:
    return os.environ.get("RASA_URL") or f"http://127.0.0.1:{port('RASA_PORT')}"


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def rasa_auth_token() -> str | None:
    """RASA_AUTH_TOKEN: Rasa's HTTP API (trackers, trigger_intent, model/parse) asks for it."""
    return os.environ.get("RASA_AUTH_TOKEN", "").strip() or None


def rasa_exposure_problem() -> str | None:
    """Why the product must not start: Rasa's HTTP API reachable from other machines without a
    token would let anyone read every conversation and speak as the bot."""
    host = os.environ.get("RASA_HOST", "127.0.0.1").strip()
    if host not in LOOPBACK and rasa_auth_token() is None:
        return (f"RASA_HOST={host} exposes Rasa's HTTP API beyond this machine: set RASA_AUTH_TOKEN "
                "too, or keep RASA_HOST=127.0.0.1")
    return None


def replicas(name: str) -> int:
    """RASA_REPLICAS / ACTIONS_REPLICAS: how many of each server this machine runs (default 1)."""
    return max(int(os.environ.get(name) or 1), 1)


def replicas_problem() -> str | None:
    """Why several Rasa replicas must not start: they would each lock conversations in their own
    memory and write the same conversation at once, interleaving or losing its events."""
    if replicas("RASA_REPLICAS") <= 1:
        return None
    if not os.environ.get("REDIS_URL"):
        return "RASA_REPLICAS > 1 needs REDIS_URL: the replicas lock each conversation in Redis"
    if tracker_store_url().startswith("sqlite"):
        return ("RASA_REPLICAS > 1 needs a PostgreSQL tracker store (DATABASE_URL or TRACKER_STORE_URL): "
                "one SQLite file is not shared safely by several servers")
    return None


def actions_health_url() -> str:
    """The action server's health check, next to the webhook Rasa calls (ACTION_ENDPOINT_URL)."""
    webhook = os.environ.get("ACTION_ENDPOINT_URL") or f"http://127.0.0.1:{port('ACTIONS_PORT')}/webhook"
    return webhook.rsplit("/", 1)[0] + "/health"


def reply_timeout_s() -> float:
    """How long the front door waits for Rasa's answer before apologising (RASA_REPLY_TIMEOUT_S)."""
    return float(os.environ.get("RASA_REPLY_TIMEOUT_S") or 30)


def tracker_store_url() -> str:
    """Rasa's conversations: PostgreSQL when the service database is, else var/tracker.db."""
    explicit = os.environ.get("TRACKER_STORE_URL")
    if explicit:
        return explicit
    url = database_url()
    if url.startswith("postgresql"):
        return url
    return f"sqlite:///{VAR_DIR / 'tracker.db'}"


def lock_store_env() -> dict[str, str]:
    """Rasa's lock store: in memory on one machine, Redis (REDIS_URL) when replicas share work.

    Redis through bot.lock_store, whose ticket changes are atomic across replicas: Rasa's own
    `redis` type lets two replicas take the same ticket and run one conversation's turns at once."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        return {"LOCK_STORE_TYPE": "in_memory", "REDIS_HOST": "", "REDIS_PORT": "",
                "REDIS_DB": "", "REDIS_PASSWORD": ""}
    parts = urlsplit(redis_url)
    return {
        "LOCK_STORE_TYPE": "bot.lock_store.AtomicRedisLockStore",
        "REDIS_HOST": parts.hostname or "127.0.0.1",
        "REDIS_PORT": str(parts.port or 6379),
        "REDIS_DB": (parts.path or "/0").lstrip("/") or "0",
        "REDIS_PASSWORD": parts.password or "",
    }


def child_env() -> dict[str, str]:
    """Everything the Rasa server, action server and front door read, defaults filled in."""
    env = dict(os.environ)
    env.update({name: str(port(name)) for name in DEFAULT_PORTS})
    env.setdefault("DATABASE_URL", database_url())
    env.setdefault("ACTION_ENDPOINT_URL", f"http://127.0.0.1:{port('ACTIONS_PORT')}/webhook")
    env["TRACKER_STORE_URL"] = tracker_store_url()
    for key, value in lock_store_env().items():
        env.setdefault(key, value)
    env.setdefault("RASA_URL", rasa_url())
    # No phoning home from an offline dealer network, and quieter third-party logs.
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env
