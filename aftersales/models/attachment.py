"""Files customers send (a photo of a warning light, a scratch), kept with their case."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Text

from aftersales.models.base import Base, UTCDateTime, one_of, pk
from aftersales.vocab import CHANNELS


class Attachment(Base):
    """One file a customer sent: where it lies under var/, and the complaint or repair order
    that was open for them at the time (so the staff handling it see it)."""

    __tablename__ = "attachments"
    __table_args__ = (
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
        CheckConstraint("size_bytes >= 0", name="size_not_negative"),
    )
    id = pk()
    conversation_key = Column(String(160), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    customer_id = Column(ForeignKey("customers.id", ondelete="SET NULL"), index=True)
    complaint_id = Column(ForeignKey("complaints.id", ondelete="SET NULL"), index=True)
    repair_order_id = Column(ForeignKey("repair_orders.id", ondelete="SET NULL"), index=True)
    path = Column(String(300), nullable=False)  # relative to VAR_DIR: uploads/ab/<sha256>.jpg
    content_type = Column(String(60), nullable=False)
    size_bytes = Column(Integer, nullable=False)
    sha256 = Column(String(64), nullable=False)
    caption = Column(Text)
    at = Column(UTCDateTime, nullable=False)
