"""Repair orders: the stage a car is in, how it got there, and what it costs."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from aftersales.models.base import Base, UTCDateTime, created_at, one_of, pk
from aftersales.vocab import APPROVAL_STATES, CHANNELS, ITEM_KINDS, REPAIR_STATUSES


class RepairOrder(Base):
    __tablename__ = "repair_orders"
    __table_args__ = (
        CheckConstraint(one_of("status", REPAIR_STATUSES), name="status"),
        CheckConstraint("mileage_in_km >= 0", name="mileage_not_negative"),
    )
    id = pk()
    reference = Column(String(20), nullable=False, unique=True)  # RO-YYYYMMDD-NNNN
    store_id = Column(ForeignKey("stores.id"), nullable=False)
    customer_id = Column(ForeignKey("customers.id"), nullable=False)
    vehicle_id = Column(ForeignKey("vehicles.id"), nullable=False)
    advisor_id = Column(ForeignKey("staff.id"))
    appointment_id = Column(ForeignKey("appointments.id"))
    status = Column(String(20), nullable=False, default="received")
    mileage_in_km = Column(Integer)
    opened_at = Column(UTCDateTime, nullable=False)
    eta = Column(UTCDateTime)
    delivered_at = Column(UTCDateTime)
    followup_sent_at = Column(UTCDateTime)
    created_at = created_at()

    events = relationship("RepairOrderEvent", order_by="RepairOrderEvent.at", cascade="all, delete-orphan")
    items = relationship("RepairOrderItem", order_by="RepairOrderItem.id", cascade="all, delete-orphan")


class RepairOrderEvent(Base):
    """The status timeline the customer sees: every stage change with its time."""

    __tablename__ = "repair_order_events"
    __table_args__ = (CheckConstraint(one_of("status", REPAIR_STATUSES), name="status"),)
    id = pk()
    order_id = Column(ForeignKey("repair_orders.id", ondelete="CASCADE"), nullable=False, index=True)
    status = Column(String(20), nullable=False)
    at = Column(UTCDateTime, nullable=False)
    actor = Column(String(100), nullable=False)
    note = Column(Text)
    pushed_at = Column(UTCDateTime)  # sent to the customer, or decided not to be (bot/progress_pusher.py)


class RepairOrderItem(Base):
    """A line of the bill: labour and parts on separate lines, extra work awaiting approval."""

    __tablename__ = "repair_order_items"
    __table_args__ = (
        CheckConstraint(one_of("kind", ITEM_KINDS), name="kind"),
        CheckConstraint(one_of("approval", APPROVAL_STATES), name="approval"),
        CheckConstraint("quantity > 0 AND unit_cents >= 0", name="amounts"),
        CheckConstraint(
            "decided_via IS NULL OR " + one_of("decided_via", CHANNELS), name="decided_via"
        ),
    )
    id = pk()
    order_id = Column(ForeignKey("repair_orders.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(10), nullable=False)
    description = Column(String(200), nullable=False)
    description_en = Column(String(200))
    quantity = Column(Integer, nullable=False, default=1)
    unit_cents = Column(Integer, nullable=False)
    approval = Column(String(12), nullable=False, default="not_needed")
    decided_at = Column(UTCDateTime)
    decided_via = Column(String(20))
    notified_at = Column(UTCDateTime)  # the approval request was sent to the customer
    created_at = created_at()

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_cents
