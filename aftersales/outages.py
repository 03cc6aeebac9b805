"""When the bot cannot answer (Rasa or the action server down or too slow), a person must.

The customer's message is already in the contact log; this asks supervisors to reply, once per
conversation and day (the notification key is unique, so a flurry of messages during an outage
or a restarted scheduler raises one card, not dozens).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales import contact_log
from aftersales.models import Escalation


def ask_for_person(session: Session, conversation_key: str, now: datetime) -> Escalation | None:
    """An escalation for this conversation, or None when today's already exists."""
    key = f"bot_unavailable:{conversation_key}:{now:%Y%m%d}"[:120]
    if session.execute(select(Escalation.id).where(Escalation.notification_key == key)).first():
        return None
    escalation = Escalation(conversation_key=conversation_key, reason="bot_unavailable", notification_key=key,
                            customer_id=contact_log.customer_of(session, conversation_key), created_at=now)
    session.add(escalation)
    session.flush()
    return escalation


NOT_SAVED = {
    "en": "Sorry, our system could not save that just now, so nothing was recorded. "
          "Please send the same answer again in a minute, or ask for a person.",
    "zh": "抱歉，系统刚才未能保存，这一步没有记录下来。请稍后再发送一次同样的回复，或者要求转人工。",
}


def not_saved(language: str | None) -> str:
    """What a customer is told when the database refused a write after the retries."""
    return NOT_SAVED["en" if (language or "").startswith("en") else "zh"]
