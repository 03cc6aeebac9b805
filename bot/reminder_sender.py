"""Sends the day-before reminders from the front door process, every few minutes.

Telegram customers get a message from the bot; web customers find it in their chat (it is
written to the contact log, which the widget shows). Each reminder is marked sent in the same
transaction that records it, so a restart never sends one twice.
"""
from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime

from sqlalchemy.orm import sessionmaker

from aftersales import clock, contact_log, reminders
from aftersales.db import transaction

log = logging.getLogger(__name__)


def interval_s() -> float:
    return float(os.environ.get("REMINDER_INTERVAL_S", "300"))


async def run_forever(sessions: sessionmaker, telegram_bot=None) -> None:
    while True:
        try:
            await send_due(sessions, telegram_bot)
        except Exception:  # the next round tries again; nothing is marked sent unless it went out
            log.exception("reminder round failed")
        await asyncio.sleep(interval_s())


async def send_due(sessions: sessionmaker, telegram_bot=None, now: datetime | None = None) -> int:
    now = now or clock.now()
    due = await asyncio.to_thread(_due, sessions, now)
    sent = 0
    for reminder in due:
        if reminder.channel == "telegram":
            if telegram_bot is None:
                continue  # Telegram is off: keep it for when it is on
            await telegram_bot.send_message(int(reminder.external_id), reminder.text)
        await asyncio.to_thread(_record, sessions, reminder, now)
        sent += 1
    if sent:
        log.info("sent %d appointment reminder(s)", sent)
    return sent


def _due(sessions: sessionmaker, now: datetime) -> list[reminders.Reminder]:
    with transaction(sessions) as session:
        return reminders.due(session, now)


def _record(sessions: sessionmaker, reminder: reminders.Reminder, now: datetime) -> None:
    with transaction(sessions) as session:
        key = contact_log.conversation_key(reminder.channel, reminder.external_id)
        contact_log.record(session, key, reminder.channel, "out", "bot", reminder.text, at=now)
        reminders.mark_sent(session, reminder.appointment_id, now)
