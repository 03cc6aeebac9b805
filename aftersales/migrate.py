"""Brings a database to the newest schema with the project's Alembic migrations."""
from __future__ import annotations

import logging

from alembic import command
from alembic.config import Config

from aftersales.settings import PROJECT_ROOT, database_url

log = logging.getLogger(__name__)


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade(url: str | None = None) -> None:
    command.upgrade(alembic_config(url), "head")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    upgrade()
    log.info("database migrated to the newest schema")


if __name__ == "__main__":
    main()
