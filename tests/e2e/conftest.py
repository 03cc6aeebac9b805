"""The whole product started once per test module (its own var/ and SQLite database), the
stack's service database for a test to look into, and an emulated Telegram."""
from __future__ import annotations

import pytest

from aftersales.db import make_engine, make_sessionmaker
from tests.e2e.stack import Stack
from tests.e2e.telegram_api import TelegramEmulator


@pytest.fixture(scope="module")
def stack(tmp_path_factory, trained_model):
    stack = Stack(tmp_path_factory.mktemp("var"))
    stack.start()
    yield stack
    stack.kill()


@pytest.fixture
def database(stack):
    """Sessions on the stack's own SQLite service database."""
    engine = make_engine(f"sqlite:///{stack.env['VAR_DIR']}/aftersales.db")
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def telegram():
    """telegram-test-api behind its shim, for one test module (tests/e2e/telegram_api.py)."""
    with TelegramEmulator() as emulated:
        yield emulated
