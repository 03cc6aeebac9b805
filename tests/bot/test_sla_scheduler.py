"""The SLA round on a controllable clock: a ticket past its deadline escalates and is notified
exactly once, however many rounds (or restarts) follow."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from aftersales import complaints
from aftersales.db import transaction
from aftersales.models import Escalation
from bot import sla_scheduler
from tests.aftersales.small_dealer import NOW, make_customer, make_store


def test_a_passed_deadline_escalates_and_is_notified_exactly_once(sessions):
    with transaction(sessions) as session:
        store = make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        due = complaints.file(session, store=store, customer=vehicle.owner, description="没人理我 13812345678",
                              category="other", now=NOW, channel="web", conversation_key="web:x").first_response_due
    cards = []

    async def notify(reference, card):
        cards.append(card)
        return True

    assert asyncio.run(sla_scheduler.one_round(sessions, notify, due - timedelta(minutes=1))) == 0
    for minutes in (0, 1, 2, 60):  # later rounds, as after a restart
        asyncio.run(sla_scheduler.one_round(sessions, notify, due + timedelta(minutes=minutes)))
    assert len(cards) == 1 and "first-response deadline passed" in cards[0] and "13812345678" not in cards[0]
    with transaction(sessions) as session:
        [escalation] = session.execute(select(Escalation)).scalars().all()
        assert escalation.notified_at is not None


def test_a_failed_delivery_is_tried_again_next_round(sessions):
    with transaction(sessions) as session:
        store = make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        complaints.file(session, store=store, customer=vehicle.owner, description="刹车失灵了",
                        category="repair_quality", now=NOW, channel="web", conversation_key="web:y")
    attempts = []

    async def flaky(reference, card):
        attempts.append(card)
        return len(attempts) > 1

    asyncio.run(sla_scheduler.one_round(sessions, flaky, NOW))
    asyncio.run(sla_scheduler.one_round(sessions, flaky, NOW))
    asyncio.run(sla_scheduler.one_round(sessions, flaky, NOW))
    assert len(attempts) == 2  # high severity: escalated at intake, delivered on the second try
