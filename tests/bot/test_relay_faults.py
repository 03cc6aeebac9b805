"""Faults behind the relay: Rasa down, or Rasa up with its action server down (Rasa then drops the
turn's actions and answers nothing). The customer is told their message is kept and a person will
reply; supervisors get one card per conversation and day; nothing is lost; and once the parts are
back the conversation carries on. Rasa is played by a small aiohttp server here; the real stack
gets the same faults in tests/e2e/test_faults_e2e.py."""
from __future__ import annotations

import asyncio
import contextlib
from collections import Counter

import pytest
from aiohttp import web
from sqlalchemy import select

from aftersales import contact_log, escalation_card
from aftersales.models import Escalation
from bot.relay import Relay
from tests.e2e.stack import free_port
from tests.reliability import tally

pytestmark = pytest.mark.reliability


@contextlib.asynccontextmanager
async def serving(routes: dict, port: int):
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_route("*", path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield
    finally:
        await runner.cleanup()


async def silent_rasa(request):  # what Rasa answers when the action server is unreachable
    return web.json_response([])


async def answering_rasa(request):
    body = await request.json()
    return web.json_response([{"recipient_id": body["sender"], "text": f"echo: {body['message']}"}])


async def healthy(request):
    return web.json_response({"status": "ok"})


def _escalations(sessions) -> list[tuple[str, str]]:
    with sessions() as session:
        return [(e.conversation_key, e.reason) for e in session.execute(select(Escalation)).scalars()]


def _logged(sessions, key: str) -> list[tuple[str, str]]:
    with sessions() as session:
        return [(e.direction, e.text) for e in contact_log.history(session, key)]


def test_with_the_action_server_down_the_customer_hears_a_person_will_reply_and_it_goes_on_when_back(sessions):
    rasa_port, actions_port = free_port(), free_port()
    relay = Relay(f"http://127.0.0.1:{rasa_port}", sessions, timeout_s=5,
                  actions_health_url=f"http://127.0.0.1:{actions_port}/health")
    seen = Counter()

    async def scenario():
        try:
            async with serving({"/webhooks/rest/webhook": silent_rasa}, rasa_port):
                seen["faults"] += 1
                down = [await relay.customer_turn("web", "s1", text) for text in ("我要预约保养", "明天上午")]
            async with serving({"/webhooks/rest/webhook": answering_rasa}, rasa_port), \
                    serving({"/health": healthy}, actions_port):
                back = await relay.customer_turn("web", "s1", "还在吗")
            return down, back
        finally:
            await relay.close()

    down, back = asyncio.run(scenario())
    logged = _logged(sessions, "web:s1")
    sent = ["我要预约保养", "明天上午", "还在吗"]
    seen["lost"] += sum(("in", text) not in logged for text in sent)
    tally("action server down (relay)", **seen)
    assert all("消息已记录" in turn[0]["text"] and "人工" in turn[0]["text"] for turn in down)
    assert back == [{"recipient_id": "web:s1", "text": "echo: 还在吗"}]
    assert [t for d, t in logged if d == "in"] == sent
    assert _escalations(sessions) == [("web:s1", "bot_unavailable")]  # one card, not one per message


def test_rasa_down_asks_a_person_too_and_the_card_says_why(sessions):
    relay = Relay(f"http://127.0.0.1:{free_port()}", sessions, timeout_s=5)

    async def scenario():
        try:
            return await relay.customer_turn("telegram", "77", "where is my car?")
        finally:
            await relay.close()

    replies = asyncio.run(scenario())
    tally("Rasa down (relay)", faults=1, lost=int(("in", "where is my car?") not in _logged(sessions, "tg:77")))
    assert "Your message is saved" in replies[0]["text"] and "a person" in replies[0]["text"]
    with sessions() as session:
        (escalation,) = session.execute(select(Escalation)).scalars()
        assert "could not answer" in escalation_card.card(session, escalation)


def test_a_turn_rasa_leaves_silent_with_a_healthy_action_server_stays_silent(sessions):
    rasa_port, actions_port = free_port(), free_port()
    relay = Relay(f"http://127.0.0.1:{rasa_port}", sessions, timeout_s=5,
                  actions_health_url=f"http://127.0.0.1:{actions_port}/health")

    async def scenario():
        try:
            async with serving({"/webhooks/rest/webhook": silent_rasa}, rasa_port), \
                    serving({"/health": healthy}, actions_port):
                return await relay.customer_turn("web", "s2", "ok")
        finally:
            await relay.close()

    assert asyncio.run(scenario()) == [] and _escalations(sessions) == []


def test_a_slow_rasa_gets_the_apology_after_the_timeout_not_a_hang(sessions):
    rasa_port = free_port()
    relay = Relay(f"http://127.0.0.1:{rasa_port}", sessions, timeout_s=1)

    async def slow(request):
        await asyncio.sleep(5)
        return web.json_response([])

    async def scenario():
        try:
            async with serving({"/webhooks/rest/webhook": slow}, rasa_port):
                return await asyncio.wait_for(relay.customer_turn("web", "s3", "hello?"), 4)
        finally:
            await relay.close()

    replies = asyncio.run(scenario())
    tally("Rasa slow (relay)", faults=1, lost=int(("in", "hello?") not in _logged(sessions, "web:s3")))
    assert "Your message is saved" in replies[0]["text"]
