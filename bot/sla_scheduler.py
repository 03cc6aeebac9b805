"""Checks complaint deadlines every minute (in the front door process) and tells supervisors
about escalations: each escalation once, even across restarts (notified_at is recorded as soon as
the card is delivered; the escalation itself is unique per deadline). A process killed between
delivering a card and recording it sends that card again when it restarts: at least once, since
a lost escalation is worse than a repeated one."""
from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime
from typing import Awaitable, Callable, Optional

from sqlalchemy.orm import sessionmaker

from aftersales import clock, escalation_card, handoffs
from aftersales.db import transaction
from aftersales.models import Complaint, Escalation
from aftersales.privacy import mask_phones_in

log = logging.getLogger(__name__)

# Sends one escalation card to the supervisors: (complaint reference or None, the card's text);
# returns True when delivered.
Notifier = Callable[[Optional[str], str], Awaitable[bool]]


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
    for escalation_id, reference, text in cards:
        delivered = await notify(reference, text) if notify else True  # without Telegram, the log is the card
        if not notify:
            log.warning("escalation: %s", mask_phones_in(text.replace("\n", " | ")))
        if delivered:
            await asyncio.to_thread(_mark_notified, sessions, escalation_id, now)
            sent += 1
    return sent


def _escalate_overdue(sessions: sessionmaker, now: datetime) -> None:
    with transaction(sessions) as session:
        for escalation in handoffs.overdue(session, now):
            log.info("complaint %s passed its first-response deadline", escalation.notification_key)


def _pending_cards(sessions: sessionmaker) -> list[tuple[int, Optional[str], str]]:
    with transaction(sessions) as session:
        cards = []
        for escalation in handoffs.unnotified(session):
            complaint = session.get(Complaint, escalation.complaint_id) if escalation.complaint_id else None
            cards.append((escalation.id, complaint.reference if complaint else None,
                          escalation_card.card(session, escalation)))
        return cards


def _mark_notified(sessions: sessionmaker, escalation_id: int, now: datetime) -> None:
    with transaction(sessions) as session:
        session.get(Escalation, escalation_id).notified_at = now
