"""The relay every channel uses: when Rasa cannot answer, the customer hears so and nothing is lost."""
from __future__ import annotations

import asyncio

from aftersales import contact_log
from bot.relay import Relay
from tests.e2e.stack import free_port


def _turn(sessions, text: str) -> list[dict]:
    async def run() -> list[dict]:
        relay = Relay(f"http://127.0.0.1:{free_port()}", sessions, timeout_s=5)  # nothing listens there
        try:
            return await relay.customer_turn("web", "s1", text)
        finally:
            await relay.close()

    return asyncio.run(run())


def test_rasa_down_gets_an_apology_in_the_customers_language_and_the_message_is_kept(sessions):
    replies = _turn(sessions, "我的车什么时候能修好")
    assert "消息已记录" in replies[0]["text"]
    english = _turn(sessions, "when will my car be ready")
    assert "Your message is saved" in english[0]["text"]
    with sessions() as session:
        logged = [(e.direction, e.text) for e in contact_log.history(session, "web:s1")]
    assert ("in", "我的车什么时候能修好") in logged
    assert ("in", "when will my car be ready") in logged
    assert ("out", replies[0]["text"]) in logged
