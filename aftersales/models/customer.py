"""Customers, the channel accounts they write from, and their vehicles."""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from aftersales.models.base import Base, UTCDateTime, created_at, one_of, pk
from aftersales.vocab import CHANNELS, LANGUAGES


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (CheckConstraint(one_of("language", LANGUAGES), name="language"),)
    id = pk()
    name = Column(String(100), nullable=False)
    # Digits only (13812345678, or a foreign number with its country code).
    phone = Column(String(20), unique=True)
    language = Column(String(8), nullable=False, default="zh-Hans")
    home_store_id = Column(ForeignKey("stores.id"))
    # Contact preferences: reminders and status pushes are opt-in; an opt-out is kept with its time.
    reminders_opt_in = Column(Boolean, nullable=False, default=False)
    status_updates_opt_in = Column(Boolean, nullable=False, default=True)
    opted_out_at = Column(UTCDateTime)
    created_at = created_at()

    vehicles = relationship("Vehicle", back_populates="owner", order_by="Vehicle.id")
    accounts = relationship("ChannelAccount", back_populates="customer")


class ChannelAccount(Base):
    """A Telegram chat or web session; linked to a customer once their identity is checked."""

    __tablename__ = "channel_accounts"
    __table_args__ = (
        UniqueConstraint("channel", "external_id"),
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
    )
    id = pk()
    channel = Column(String(20), nullable=False)
    external_id = Column(String(128), nullable=False)
    customer_id = Column(ForeignKey("customers.id", ondelete="SET NULL"))
    language = Column(String(8))
    identified_at = Column(UTCDateTime)
    failed_identity_attempts = Column(Integer, nullable=False, default=0)
    locked_until = Column(UTCDateTime)
    created_at = created_at()

    customer = relationship("Customer", back_populates="accounts")


class Vehicle(Base):
    __tablename__ = "vehicles"
    __table_args__ = (
        CheckConstraint("mileage_km >= 0", name="mileage_not_negative"),
        CheckConstraint("length(vin) = 17", name="vin_length"),
    )
    id = pk()
    customer_id = Column(ForeignKey("customers.id"), nullable=False)
    # Uppercase, no separator (粤B12345): one vehicle per plate.
    plate = Column(String(16), nullable=False, unique=True)
    vin = Column(String(17), unique=True)
    make = Column(String(60), nullable=False)
    model = Column(String(80), nullable=False)
    model_family = Column(String(80))
    year = Column(Integer)
    purchase_date = Column(Date)
    mileage_km = Column(Integer, nullable=False, default=0)
    mileage_recorded_on = Column(Date)
    last_service_date = Column(Date)
    last_service_km = Column(Integer)
    created_at = created_at()

    owner = relationship("Customer", back_populates="vehicles")
