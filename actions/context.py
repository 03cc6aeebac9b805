"""What every action needs: the database session factory and the customer's language."""
from __future__ import annotations

from functools import lru_cache

from rasa_sdk import Tracker
from sqlalchemy.orm import sessionmaker

from aftersales.db import make_engine, make_sessionmaker


@lru_cache(maxsize=1)
def sessions() -> sessionmaker:
    """One engine (and connection pool) per action-server process, from DATABASE_URL."""
    return make_sessionmaker(make_engine())


def language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or "zh-Hans"
