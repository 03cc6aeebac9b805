"""Dealer groups, their stores (a "dealer" is one store), and what a store offers."""
from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from aftersales.models.base import Base, created_at, one_of, pk
from aftersales.vocab import LANGUAGES, STAFF_ROLES


class DealerGroup(Base):
    __tablename__ = "dealer_groups"
    id = pk()
    code = Column(String(40), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    name_en = Column(String(200))
    stores = relationship("Store", back_populates="group", order_by="Store.id")


class Store(Base):
    __tablename__ = "stores"
    __table_args__ = (
        CheckConstraint(one_of("language", LANGUAGES), name="language"),
        CheckConstraint("slot_minutes IN (15, 20, 30, 60)", name="slot_minutes"),
        CheckConstraint("min_lead_minutes >= 0 AND horizon_days > 0", name="booking_window"),
        CheckConstraint(
            "wait_daily_limit >= 0 AND drop_off_daily_limit >= 0 AND pickup_daily_limit >= 0",
            name="transport_limits",
        ),
    )
    id = pk()
    group_id = Column(ForeignKey("dealer_groups.id"), nullable=False)
    code = Column(String(40), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    name_en = Column(String(200), nullable=False)
    city = Column(String(100), nullable=False)
    address = Column(Text, nullable=False)
    address_en = Column(Text)
    phone = Column(String(40), nullable=False)
    roadside_phone = Column(String(40), nullable=False)
    timezone = Column(String(64), nullable=False)
    language = Column(String(8), nullable=False)
    country = Column(String(2), nullable=False)
    currency = Column(String(3), nullable=False)
    latitude = Column(Float)
    longitude = Column(Float)
    # Booking rules (issue: capacity) and service promises (issue: complaints, follow-up).
    slot_minutes = Column(Integer, nullable=False, default=30)
    min_lead_minutes = Column(Integer, nullable=False, default=120)
    horizon_days = Column(Integer, nullable=False, default=60)
    wait_daily_limit = Column(Integer, nullable=False, default=8)
    drop_off_daily_limit = Column(Integer, nullable=False, default=12)
    pickup_daily_limit = Column(Integer, nullable=False, default=3)
    first_response_minutes = Column(Integer, nullable=False, default=120)
    resolution_days = Column(Integer, nullable=False, default=3)
    followup_days = Column(Integer, nullable=False, default=3)
    # Goodwill for a long wait: what the bot may offer by itself to a customer who complains of
    # waiting longer than goodwill_wait_minutes (none offered when empty).
    goodwill_wait_minutes = Column(Integer)
    goodwill_offer = Column(Text)
    goodwill_offer_en = Column(Text)
    quiet_start = Column(Time, nullable=False)
    quiet_end = Column(Time, nullable=False)

    group = relationship("DealerGroup", back_populates="stores")
    opening_hours = relationship("OpeningHours", order_by="OpeningHours.weekday")
    holidays = relationship("Holiday", order_by="Holiday.day")
    bays = relationship("ServiceBay", order_by="ServiceBay.code")
    staff = relationship("Staff", order_by="Staff.id")
    services = relationship("ServiceType", order_by="ServiceType.id")


class OpeningHours(Base):
    """One row per weekday the store is open (0 = Monday); a missing weekday is closed."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        UniqueConstraint("store_id", "weekday"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )
    id = pk()
    store_id = Column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    weekday = Column(Integer, nullable=False)
    opens = Column(Time, nullable=False)
    closes = Column(Time, nullable=False)


class Holiday(Base):
    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("store_id", "day"),)
    id = pk()
    store_id = Column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    day = Column(Date, nullable=False)
    name = Column(String(100), nullable=False)
    name_en = Column(String(100))


class ServiceBay(Base):
    __tablename__ = "service_bays"
    __table_args__ = (UniqueConstraint("store_id", "code"),)
    id = pk()
    store_id = Column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    code = Column(String(20), nullable=False)
    name = Column(String(100), nullable=False)
    active = Column(Boolean, nullable=False, default=True)


class Staff(Base):
    """Service advisors, supervisors and workshop staff; supervisors log in to the console."""

    __tablename__ = "staff"
    __table_args__ = (CheckConstraint(one_of("role", STAFF_ROLES), name="role"),)
    id = pk()
    store_id = Column(ForeignKey("stores.id"), nullable=True)
    username = Column(String(60), nullable=False, unique=True)
    display_name = Column(String(100), nullable=False)
    display_name_en = Column(String(100))
    role = Column(String(20), nullable=False)
    phone = Column(String(40))
    telegram_user_id = Column(BigInteger, unique=True)
    password_hash = Column(String(255))
    active = Column(Boolean, nullable=False, default=True)
    created_at = created_at()


class ServiceType(Base):
    """An item of a store's service menu; codes are shared with the NLU's service_type entity."""

    __tablename__ = "service_types"
    __table_args__ = (
        UniqueConstraint("store_id", "code"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("labour_cents >= 0 AND parts_cents >= 0", name="prices_not_negative"),
    )
    id = pk()
    store_id = Column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    code = Column(String(40), nullable=False)
    name = Column(String(100), nullable=False)
    name_en = Column(String(100), nullable=False)
    duration_minutes = Column(Integer, nullable=False)
    labour_cents = Column(Integer, nullable=False)
    parts_cents = Column(Integer, nullable=False)
    # True where the advisor confirms the final price only after inspection.
    price_is_estimate = Column(Boolean, nullable=False, default=False)
    needs_bay = Column(Boolean, nullable=False, default=True)
    active = Column(Boolean, nullable=False, default=True)
