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


def test_while_a_supervisor_holds_the_conversation_the_bot_is_silent_and_the_message_reaches_them(sessions):
    from datetime import datetime, timezone

    from aftersales import complaints, handoffs
    from aftersales.db import transaction
    from aftersales.models import Staff
    from tests.aftersales.small_dealer import make_customer, make_store

    now = datetime.now(timezone.utc)
    with transaction(sessions) as session:
        store = make_store(session)
        boss = Staff(username="wang", display_name="王经理", role="supervisor", store_id=store.id)
        session.add(boss)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        complaint = complaints.file(session, store=store, customer=vehicle.owner, description="等太久",
                                    category="waiting_time", now=now, channel="web", conversation_key="web:s1")
        handoffs.take_over(session, complaint, boss, now)
        boss_id, reference = boss.id, complaint.reference
    forwarded = []

    async def run() -> list[dict]:
        async def forward(staff_id, key, text):
            forwarded.append((staff_id, key, text))

        relay = Relay(f"http://127.0.0.1:{free_port()}", sessions, timeout_s=5, forward_to_staff=forward)
        try:
            return await relay.customer_turn("web", "s1", "还要等多久？")
        finally:
            await relay.close()

    assert asyncio.run(run()) == []  # no apology, no bot answer: the supervisor replies
    assert forwarded == [(boss_id, "web:s1", "还要等多久？")]
    with transaction(sessions) as session:
        kinds = [e.kind for e in handoffs.complaint_by_reference(session, reference).events]
        assert kinds[-1] == "message_in"
