"""The fuzz corpus through the customers' Telegram handlers, against the emulated Bot API (Rasa
not running, so every real message gets the relay's apology): each one is answered, escaped, and
kept as cleaned; nothing breaks the handlers for the next customer."""
from __future__ import annotations

from collections import Counter

import pytest

from aftersales import contact_log, customer_text
from bot.relay import APOLOGY
from tests.bot.test_telegram_emulated import bot, emulator, sessions  # noqa: F401 - fixtures
from tests.e2e.telegram_api import TelegramUser
from tests.reliability import corpus, tally

pytestmark = pytest.mark.reliability


def test_every_corpus_message_on_telegram_is_answered_and_kept_as_cleaned(emulator, bot, sessions):  # noqa: F811
    seen, unanswered = Counter(), []
    try:
        for n, (category, message) in enumerate(corpus()):
            if message == "":
                continue  # Telegram does not deliver an empty message
            seen["bad_inputs"] += 1
            user = TelegramUser(8000 + n, f"Fuzz{n}", language_code="en")
            since = emulator.send_message(user, user.id, message)
            expected = customer_text.clean(message)
            try:
                reply = emulator.wait_for(user.id, lambda m: True, since=since, timeout=20)
            except AssertionError:
                unanswered.append((category, message[:30]))
                continue
            assert reply.text in (set(APOLOGY.values()) if expected else {customer_text.EMPTY_HINT}), (category, reply.text)
            with sessions() as session:
                kept = [e.text for e in contact_log.history(session, f"tg:{user.id}") if e.direction == "in"]
            seen["lost"] += bool(expected) and kept != [expected]
            assert kept == ([expected] if expected else []), (category, kept)
    finally:
        tally("corpus through Telegram handlers", **seen)
    assert unanswered == []
