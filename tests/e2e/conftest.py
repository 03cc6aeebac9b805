"""The whole product started once per test module (its own var/ and SQLite database)."""
from __future__ import annotations

import pytest

from tests.e2e.stack import Stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory, trained_model):
    stack = Stack(tmp_path_factory.mktemp("var"))
    stack.start()
    yield stack
    stack.kill()
