"""Service appointments and the bay reservations that make double booking impossible."""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlalchemy.orm import relationship

from aftersales.models.base import Base, UTCDateTime, created_at, one_of, pk
from aftersales.vocab import APPOINTMENT_STATUSES, CHANNELS, TRANSPORT_OPTIONS


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint(one_of("status", APPOINTMENT_STATUSES), name="status"),
        CheckConstraint(one_of("transport", TRANSPORT_OPTIONS), name="transport"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )
    id = pk()
    reference = Column(String(20), nullable=False, unique=True)  # AP-YYYYMMDD-NNNN
    store_id = Column(ForeignKey("stores.id"), nullable=False)
    customer_id = Column(ForeignKey("customers.id"), nullable=False)
    vehicle_id = Column(ForeignKey("vehicles.id"), nullable=False)
    bay_id = Column(ForeignKey("service_bays.id"))
    advisor_id = Column(ForeignKey("staff.id"))
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    status = Column(String(20), nullable=False, default="booked")
    transport = Column(String(20), nullable=False, default="wait")
    channel = Column(String(20), CheckConstraint(one_of("channel", CHANNELS), name="channel"))
    note = Column(Text)
    reminder_opt_in = Column(Boolean, nullable=False, default=False)
    reminder_sent_at = Column(UTCDateTime)
    cancelled_at = Column(UTCDateTime)
    created_at = created_at()

    services = relationship("AppointmentService", cascade="all, delete-orphan")
    reservations = relationship("BayReservation", cascade="all, delete-orphan")


class AppointmentService(Base):
    __tablename__ = "appointment_services"
    __table_args__ = (PrimaryKeyConstraint("appointment_id", "service_type_id"),)
    appointment_id = Column(ForeignKey("appointments.id", ondelete="CASCADE"), nullable=False)
    service_type_id = Column(ForeignKey("service_types.id"), nullable=False)
    service = relationship("ServiceType")


class BayReservation(Base):
    """One row per bay and slot an appointment occupies.

    The primary key (bay, slot start) is what makes a double booking impossible: two
    transactions racing for the same slot cannot both commit, on SQLite or PostgreSQL,
    whatever the code above checked before writing.
    """

    __tablename__ = "bay_reservations"
    __table_args__ = (PrimaryKeyConstraint("bay_id", "slot_start"),)
    bay_id = Column(ForeignKey("service_bays.id"), nullable=False)
    slot_start = Column(UTCDateTime, nullable=False)
    appointment_id = Column(ForeignKey("appointments.id", ondelete="CASCADE"), nullable=False, index=True)


class TransportDay(Base):
    """How many appointments of a day use a limited transport option (drop-off, pickup...).

    Booking raises `booked` with one conditional UPDATE (`booked < day_limit`), so two
    customers racing for the last pickup of a day cannot both get it; the CHECK is the
    database's own guarantee behind that.
    """

    __tablename__ = "transport_days"
    __table_args__ = (
        PrimaryKeyConstraint("store_id", "day", "transport"),
        CheckConstraint(one_of("transport", TRANSPORT_OPTIONS), name="transport"),
        CheckConstraint("booked >= 0 AND booked <= day_limit", name="within_limit"),
    )
    store_id = Column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    day = Column(Date, nullable=False)
    transport = Column(String(20), nullable=False)
    booked = Column(Integer, nullable=False, default=0)
    day_limit = Column(Integer, nullable=False)
