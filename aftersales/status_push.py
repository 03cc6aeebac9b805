"""Pushes about a customer's car: each stage change (for customers who opted in), and a request
for approval when the workshop adds extra work. Nothing is sent in the store's quiet hours; it
waits for the morning. A row is marked the moment it is dealt with (sent, or not to be sent),
so a restart repeats nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from aftersales import progress, reminders, stores, surveys
from aftersales.booking_text import english, money
from aftersales.language import in_script
from aftersales.models import Customer, RepairOrder, RepairOrderEvent, RepairOrderItem, Store, Vehicle

# Stages the customer hears about (received is the workshop's own bookkeeping; cancelled is told by a person).
PUSHED_STAGES = ("diagnosing", "waiting_parts", "in_repair", "quality_check", "washing", "ready", "delivered")


@dataclass
class Push:
    conversation_key: str | None  # None: nobody to send to; only marked
    messages: list[dict] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)
    item_ids: list[int] = field(default_factory=list)


def due(session: Session, now: datetime) -> list[Push]:
    """What to send now, one Push per order (its stage changes and its approval request)."""
    pushes: dict[int, Push] = {}
    for event in _unpushed_events(session):
        order = session.get(RepairOrder, event.order_id)
        push = _push_for(session, pushes, order, now)
        if push is not None:
            push.event_ids.append(event.id)
            if push.conversation_key and event.status in PUSHED_STAGES and _opted_in(session, order):
                push.messages.append(stage_message(session, order, event.status, _language(session, order)))
    for item in _unnotified_items(session):
        order = session.get(RepairOrder, item.order_id)
        push = _push_for(session, pushes, order, now)
        if push is not None:
            push.item_ids.append(item.id)
    for order_id, push in pushes.items():
        if push.item_ids and push.conversation_key:
            push.messages.append(approval_message(session, session.get(RepairOrder, order_id),
                                                  _language(session, session.get(RepairOrder, order_id))))
    return list(pushes.values())


def claim(session: Session, push: Push, now: datetime) -> bool:
    """Marks the push's stages and items as dealt with, True when this round got all of them:
    conditional UPDATEs, so two rounds that read the same push (a restart, two front doors)
    send it once. Claimed before sending: what is sent is in the contact log in any case."""
    claimed = 0
    for model, column, ids in ((RepairOrderEvent, RepairOrderEvent.pushed_at, push.event_ids),
                               (RepairOrderItem, RepairOrderItem.notified_at, push.item_ids)):
        if ids:
            query = (update(model).where(model.id.in_(ids), column.is_(None)).values({column.key: now})
                     .execution_options(synchronize_session=False))
            claimed += session.execute(query).rowcount
    return claimed == len(push.event_ids) + len(push.item_ids)


def mark(session: Session, push: Push, now: datetime) -> None:
    for event_id in push.event_ids:
        session.get(RepairOrderEvent, event_id).pushed_at = now
    for item_id in push.item_ids:
        session.get(RepairOrderItem, item_id).notified_at = now


def _push_for(session: Session, pushes: dict[int, Push], order: RepairOrder, now: datetime) -> Push | None:
    """The order's Push, or None while the store is in its quiet hours (it waits)."""
    if order.id not in pushes:
        store = session.get(Store, order.store_id)
        if reminders.in_quiet_hours(store, now.astimezone(ZoneInfo(store.timezone)).time()):
            return None
        pushes[order.id] = Push(surveys.reach(session, order.customer_id))
    return pushes[order.id]


def _unpushed_events(session: Session) -> list[RepairOrderEvent]:
    return list(session.execute(
        select(RepairOrderEvent).where(RepairOrderEvent.pushed_at.is_(None)).order_by(RepairOrderEvent.id)
    ).scalars())


def _unnotified_items(session: Session) -> list[RepairOrderItem]:
    return list(session.execute(
        select(RepairOrderItem).where(RepairOrderItem.approval == "pending", RepairOrderItem.notified_at.is_(None))
        .order_by(RepairOrderItem.id)
    ).scalars())


def _opted_in(session: Session, order: RepairOrder) -> bool:
    customer = session.get(Customer, order.customer_id)
    return bool(customer.status_updates_opt_in) and customer.opted_out_at is None


def _language(session: Session, order: RepairOrder) -> str:
    return session.get(Customer, order.customer_id).language or "zh-Hans"


def stage_message(session: Session, order: RepairOrder, stage: str, language: str) -> dict:
    """'粤B12345（RO-…）：维修中。' and, when ready, the amount due and the store's hours."""
    vehicle = session.get(Vehicle, order.vehicle_id)
    store = session.get(Store, order.store_id)
    en = english(language)
    name = progress.stage_name(stage, language)
    text = (f"Update on {vehicle.plate} ({order.reference}): {name}." if en
            else f"您的爱车 {vehicle.plate}（{order.reference}）最新进度：{name}。")
    if stage == "ready":
        due_amount = money(progress.amount_due(order), store.currency)
        hours = stores.opening_hours_text(store, en)
        text += (f" Amount due: {due_amount}. You can collect it at {store.name_en or store.name}, "
                 f"{store.address_en or store.address}; opening hours: {hours}." if en else
                 f"应付金额 {due_amount}。欢迎到 {store.name}（{store.address}）提车，营业时间：{hours}。")
    return {"text": in_script(text, language)}


def approval_message(session: Session, order: RepairOrder, language: str) -> dict:
    """The extra work waiting for a decision, with prices and Approve / Decline buttons."""
    store = session.get(Store, order.store_id)
    en = english(language)
    lines = [f"The workshop found more work on {order.reference} that needs your approval:" if en
             else f"技师在 {order.reference} 检查中发现以下追加项目，需要您确认："]
    for item in progress.pending_items(order):
        name = (item.description_en or item.description) if en else item.description
        lines.append(f"• {name} × {item.quantity}: {money(item.total_cents, store.currency)}")
    lines.append("Nothing is done or billed without your OK." if en else "未经您同意不会施工，也不会收费。")
    return {"text": in_script("\n".join(lines), language),
            "buttons": [{"title": in_script(b["title"], language), "payload": b["payload"]}
                        for b in progress.approval_buttons(order, language)]}
