"""A backup taken, the database changed, the backup restored: the change is gone, the rest is back."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from aftersales import backup, contact_log
from aftersales.db import transaction
from aftersales.models import ContactLog, Customer
from tests.aftersales.small_dealer import make_customer, make_store
from tests.reliability import tally

pytestmark = pytest.mark.reliability


def _texts(sessions) -> list[str]:
    with transaction(sessions) as session:
        return [e.text for e in session.execute(select(ContactLog).order_by(ContactLog.id)).scalars()]


def test_a_restore_brings_back_the_database_as_it_was_at_the_backup(sessions, engine, db_url, tmp_path):
    with transaction(sessions) as session:
        make_store(session)
        make_customer(session, "粤B12345", "13812345678")
        contact_log.record(session, "web:a", "web", "in", "customer", "before the backup")
    saved = backup.backup(db_url, tmp_path / "backups" / "service.backup")
    assert saved.stat().st_size > 0
    with transaction(sessions) as session:
        contact_log.record(session, "web:a", "web", "in", "customer", "after the backup")
        session.execute(select(Customer)).scalar().name = "changed"
    engine.dispose()  # the bot is stopped for a restore
    backup.restore(db_url, saved)
    tally("database restored from a backup", faults=1, lost=int(_texts(sessions) != ["before the backup"]))
    assert _texts(sessions) == ["before the backup"]
    with transaction(sessions) as session:
        assert session.execute(select(Customer.name)).scalar() == "张先生"
    # And the restored database takes new writes.
    with transaction(sessions) as session:
        contact_log.record(session, "web:a", "web", "in", "customer", "after the restore")
    assert _texts(sessions) == ["before the backup", "after the restore"]


def test_the_command_backs_up_the_configured_database(sessions, db_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert backup.main(["backup", str(tmp_path / "b")]) == 0
    assert "backed up" in capsys.readouterr().out and (tmp_path / "b").stat().st_size > 0
