"""Strange messages through the front door's /api/chat (the real app, relay and database; Rasa's
REST channel played by the echo server of tests/bot/test_widget.py): the fuzz corpus and
hypothesis-made text and bodies. Every one gets an answer, none a server error; what is kept is the
cleaned message and nothing else. The same corpus goes through the real stack in
tests/e2e/test_bad_input_e2e.py."""
from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections import Counter

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from aftersales import contact_log, customer_text
from aftersales.models import Appointment, Complaint, Customer
from tests.bot.test_widget import FrontDoor
from tests.reliability import corpus, tally

pytestmark = pytest.mark.reliability

EXAMPLES = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def door(sessions):
    """The front door (with the echo Rasa) served from a background thread, for plain HTTP calls."""
    ready, state = threading.Event(), {}

    async def serve():
        state["loop"], state["stop"] = asyncio.get_running_loop(), asyncio.Event()
        async with FrontDoor(sessions).running() as running:
            state["door"] = running
            ready.set()
            await state["stop"].wait()

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    assert ready.wait(30)
    yield state["door"]
    state["loop"].call_soon_threadsafe(state["stop"].set)
    thread.join(10)


def _say(door, message, session: str | None = None) -> requests.Response:
    body = {"session": session or uuid.uuid4().hex, "message": message}
    return requests.post(f"{door.url}/api/chat", data=json.dumps(body), timeout=30,
                         headers={"Content-Type": "application/json"})


def _logged_in(door, session: str) -> list[str]:
    with door.sessions() as db:
        return [e.text for e in contact_log.history(db, f"web:{session}") if e.direction == "in"]


def _check_turn(door, message, seen: Counter) -> None:
    """One message: answered, no 5xx, kept as cleaned (or not at all when nothing is left)."""
    session = uuid.uuid4().hex
    seen["bad_inputs"] += 1
    response = _say(door, message, session)
    if response.status_code >= 500:
        seen["server_errors"] += 1
    assert response.status_code == 200, response.text
    replies = response.json()["replies"]
    assert replies and all(r.get("text", "").strip() for r in replies), replies
    expected = customer_text.clean(message)
    logged = _logged_in(door, session)
    if expected:
        if logged != [expected]:
            seen["lost"] += 1
        assert logged == [expected]
        assert door.rasa_turns[-1]["message"] == expected  # Rasa got the cleaned text
    else:
        assert replies == [{"text": customer_text.EMPTY_HINT}] and logged == []


def _nothing_else_stored(door) -> None:
    with door.sessions() as db:
        for model in (Customer, Appointment, Complaint):
            assert db.execute(select(func.count()).select_from(model)).scalar() == 0, model


def test_every_corpus_message_is_answered_and_kept_as_cleaned(door):
    seen = Counter()
    try:
        for _category, message in corpus():
            _check_turn(door, message, seen)
    finally:
        tally("corpus through /api/chat", **seen)
    _nothing_else_stored(door)


def test_any_text_at_all_is_answered_and_kept_as_cleaned(door):
    seen = Counter()
    any_character = st.characters(blacklist_categories=())  # surrogates and controls included

    @EXAMPLES
    @given(st.text(any_character, max_size=300) | st.text(max_size=6000))
    def check(message):
        _check_turn(door, message, seen)

    try:
        check()
    finally:
        tally("hypothesis text through /api/chat", **seen)
    _nothing_else_stored(door)


def test_any_body_at_all_gets_a_client_error_or_an_answer_never_a_server_error(door):
    seen = Counter()
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50)
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=10), inner, max_size=3), max_leaves=8)
    bodies = (values.map(lambda v: json.dumps(v).encode())
              | st.dictionaries(st.sampled_from(["session", "message", "customData"]), values).map(
                  lambda v: json.dumps(v).encode())
              | st.binary(max_size=500))

    @EXAMPLES
    @given(bodies)
    def check(body):
        seen["bad_inputs"] += 1
        response = requests.post(f"{door.url}/api/chat", data=body, timeout=30,
                                 headers={"Content-Type": "application/json"})
        seen["server_errors"] += response.status_code >= 500
        assert response.status_code in (200, 400), (body, response.status_code)

    try:
        check()
    finally:
        tally("hypothesis bodies to /api/chat", **seen)


def test_a_body_over_64_kb_is_refused_with_413(door):
    response = requests.post(f"{door.url}/api/chat", data=b"x" * 70_000, timeout=30)
    tally("oversized body", bad_inputs=1, server_errors=int(response.status_code >= 500))
    assert response.status_code == 413
