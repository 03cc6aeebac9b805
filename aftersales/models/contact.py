"""The contact log (every conversation turn is recorded) and reference counters."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Text

from aftersales.models.base import Base, UTCDateTime, one_of, pk
from aftersales.vocab import CHANNELS, CONTACT_DIRECTIONS


class ContactLog(Base):
    __tablename__ = "contact_log"
    __table_args__ = (
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
        CheckConstraint(one_of("direction", CONTACT_DIRECTIONS), name="direction"),
    )
    id = pk()
    conversation_key = Column(String(160), nullable=False, index=True)
    customer_id = Column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    channel = Column(String(20), nullable=False)
    direction = Column(String(3), nullable=False)
    author = Column(String(100), nullable=False)  # customer, bot, or a staff member's name
    text = Column(Text, nullable=False)
    intent = Column(String(60))
    at = Column(UTCDateTime, nullable=False)


class ReferenceCounter(Base):
    """The last number handed out per reference prefix (e.g. AP-20261124, CP-2026)."""

    __tablename__ = "reference_counters"
    prefix = Column(String(20), primary_key=True)
    last_value = Column(Integer, nullable=False)
