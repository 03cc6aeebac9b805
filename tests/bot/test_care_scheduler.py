"""The care scheduler sends status pushes through the relay to the customer's own channel,
logged, once; a follow-up that Rasa could not start is not marked sent (it is tried again)."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from aftersales import contact_log, customers
from aftersales.db import transaction
from aftersales.models import RepairOrder, RepairOrderEvent, Survey
from bot import care_scheduler
from bot.relay import Relay
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store
from tests.e2e.stack import free_port


def _dealer(sessions, status: str) -> None:
    with transaction(sessions) as session:
        store = make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        customers.link(session, "tg:42", "粤B12345", "13812345678", NOW)
        order = RepairOrder(reference="RO-20261119-0001", store_id=store.id, customer_id=vehicle.customer_id,
                            vehicle_id=vehicle.id, status=status, opened_at=local(19, 9),
                            delivered_at=local(19, 17) if status == "delivered" else None)
        order.events = [RepairOrderEvent(status=status, at=local(19, 17), actor="workshop")]
        session.add(order)


def _round(sessions, now):
    sent_to: list[tuple[str, list[dict]]] = []

    async def telegram(external_id: str, messages: list[dict]) -> bool:
        sent_to.append((external_id, messages))
        return True

    async def run():
        relay = Relay(f"http://127.0.0.1:{free_port()}", sessions, timeout_s=3)  # no Rasa listens there
        relay.add_channel("tg", telegram)
        try:
            return await care_scheduler.one_round(relay, now)
        finally:
            await relay.close()

    return asyncio.run(run()), sent_to


def test_a_stage_change_reaches_the_customer_once_and_is_logged(sessions):
    _dealer(sessions, "quality_check")
    counts, sent_to = _round(sessions, NOW)
    assert counts == (1, 0)
    assert sent_to == [("42", [{"text": "您的爱车 粤B12345（RO-20261119-0001）最新进度：质检中。"}])]
    with sessions() as session:
        assert [e.text for e in contact_log.history(session, "tg:42")] == [sent_to[0][1][0]["text"]]
    assert _round(sessions, NOW + timedelta(minutes=1)) == ((0, 0), [])


def test_a_followup_rasa_could_not_start_is_tried_again_later(sessions):
    _dealer(sessions, "delivered")
    counts, _ = _round(sessions, NOW + timedelta(days=3))
    assert counts[1] == 0  # (the delivery itself was pushed)
    with sessions() as session:
        assert session.execute(select(RepairOrder.followup_sent_at)).scalar() is None
        assert session.execute(select(Survey)).first() is None


def test_a_followup_waits_while_the_customer_cannot_be_reached(sessions):
    _dealer(sessions, "delivered")

    async def run():
        relay = Relay(f"http://127.0.0.1:{free_port()}", sessions, timeout_s=3)  # Telegram is off: no "tg"
        try:
            return await care_scheduler.send_followups(relay, NOW + timedelta(days=3))
        finally:
            await relay.close()

    assert asyncio.run(run()) == 0
    with sessions() as session:
        assert session.execute(select(RepairOrder.followup_sent_at)).scalar() is None
