"""Checks complaint deadlines every minute (in the front door process) and tells supervisors
about escalations: each escalation once, even across restarts (notified_at is set in the same
transaction that records the notification; the escalation itself is unique per deadline)."""
from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime
from typing import Awaitable, Callable

from sqlalchemy.orm import sessionmaker

from aftersales import clock, handoffs
from aftersales.db import transaction
from aftersales.models import Complaint, Escalation
from aftersales.privacy import mask_phones_in

log = logging.getLogger(__name__)

# Sends one escalation card (the ticket's text) to the supervisors; returns True when delivered.
Notifier = Callable[[str], Awaitable[bool]]


def interval_s() -> float:
    return float(os.environ.get("SLA_INTERVAL_S", "60"))


async def run_forever(sessions: sessionmaker, notify: Notifier | None = None) -> None:
    while True:
        try:
            await one_round(sessions, notify)
        except Exception:
            log.exception("SLA round failed; the next one tries again")
        await asyncio.sleep(interval_s())


async def one_round(sessions: sessionmaker, notify: Notifier | None = None, now: datetime | None = None) -> int:
    """Escalates overdue tickets, then notifies every escalation not yet notified."""
    now = now or clock.now()
    await asyncio.to_thread(_escalate_overdue, sessions, now)
    cards = await asyncio.to_thread(_pending_cards, sessions)
    sent = 0
    for escalation_id, card in cards:
        delivered = await notify(card) if notify else True  # without Telegram, the log is the card
        if not notify:
            log.warning("escalation: %s", mask_phones_in(card.replace("\n", " | ")))
        if delivered:
            await asyncio.to_thread(_mark_notified, sessions, escalation_id, now)
            sent += 1
    return sent


def _escalate_overdue(sessions: sessionmaker, now: datetime) -> None:
    with transaction(sessions) as session:
        for escalation in handoffs.overdue(session, now):
            log.info("complaint %s passed its first-response deadline", escalation.notification_key)


def _pending_cards(sessions: sessionmaker) -> list[tuple[int, str]]:
    with transaction(sessions) as session:
        return [(e.id, card(session, e)) for e in handoffs.unnotified(session)]


def card(session, escalation: Escalation) -> str:
    complaint = session.get(Complaint, escalation.complaint_id) if escalation.complaint_id else None
    if complaint is None:
        return f"Escalation ({escalation.reason}) for {escalation.conversation_key}"
    return (f"🔔 {complaint.reference} · {escalation.reason} · {complaint.severity}\n"
            f"{complaint.category}: {mask_phones_in(complaint.description[:500])}\n"
            f"first response due {complaint.first_response_due:%Y-%m-%d %H:%M} UTC")


def _mark_notified(sessions: sessionmaker, escalation_id: int, now: datetime) -> None:
    with transaction(sessions) as session:
        session.get(Escalation, escalation_id).notified_at = now
