"""The Alembic migrations build exactly the models' schema, and run both ways."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from aftersales.db import make_engine
from aftersales.migrate import alembic_config, upgrade
from aftersales.models import Base


def test_upgrade_on_an_empty_database_creates_every_table(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_migrations_match_the_models(db_url):
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_nothing_and_up_again(db_url):
    config = alembic_config(db_url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = make_engine(db_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    command.upgrade(config, "head")
    engine = make_engine(db_url)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_upgrade_twice_is_harmless(db_url):
    upgrade(db_url)
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    engine.dispose()
    head = ScriptDirectory.from_config(alembic_config(db_url)).get_heads()
    assert current == tuple(head) and len(head) == 1
