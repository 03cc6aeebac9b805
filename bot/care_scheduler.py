"""Messages the bot starts, from the front door process: status pushes about a customer's car
(stage changes, extra work awaiting approval) and the follow-up survey 2-3 days after delivery.

Every round reads the database, sends through the relay (the customer's own channel, logged),
and marks what it dealt with in the database, so a restart sends nothing twice; a follow-up is
claimed before it is sent and the claim is undone if it could not be delivered.
"""
from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from aftersales import clock, reminders, status_push, surveys
from aftersales.db import transaction
from aftersales.models import Customer, RepairOrder, Store

log = logging.getLogger(__name__)

FOLLOWUP_INTENT = "EXTERNAL_followup"


def interval_s() -> float:
    return float(os.environ.get("CARE_INTERVAL_S", "30"))


async def run_forever(relay) -> None:
    while True:
        try:
            await one_round(relay)
        except Exception:
            log.exception("care round failed; the next one tries again")
        await asyncio.sleep(interval_s())


async def one_round(relay, now: datetime | None = None) -> tuple[int, int]:
    """(pushes sent, follow-ups sent) this round."""
    now = now or clock.now()
    return await send_pushes(relay, now), await send_followups(relay, now)


async def send_pushes(relay, now: datetime) -> int:
    pushes = await asyncio.to_thread(_in_transaction, relay.sessions, status_push.due, now)
    sent = 0
    for push in pushes:
        if not await asyncio.to_thread(_in_transaction, relay.sessions, status_push.claim, push, now):
            continue  # another round (before a restart, or another front door) has it
        if push.messages and push.conversation_key:
            if not await relay.to_customer(push.conversation_key, push.messages):
                log.info("status push to %s waits in the contact log (not reachable now)", push.conversation_key)
            sent += 1
    return sent


async def send_followups(relay, now: datetime) -> int:
    """Each due follow-up whose customer can be reached now: claimed, then started in Rasa."""
    due = await asyncio.to_thread(_in_transaction, relay.sessions, _due_followups, now)
    sent = 0
    for order_id, reference, key in due:
        if key is None or not relay.reachable(key):
            continue  # no chat with us, or not reachable now: tried again next round
        if not await asyncio.to_thread(_in_transaction, relay.sessions, _claim, order_id, now):
            continue
        if await relay.proactive(key, FOLLOWUP_INTENT, {"order_id": reference}):
            sent += 1
        else:
            await asyncio.to_thread(_in_transaction, relay.sessions, _unclaim, order_id)
    return sent


def _in_transaction(sessions: sessionmaker, work, *args):
    with transaction(sessions) as session:
        return work(session, *args)


def _due_followups(session, now: datetime) -> list[tuple[int, str, str | None]]:
    """Due follow-ups outside the store's quiet hours: (order id, reference, conversation key)."""
    return [(order.id, order.reference, surveys.reach(session, order.customer_id))
            for order in surveys.followups_due(session, now)
            if reminders.polite_now(session.get(Store, order.store_id), now)]


def _claim(session, order_id: int, now: datetime) -> bool:
    """Marks the follow-up sent and opens its survey; False when it was claimed already."""
    claimed = session.execute(
        update(RepairOrder).where(RepairOrder.id == order_id, RepairOrder.followup_sent_at.is_(None))
        .values(followup_sent_at=now).execution_options(synchronize_session=False)
    ).rowcount == 1  # one conditional UPDATE: two rounds at once cannot both claim it
    if not claimed:
        return False
    order = session.get(RepairOrder, order_id)
    return surveys.start(session, session.get(Customer, order.customer_id), now, order=order) is not None


def _unclaim(session, order_id: int) -> None:
    from sqlalchemy import delete

    from aftersales.models import Survey

    session.get(RepairOrder, order_id).followup_sent_at = None
    session.execute(delete(Survey).where(Survey.repair_order_id == order_id, Survey.answered_at.is_(None),
                                         Survey.complaint_id.is_(None)))
