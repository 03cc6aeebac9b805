"""What the bot knows and the dealer edits: maintenance schedule, warranty terms, parts stock,
symptoms. Loaded from data/knowledge/*.yml (aftersales/knowledge_load.py) and read on every
question, so an edit changes the answer without retraining."""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)

from aftersales.models.base import Base, UTCDateTime, created_at, one_of, pk

URGENCIES = ("stop", "soon", "routine")
CASE_STATUSES = ("open", "handled")


class MaintenanceItem(Base):
    """One item of the schedule; model_family NULL is the default for every model."""

    __tablename__ = "maintenance_items"
    __table_args__ = (
        UniqueConstraint("code", "model_family"),
        CheckConstraint("km_interval > 0 OR month_interval > 0", name="has_interval"),
    )
    id = pk()
    code = Column(String(40), nullable=False)
    model_family = Column(String(80))
    name = Column(String(100), nullable=False)
    name_en = Column(String(100), nullable=False)
    km_interval = Column(Integer)
    month_interval = Column(Integer)
    service_code = Column(String(40))  # the menu item that does it (booking in one tap)
    note = Column(Text)
    note_en = Column(Text)


class WarrantyPolicy(Base):
    """A country's (or a store's own) warranty terms; facts are the sentences the bot says."""

    __tablename__ = "warranty_policies"
    id = pk()
    country = Column(String(2), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    name_en = Column(String(200), nullable=False)
    basic_months = Column(Integer, nullable=False)  # 三包 period / basic warranty
    basic_km = Column(Integer, nullable=False)
    repair_months = Column(Integer, nullable=False)  # 包修期 / powertrain
    repair_km = Column(Integer, nullable=False)
    facts = Column(Text, nullable=False)  # one fact per line, Chinese
    facts_en = Column(Text, nullable=False)


class Part(Base):
    __tablename__ = "parts"
    __table_args__ = (
        UniqueConstraint("store_id", "part_number"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )
    id = pk()
    store_id = Column(ForeignKey("stores.id", ondelete="CASCADE"), nullable=False)
    part_number = Column(String(40), nullable=False)
    name = Column(String(100), nullable=False)
    name_en = Column(String(100), nullable=False)
    keywords = Column(Text, nullable=False)  # words customers use, space separated, both languages
    price_cents = Column(Integer, nullable=False)
    quantity = Column(Integer, nullable=False, default=0)
    expected_on = Column(Date)  # when out of stock: the expected arrival


class Symptom(Base):
    __tablename__ = "symptoms"
    __table_args__ = (CheckConstraint(one_of("urgency", URGENCIES), name="urgency"),)
    id = pk()
    code = Column(String(40), nullable=False, unique=True)
    keywords = Column(Text, nullable=False)  # "|"-separated phrases, both languages
    name = Column(String(100), nullable=False)
    name_en = Column(String(100), nullable=False)
    causes = Column(Text, nullable=False)
    causes_en = Column(Text, nullable=False)
    urgency = Column(String(10), nullable=False)
    service_code = Column(String(40), nullable=False, default="diagnosis")


class ServiceCase(Base):
    """Something staff must act on now, e.g. a customer told not to drive on."""

    __tablename__ = "service_cases"
    __table_args__ = (CheckConstraint(one_of("status", CASE_STATUSES), name="status"),)
    id = pk()
    kind = Column(String(30), nullable=False)
    store_id = Column(ForeignKey("stores.id"))
    customer_id = Column(ForeignKey("customers.id"))
    conversation_key = Column(String(160), nullable=False)
    description = Column(Text, nullable=False)
    status = Column(String(10), nullable=False, default="open")
    urgent = Column(Boolean, nullable=False, default=False)
    created_at = created_at()
    handled_at = Column(UTCDateTime)
