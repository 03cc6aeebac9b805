"""The same stack on PostgreSQL: service database and Rasa's tracker store both there."""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text

from aftersales.models import ContactLog, Store
from tests.e2e.stack import Stack, post_json
from tests.services import create_database, drop_database, require_postgres

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


@pytest.fixture(scope="module")
def pg_stack(tmp_path_factory, trained_model):
    admin_url = require_postgres()
    name = f"stack_test_{uuid.uuid4().hex[:10]}"
    url = create_database(admin_url, name)
    stack = Stack(tmp_path_factory.mktemp("var"), {"DATABASE_URL": url})
    try:
        stack.start()
        yield stack, url
    finally:
        stack.kill()
        drop_database(admin_url, name)


def test_the_stack_runs_on_postgresql(pg_stack):
    stack, url = pg_stack
    replies = post_json(stack.url("RASA_PORT", "/webhooks/rest/webhook"), {"sender": "pg1", "message": "你好"})
    assert replies and re.search(r"[\u4e00-\u9fff]", replies[0]["text"])
    post_json(stack.url("WEB_PORT", "/api/chat"), {"session": "pg", "message": "hello"})
    engine = create_engine(url, future=True)
    with engine.connect() as connection:
        stores = connection.execute(select(func.count()).select_from(Store)).scalar_one()
        logged = connection.execute(
            select(func.count()).select_from(ContactLog).where(ContactLog.conversation_key == "web:pg")
        ).scalar_one()
        conversations = connection.execute(
            text("SELECT count(DISTINCT sender_id) FROM events WHERE sender_id IN ('pg1', 'web:pg')")
        ).scalar_one()
    engine.dispose()
    assert stores == 2  # seeded into PostgreSQL
    assert logged >= 2  # the customer's turn and the bot's answer
    assert conversations == 2  # Rasa's tracker store is in PostgreSQL too
