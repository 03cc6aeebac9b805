"""Every conversation turn is recorded (the trade's rule: every contact is logged)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.models import ChannelAccount, ContactLog, utcnow

MAX_TEXT = 20_000  # a pasted essay is kept, a runaway client cannot fill the disk

# Conversation keys are '<prefix>:<id>'; the prefix names the channel.
CHANNEL_OF_PREFIX = {"tg": "telegram", "web": "web", "rest": "rest"}
PREFIX_OF_CHANNEL = {channel: prefix for prefix, channel in CHANNEL_OF_PREFIX.items()}


def record(
    session: Session,
    conversation_key: str,
    channel: str,
    direction: str,
    author: str,
    text: str,
    intent: str | None = None,
    at: datetime | None = None,
) -> ContactLog:
    entry = ContactLog(
        conversation_key=conversation_key,
        customer_id=customer_of(session, conversation_key),
        channel=channel,
        direction=direction,
        author=author,
        text=text[:MAX_TEXT],
        intent=intent,
        at=at or utcnow(),
    )
    session.add(entry)
    return entry


def channel_of(conversation_key: str) -> str:
    """'tg:123' -> 'telegram', 'web:abc' -> 'web'; anything else came over REST."""
    return CHANNEL_OF_PREFIX.get(conversation_key.partition(":")[0], "rest")


def customer_of(session: Session, conversation_key: str) -> int | None:
    """The identified customer behind a conversation key such as 'tg:12345', if any."""
    channel, _, external_id = conversation_key.partition(":")
    return session.execute(
        select(ChannelAccount.customer_id).where(
            ChannelAccount.channel == CHANNEL_OF_PREFIX.get(channel, channel),
            ChannelAccount.external_id == external_id,
        )
    ).scalar_one_or_none()


def history(session: Session, conversation_key: str, limit: int = 200) -> list[ContactLog]:
    rows = session.execute(
        select(ContactLog)
        .where(ContactLog.conversation_key == conversation_key)
        .order_by(ContactLog.at.desc(), ContactLog.id.desc())
        .limit(limit)
    ).scalars()
    return list(reversed(list(rows)))



def conversation_key(channel: str, external_id: str) -> str:
    return f"{PREFIX_OF_CHANNEL[channel]}:{external_id}"
