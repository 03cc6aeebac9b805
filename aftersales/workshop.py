"""The workshop moves a repair order through its stages and adds lines to its bill.

The stage machine: an order goes forward through the stages the customer sees
(aftersales.vocab.REPAIR_STAGES), may skip the ones a job does not need (no parts to wait for,
no wash), may step back where the trade does (quality check failed -> repair; more parts
needed during repair), and may be cancelled until it is delivered. Extra work the customer
must approve makes the order wait for approval; it cannot move on while a decision is pending
(the customer's decision, aftersales.progress.decide, moves it on to repair).
Every change is a RepairOrderEvent with who and when: the customer's timeline.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from aftersales.models import RepairOrder, RepairOrderEvent, RepairOrderItem, Store, Vehicle
from aftersales.vocab import ITEM_KINDS

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "received": ("diagnosing", "in_repair"),
    "diagnosing": ("awaiting_approval", "waiting_parts", "in_repair"),
    "awaiting_approval": ("waiting_parts", "in_repair"),
    "waiting_parts": ("in_repair",),
    "in_repair": ("quality_check", "waiting_parts", "awaiting_approval"),
    "quality_check": ("washing", "ready", "in_repair"),
    "washing": ("ready",),
    "ready": ("delivered",),
    "delivered": (),
    "cancelled": (),
}
FINAL = ("delivered", "cancelled")
MAX_DESCRIPTION = 200
MAX_QUANTITY = 1_000
MAX_UNIT_CENTS = 100_000_000  # one million in major units: a typo, not a price


class WorkshopError(Exception):
    """Refused: not_allowed (that stage does not follow this one), pending_approval, closed
    (delivered or cancelled), bad_item (kind, quantity, price or description wrong), no_such_order."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def next_stages(order: RepairOrder) -> tuple[str, ...]:
    """Where the order may go from here (cancelling included while it is open)."""
    if order.status in FINAL:
        return ()
    if order.status == "awaiting_approval" and _pending(order):
        return ("cancelled",)  # the customer's decision moves it on (aftersales.progress.decide)
    return TRANSITIONS[order.status] + ("cancelled",)


def advance(session: Session, order: RepairOrder, stage: str, actor: str, now: datetime,
            note: str | None = None) -> RepairOrderEvent:
    """Moves the order to `stage`; delivery stamps delivered_at and the car's last service."""
    if order.status in FINAL:
        raise WorkshopError("closed")
    if order.status == "awaiting_approval" and stage != "cancelled" and _pending(order):
        raise WorkshopError("pending_approval")
    if stage not in next_stages(order):
        raise WorkshopError("not_allowed")
    order.status = stage
    event = RepairOrderEvent(status=stage, at=now, actor=actor[:100], note=(note or "").strip()[:2000] or None)
    order.events.append(event)
    if stage == "delivered":
        order.delivered_at = now
        _record_service(session, order, now)
    session.flush()
    return event


def add_item(session: Session, order: RepairOrder, kind: str, description: str, quantity: int, unit_cents: int,
             needs_approval: bool, actor: str, now: datetime, description_en: str | None = None) -> RepairOrderItem:
    """A labour or parts line. Extra work needing the customer's approval is 'pending' and the
    order waits for approval (an event on the timeline says what for)."""
    if order.status in FINAL or (needs_approval and order.status == "ready"):
        raise WorkshopError("closed")
    description = (description or "").strip()
    if kind not in ITEM_KINDS or not description or not 0 < int(quantity) <= MAX_QUANTITY \
            or not 0 <= int(unit_cents) <= MAX_UNIT_CENTS:
        raise WorkshopError("bad_item")
    item = RepairOrderItem(
        kind=kind, description=description[:MAX_DESCRIPTION],
        description_en=(description_en or "").strip()[:MAX_DESCRIPTION] or None,
        quantity=int(quantity), unit_cents=int(unit_cents),
        approval="pending" if needs_approval else "not_needed", created_at=now,
    )
    order.items.append(item)
    if needs_approval and order.status != "awaiting_approval":
        order.status = "awaiting_approval"
        order.events.append(RepairOrderEvent(status="awaiting_approval", at=now, actor=actor[:100],
                                             note=f"追加项目 / extra work: {item.description}"))
    session.flush()
    return item


def open_orders(session: Session, store_id: int | None = None) -> list[RepairOrder]:
    """Orders in the workshop (not delivered or cancelled), oldest first; one store's or all."""
    query = (
        select(RepairOrder).where(RepairOrder.status.not_in(FINAL))
        .options(selectinload(RepairOrder.events), selectinload(RepairOrder.items))
        .order_by(RepairOrder.opened_at)
    )
    if store_id is not None:
        query = query.where(RepairOrder.store_id == store_id)
    return list(session.execute(query).scalars())


def order_by_reference(session: Session, reference: str) -> RepairOrder:
    found = session.execute(
        select(RepairOrder).where(RepairOrder.reference == (reference or "").strip().upper())
    ).scalar()
    if found is None:
        raise WorkshopError("no_such_order")
    return found


def to_cents(price) -> int:
    """A price in major units as people type it ("680", "12.50") in cents; bad input is bad_item."""
    try:
        amount = Decimal(str(price).strip())
    except InvalidOperation:
        raise WorkshopError("bad_item") from None
    if not amount.is_finite():
        raise WorkshopError("bad_item")
    return int((amount * 100).to_integral_value())


def _pending(order: RepairOrder) -> bool:
    return any(item.approval == "pending" for item in order.items)


def _record_service(session: Session, order: RepairOrder, now: datetime) -> None:
    vehicle = session.get(Vehicle, order.vehicle_id)
    store = session.get(Store, order.store_id)
    vehicle.last_service_date = now.astimezone(ZoneInfo(store.timezone)).date()
    if order.mileage_in_km is not None:
        vehicle.last_service_km = order.mileage_in_km
        vehicle.mileage_km = max(vehicle.mileage_km or 0, order.mileage_in_km)
