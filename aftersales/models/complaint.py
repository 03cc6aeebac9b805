"""Complaints with their timeline, escalations, human handoffs and satisfaction surveys."""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import relationship

from aftersales.models.base import Base, UTCDateTime, created_at, one_of, pk
from aftersales.vocab import (
    CHANNELS,
    COMPLAINT_CATEGORIES,
    COMPLAINT_EVENTS,
    COMPLAINT_SEVERITIES,
    COMPLAINT_STATUSES,
    ESCALATION_REASONS,
)


class Complaint(Base):
    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint(one_of("category", COMPLAINT_CATEGORIES), name="category"),
        CheckConstraint(one_of("severity", COMPLAINT_SEVERITIES), name="severity"),
        CheckConstraint(one_of("status", COMPLAINT_STATUSES), name="status"),
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
        CheckConstraint("length(description) > 0", name="description_not_empty"),
    )
    id = pk()
    reference = Column(String(20), nullable=False, unique=True)  # CP-YYYY-NNNNN
    store_id = Column(ForeignKey("stores.id"), nullable=False)
    customer_id = Column(ForeignKey("customers.id"), nullable=False, index=True)
    repair_order_id = Column(ForeignKey("repair_orders.id"))
    appointment_id = Column(ForeignKey("appointments.id"))
    channel = Column(String(20), nullable=False)
    conversation_key = Column(String(160))  # the Rasa sender id, e.g. tg:12345
    category = Column(String(20), nullable=False)
    severity = Column(String(10), nullable=False, default="normal")
    status = Column(String(12), nullable=False, default="new")
    description = Column(Text, nullable=False)  # the customer's own words, verbatim
    desired_outcome = Column(Text)
    is_repeat = Column(Boolean, nullable=False, default=False)
    assignee_id = Column(ForeignKey("staff.id"))
    first_response_due = Column(UTCDateTime, nullable=False)
    resolution_due = Column(UTCDateTime, nullable=False)
    first_response_at = Column(UTCDateTime)
    resolved_at = Column(UTCDateTime)
    resolution = Column(Text)
    created_at = created_at()

    events = relationship("ComplaintEvent", order_by="ComplaintEvent.id", cascade="all, delete-orphan")


class ComplaintEvent(Base):
    """One step of a complaint's life, with who did it and when (ISO 10002's record)."""

    __tablename__ = "complaint_events"
    __table_args__ = (CheckConstraint(one_of("kind", COMPLAINT_EVENTS), name="kind"),)
    id = pk()
    complaint_id = Column(ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(20), nullable=False)
    at = Column(UTCDateTime, nullable=False)
    actor = Column(String(100), nullable=False)
    detail = Column(Text)


class Escalation(Base):
    """A request for a human: why, for which conversation, and whether supervisors were told.

    notification_key is unique so that a scheduler restarted mid-run cannot notify twice.
    """

    __tablename__ = "escalations"
    __table_args__ = (CheckConstraint(one_of("reason", ESCALATION_REASONS), name="reason"),)
    id = pk()
    conversation_key = Column(String(160), nullable=False, index=True)
    customer_id = Column(ForeignKey("customers.id"))
    complaint_id = Column(ForeignKey("complaints.id"))
    reason = Column(String(30), nullable=False)
    notification_key = Column(String(120), nullable=False, unique=True)
    notified_at = Column(UTCDateTime)
    created_at = created_at()


class Handoff(Base):
    """Who holds a conversation: while a handoff is open, a human answers instead of the bot."""

    __tablename__ = "handoffs"
    __table_args__ = (
        # At most one open handoff per conversation.
        Index(
            "uq_handoffs_open_conversation",
            "conversation_key",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
    )
    id = pk()
    conversation_key = Column(String(160), nullable=False)
    staff_id = Column(ForeignKey("staff.id"), nullable=False)
    complaint_id = Column(ForeignKey("complaints.id"))
    started_at = Column(UTCDateTime, nullable=False)
    ended_at = Column(UTCDateTime)
    staff = relationship("Staff")


def _score(name: str) -> Column:
    return Column(
        name,
        Integer,
        CheckConstraint(f"{name} BETWEEN 1 AND 5", name=f"{name}_range"),
    )


class Survey(Base):
    """Satisfaction on CADA's five dimensions (1-5 each, any may be skipped) and a comment."""

    __tablename__ = "surveys"
    id = pk()
    customer_id = Column(ForeignKey("customers.id"), nullable=False)
    repair_order_id = Column(ForeignKey("repair_orders.id"))
    complaint_id = Column(ForeignKey("complaints.id"))
    advisor_score = _score("advisor_score")
    service_time_score = _score("service_time_score")
    repair_quality_score = _score("repair_quality_score")
    price_score = _score("price_score")
    facilities_score = _score("facilities_score")
    comment = Column(Text)
    sent_at = Column(UTCDateTime, nullable=False)
    answered_at = Column(UTCDateTime)
