"""Sends the day-before reminders from the front door process, every few minutes, through the
relay: the customer's own channel (Telegram, or an open web chat), and the contact log, which
keeps it for a web customer who is not there now. A Telegram reminder waits while Telegram is
off. Each reminder is marked sent before it goes out, so a restart never sends one twice.
"""
from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime

from aftersales import clock, contact_log, reminders
from aftersales.db import transaction

log = logging.getLogger(__name__)


def interval_s() -> float:
    return float(os.environ.get("REMINDER_INTERVAL_S", "300"))


async def run_forever(relay) -> None:
    while True:
        try:
            await send_due(relay)
        except Exception:  # the next round tries again
            log.exception("reminder round failed")
        await asyncio.sleep(interval_s())


async def send_due(relay, now: datetime | None = None) -> int:
    now = now or clock.now()
    due = await asyncio.to_thread(_due, relay.sessions, now)
    sent = 0
    for reminder in due:
        key = contact_log.conversation_key(reminder.channel, reminder.external_id)
        if reminder.channel == "telegram" and not relay.reachable(key):
            continue  # Telegram is off: keep it for when it is on
        if not await asyncio.to_thread(_claim, relay.sessions, reminder.appointment_id, now):
            continue  # another round (before a restart, or another front door) sent it
        await relay.to_customer(key, [{"text": reminder.text}])
        sent += 1
    if sent:
        log.info("sent %d appointment reminder(s)", sent)
    return sent


def _due(sessions, now: datetime) -> list[reminders.Reminder]:
    with transaction(sessions) as session:
        return reminders.due(session, now)


def _claim(sessions, appointment_id: int, now: datetime) -> bool:
    with transaction(sessions) as session:
        return reminders.claim(session, appointment_id, now)
