"""Where a customer's car is: their open repair orders with stage, timeline, ETA and bill so far."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from aftersales.booking_text import english, money, when
from aftersales.models import RepairOrder, Staff, Store, Vehicle
from aftersales.vocab import REPAIR_STAGES

STAGE_NAMES = {
    "received": ("已接车", "received"),
    "diagnosing": ("检测诊断中", "diagnosing"),
    "awaiting_approval": ("等待您确认追加项目", "waiting for your approval of extra work"),
    "waiting_parts": ("等待配件", "waiting for parts"),
    "in_repair": ("维修中", "in repair"),
    "quality_check": ("质检中", "quality check"),
    "washing": ("洗车中", "washing"),
    "ready": ("可以提车", "ready for pickup"),
    "delivered": ("已交车", "delivered"),
    "cancelled": ("已取消", "cancelled"),
}


def open_orders(session: Session, customer_id: int) -> list[RepairOrder]:
    """The customer's orders not yet delivered or cancelled, oldest first."""
    query = (
        select(RepairOrder)
        .where(RepairOrder.customer_id == customer_id, RepairOrder.status.not_in(("delivered", "cancelled")))
        .options(selectinload(RepairOrder.events), selectinload(RepairOrder.items))
        .order_by(RepairOrder.opened_at)
    )
    return list(session.execute(query).scalars())


def stage_name(status: str, language: str | None) -> str:
    zh, en = STAGE_NAMES[status]
    return en if english(language) else zh


def describe(session: Session, order: RepairOrder, language: str | None) -> str:
    """Stage n of 9, the timeline, the ETA, the advisor, and the bill so far (labour, parts, total)."""
    store = session.get(Store, order.store_id)
    vehicle = session.get(Vehicle, order.vehicle_id)
    advisor = session.get(Staff, order.advisor_id) if order.advisor_id else None
    en = english(language)
    step = REPAIR_STAGES.index(order.status) + 1 if order.status in REPAIR_STAGES else 0
    lines = [f"{order.reference} · {vehicle.plate} · {stage_name(order.status, language)}"
             + (f" (step {step} of {len(REPAIR_STAGES)})" if en else f"（第{step}/{len(REPAIR_STAGES)}步）")]
    for event in order.events:
        lines.append(f"  {_short(event.at, store)}  {stage_name(event.status, language)}")
    if order.eta is not None and order.status != "ready":
        lines.append((f"Expected ready: {when(order.eta, store, language)}" if en
                      else f"预计完工：{when(order.eta, store, language)}"))
    if advisor is not None:
        name = (advisor.display_name_en or advisor.display_name) if en else advisor.display_name
        lines.append(f"Advisor: {name}" if en else f"服务顾问：{name}")
    lines += _bill(order, store, en)
    return "\n".join(lines)


def _short(instant: datetime, store: Store) -> str:
    return instant.astimezone(ZoneInfo(store.timezone)).strftime("%m-%d %H:%M")


def pending_items(order: RepairOrder):
    return [i for i in order.items if i.approval == "pending"]


def _bill(order: RepairOrder, store: Store, en: bool) -> list[str]:
    billed = [i for i in order.items if i.approval not in ("pending", "declined")]
    pending = [i for i in order.items if i.approval == "pending"]
    labour = sum(i.quantity * i.unit_cents for i in billed if i.kind == "labour")
    parts = sum(i.quantity * i.unit_cents for i in billed if i.kind == "part")
    lines = []
    if billed:
        lines.append((f"So far: labour {money(labour, store.currency)} + parts {money(parts, store.currency)} = "
                      f"{money(labour + parts, store.currency)}") if en else
                     f"目前费用：工时费 {money(labour, store.currency)} + 配件费 {money(parts, store.currency)} = "
                     f"{money(labour + parts, store.currency)}")
    for item in pending:
        name = (item.description_en or item.description) if en else item.description
        amount = money(item.quantity * item.unit_cents, store.currency)
        lines.append(f"Awaiting your approval: {name} {amount}" if en else f"待您确认：{name} {amount}")
    return lines


class ApprovalError(Exception):
    """Not this customer's item, or not waiting for a decision."""


def decide(session: Session, customer_id: int, item_id: int, approve: bool, now: datetime, channel: str):
    """Records the customer's decision on extra work (with time and channel); once nothing on
    the order awaits a decision, an order waiting for approval moves on to repair."""
    from aftersales.models import RepairOrderEvent, RepairOrderItem

    item = session.get(RepairOrderItem, item_id)
    order = session.get(RepairOrder, item.order_id) if item else None
    if order is None or order.customer_id != customer_id or item.approval != "pending":
        raise ApprovalError("not_pending")
    item.approval = "approved" if approve else "declined"
    item.decided_at, item.decided_via = now, channel
    still_pending = any(i.approval == "pending" for i in order.items)
    if order.status == "awaiting_approval" and not still_pending:
        order.status = "in_repair"
        order.events.append(RepairOrderEvent(status="in_repair", at=now, actor="customer"))
    return item, order


def approval_buttons(order: RepairOrder, language: str | None) -> list[dict]:
    """Approve / Decline per item awaiting the customer's decision (payloads the bot understands)."""
    en = english(language)
    buttons = []
    for item in pending_items(order):
        name = (item.description_en or item.description) if en else item.description
        buttons += [
            {"title": ("Approve: " if en else "同意：") + name, "payload": f'/affirm{{"approve_item": {item.id}}}'},
            {"title": ("Decline: " if en else "不做：") + name, "payload": f'/deny{{"approve_item": {item.id}}}'},
        ]
    return buttons


def amount_due(order: RepairOrder) -> int:
    return sum(i.quantity * i.unit_cents for i in order.items if i.approval not in ("pending", "declined"))
