"""The reminder round: web customers find the reminder in their chat log, once; Telegram
reminders wait while Telegram is off instead of being marked sent."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from aftersales import appointments, customers
from aftersales.db import transaction
from aftersales.models import Appointment, ContactLog
from bot import reminder_sender
from bot.relay import Relay
from tests.e2e.stack import free_port
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


def book_with_reminder(sessions, chat: str, plate: str, phone: str, hour: int):
    with transaction(sessions) as session:
        store = make_store(session, code=f"S{hour}")
        vehicle = make_customer(session, plate, phone)
        customers.link(session, chat, plate, phone, NOW - timedelta(days=1))
        return appointments.book(session, store=store, vehicle=vehicle,
                                 services=appointments.menu(session, store, ["minor_service"]),
                                 start=local(24, hour), now=NOW - timedelta(days=1), reminder=True).id


def send_due(sessions) -> int:
    async def run():
        relay = Relay(f"http://127.0.0.1:{free_port()}", sessions)  # Telegram is off: no "tg" channel
        try:
            return await reminder_sender.send_due(relay, NOW)
        finally:
            await relay.close()

    return asyncio.run(run())


def test_a_web_reminder_lands_in_the_chat_log_once_and_telegram_waits_for_telegram(sessions):
    web_id = book_with_reminder(sessions, "web:abc", "粤B11111", "13811111111", 10)
    telegram_id = book_with_reminder(sessions, "tg:777", "粤B22222", "13822222222", 11)
    assert send_due(sessions) == 1
    assert send_due(sessions) == 0
    with transaction(sessions) as session:
        logged = session.execute(select(ContactLog).where(ContactLog.conversation_key == "web:abc")).scalars().all()
        assert len(logged) == 1 and "明天" in logged[0].text and logged[0].direction == "out"
        assert session.get(Appointment, web_id).reminder_sent_at is not None
        assert session.get(Appointment, telegram_id).reminder_sent_at is None
