"""The flood limit every channel shares: one polite "slow down", then the rest is dropped."""
from __future__ import annotations

import asyncio

from aftersales import contact_log
from bot.flood import DROP, PASS, WARN, FloodLimit
from bot.relay import SLOW_DOWN, Relay
from tests.e2e.stack import free_port


def test_up_to_the_limit_passes_then_one_warning_then_drops():
    flood = FloodLimit(max_messages=3, window_s=10)
    assert [flood.check("tg:1", 100 + i * 0.1) for i in range(6)] == [PASS, PASS, PASS, WARN, DROP, DROP]


def test_conversations_are_counted_apart():
    flood = FloodLimit(max_messages=2, window_s=10)
    assert [flood.check("tg:1", 100), flood.check("tg:1", 100), flood.check("tg:1", 100)] == [PASS, PASS, WARN]
    assert flood.check("web:a", 100) == PASS


def test_a_steady_flood_stays_dropped_and_a_calm_customer_passes_and_can_be_warned_again():
    flood = FloodLimit(max_messages=2, window_s=10)
    verdicts = [flood.check("tg:1", t) for t in (0, 1, 2, 5, 8, 11, 14)]
    assert verdicts == [PASS, PASS, WARN, DROP, DROP, DROP, DROP]  # dropped messages still count
    assert flood.check("tg:1", 30) == PASS  # quiet for a whole window
    assert [flood.check("tg:1", 30.5), flood.check("tg:1", 31)] == [PASS, WARN]


def test_messages_older_than_the_window_do_not_count():
    flood = FloodLimit(max_messages=2, window_s=10)
    assert [flood.check("tg:1", t) for t in (0, 5, 10, 15, 20)] == [PASS, PASS, PASS, PASS, PASS]


def test_idle_conversations_are_forgotten():
    flood = FloodLimit(max_messages=1, window_s=10)
    flood.check("tg:1", 0)
    flood.check("tg:1", 0)
    flood.check("tg:2", 15)
    flood.forget_idle(now=20)
    assert set(flood._times) == {"tg:2"} and flood._warned == set()


def test_the_relay_applies_the_limit_before_rasa_and_logs_every_message(sessions):
    async def run() -> list[list[dict]]:
        relay = Relay(f"http://127.0.0.1:{free_port()}", sessions, timeout_s=5,  # Rasa is down: apologies
                      flood=FloodLimit(max_messages=2, window_s=60))
        try:
            return [await relay.customer_turn("web", "s1", f"第{n}条消息", sent_at=1000.0 + n) for n in range(5)]
        finally:
            await relay.close()

    replies = asyncio.run(run())
    assert ["消息已记录" in r[0]["text"] for r in replies[:2]] == [True, True]
    assert replies[2] == [{"text": SLOW_DOWN["zh"]}]
    assert replies[3:] == [[], []]
    with sessions() as session:
        logged = [(e.direction, e.text) for e in contact_log.history(session, "web:s1")]
    assert [text for direction, text in logged if direction == "in"] == [f"第{n}条消息" for n in range(5)]
    assert ("out", SLOW_DOWN["zh"]) in logged
