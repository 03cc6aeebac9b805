"""Fixtures shared by the whole suite: a migrated service database on SQLite and PostgreSQL."""
from __future__ import annotations

import uuid

import pytest

from aftersales.db import make_engine, make_sessionmaker
from aftersales.migrate import upgrade
from tests.services import create_database, drop_database, require_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """An empty database of each kind; the PostgreSQL one is created and dropped per test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'aftersales.db'}"
        return
    admin_url = require_postgres()
    name = f"aftersales_test_{uuid.uuid4().hex[:12]}"
    url = create_database(admin_url, name)
    try:
        yield url
    finally:
        drop_database(admin_url, name)


@pytest.fixture
def engine(db_url):
    """The database migrated to head with the real Alembic migrations."""
    upgrade(db_url)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine):
    """A session factory bound to the migrated database."""
    return make_sessionmaker(engine)


@pytest.fixture(scope="session")
def trained_model():
    """The project's model, trained once per run if the training data changed."""
    from bot.config import child_env
    from bot.training import ensure_model

    return ensure_model(child_env())
