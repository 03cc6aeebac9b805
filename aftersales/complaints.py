"""Complaint intake: category, severity, repeat, deadlines in working time, and the record.

A complaint is committed with its "created" and "acknowledged" events before the customer is
told it is recorded; a high-severity or repeat complaint is escalated in the same transaction
(the escalation's notification key makes a second notification impossible).
"""
from __future__ import annotations

import re

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from aftersales import capacity
from aftersales.language import folded
from aftersales.models import (
    Appointment,
    Complaint,
    ComplaintEvent,
    Customer,
    Escalation,
    RepairOrder,
    Staff,
    Store,
)
from aftersales.references import complaint_reference

REPEAT_DAYS = 30

CATEGORY_WORDS = {
    "repair_quality": ("没修好", "又坏", "还是有", "修完", "返修", "修了", "没修", "越修越", "not fixed", "still",
                       "came back", "again", "same problem", "worse after", "botched", "repair*", "fixed", "failed"),
    "price": ("贵", "乱收费", "多收", "收费", "价格", "报价", "账单", "宰", "overcharg*", "charged", "price*", "bill*",
              "invoice*", "expensive", "quote*", "rip off", "ripped off", "fee", "fees"),
    "waiting_time": ("等了", "排队", "太慢", "拖", "几个小时", "好几天", "wait*", "slow", "hours", "took days", "delay*",
                     "late"),
    "advisor": ("态度", "顾问", "接待", "爱答不理", "不专业", "骗", "rude", "advisor", "attitude", "staff", "ignored",
                "unprofessional", "lied", "service writer"),
    "facilities": ("休息区", "厕所", "停车", "空调不开", "wifi", "卫生", "lounge", "toilet", "restroom", "parking",
                   "dirty", "coffee"),
    "product_quality": ("质量问题", "新车", "出厂", "设计缺陷", "召回", "defect", "new car", "factory", "recall", "lemon"),
}
SAFETY_WORDS = ("刹车", "制动", "方向", "转向", "起火", "着火", "冒烟", "漏油", "汽油味", "事故", "撞", "失灵", "安全",
                "brake*", "steering", "fire", "fires", "smok*", "fuel", "gas smell", "accident*", "crash*", "unsafe",
                "safety")
THREAT_WORDS = ("12315", "消协", "消费者协会", "媒体", "曝光", "律师", "起诉", "法院", "投诉到", "市场监管", "微博", "抖音",
                "lawyer*", "sue", "sued", "suing", "court", "media", "news", "bbb", "attorney*", "review*",
                "consumer*")
ANGER_WORDS = ("垃圾", "骗子", "气死", "太差", "恶心", "无语", "忍无可忍", "什么破", "!!", "！！", "scam*", "worst",
               "disgusting", "furious", "ridiculous", "unacceptable", "never again", "terrible")


def infer_category(text: str) -> str | None:
    """The category the words point to, or None when they point nowhere (then it is asked)."""
    said = folded(text)
    scores = {cat: sum(1 for w in words if _mentions(said, w)) for cat, words in CATEGORY_WORDS.items()}
    best = max(scores, key=lambda c: scores[c])
    return best if scores[best] else None


def _mentions(said: str, word: str) -> bool:
    """Chinese words anywhere; English ones as whole words ("fee" is not in "feel"), and a
    trailing * lets a stem take any ending ("overcharg*": overcharged, overcharging)."""
    if not word.isascii():
        return word in said
    stem = word.rstrip("*")
    ending = r"[a-z]*" if word.endswith("*") else ""
    return re.search(rf"(?<![a-z]){re.escape(stem)}{ending}(?![a-z])", said) is not None


# What "我要投诉" / "I want to make a complaint" is made of: saying there is a complaint, not what it is.
BARE_WORDS = re.compile(
    r"我|要|想|投诉|抱怨|一下|你们|的|了|啊|吧|呢|"
    r"\b(i(?:'d|'m)?|want|would|like|to|make|file|lodge|a|an|complain|complaint|please|have|need|got|"
    r"again|still|another)\b|[\W_]+"
)


def says_what_happened(text: str) -> bool:
    """Whether a complaint's first message describes it: a category or a danger is named, or
    something is left once the words of "I want to complain" are taken away."""
    rest = BARE_WORDS.sub(" ", folded(text))
    if _names_a_danger(text or "") or infer_category(rest) is not None:
        return True  # anger alone ("我要投诉！！！") says how they feel, not what happened
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 4 or len(re.findall(r"[a-z0-9]+", rest)) >= 3


def _names_a_danger(text: str) -> bool:
    said = folded(text)
    return any(_mentions(said, w) for w in SAFETY_WORDS + THREAT_WORDS)


def infer_severity(text: str) -> str:
    if _names_a_danger(text) or any(_mentions(folded(text), w) for w in ANGER_WORDS):
        return "high"
    return "normal"


def add_working_minutes(store: Store, start: datetime, minutes: int) -> datetime:
    """`start` plus `minutes` of the store's opening time (nights, closed days skipped)."""
    calendar = capacity.Calendar(store)
    remaining = timedelta(minutes=minutes)
    day = calendar.local_day(start)
    for _ in range(400):
        window = calendar.window(day)
        if window is not None:
            begin = max(window[0], start)
            if begin < window[1]:
                if remaining <= window[1] - begin:
                    return begin + remaining
                remaining -= window[1] - begin
        day += timedelta(days=1)
    raise ValueError(f"store {store.code} is never open")


def add_working_days(store: Store, start: datetime, days: int) -> datetime:
    """The end of the `days`-th open day after the start day (a 3-day target ends at closing)."""
    calendar = capacity.Calendar(store)
    day, counted = calendar.local_day(start), 0
    for _ in range(400):
        day += timedelta(days=1)
        window = calendar.window(day)
        if window is not None:
            counted += 1
            if counted == days:
                return window[1]
    raise ValueError(f"store {store.code} is never open")


def is_repeat(session: Session, customer_id: int, category: str, repair_order_id: int | None, now: datetime) -> bool:
    """The same customer about the same order or the same category within 30 days."""
    same = Complaint.category == category
    if repair_order_id is not None:
        same = or_(same, Complaint.repair_order_id == repair_order_id)
    query = select(Complaint.id).where(
        Complaint.customer_id == customer_id, Complaint.created_at >= now - timedelta(days=REPEAT_DAYS), same
    )
    return session.execute(query.limit(1)).first() is not None


def file(
    session: Session,
    *,
    store: Store,
    customer: Customer,
    description: str,
    category: str,
    now: datetime,
    channel: str,
    conversation_key: str,
    desired_outcome: str | None = None,
    repair_order_id: int | None = None,
    appointment_id: int | None = None,
) -> Complaint:
    """Records a complaint, acknowledged, escalated at once when high or a repeat."""
    severity = infer_severity(description + " " + (desired_outcome or ""))
    repeat = is_repeat(session, customer.id, category, repair_order_id, now)
    complaint = Complaint(
        reference=complaint_reference(session, capacity.Calendar(store).local_day(now).year),
        store_id=store.id, customer_id=customer.id, repair_order_id=repair_order_id,
        appointment_id=appointment_id, channel=channel, conversation_key=conversation_key,
        category=category, severity=severity, status="new", description=description[:5000],
        desired_outcome=(desired_outcome or None) and desired_outcome[:2000], is_repeat=repeat,
        first_response_due=add_working_minutes(store, now, store.first_response_minutes),
        resolution_due=add_working_days(store, now, store.resolution_days), created_at=now,
    )
    complaint.events = [
        ComplaintEvent(kind="created", at=now, actor="customer", detail=description[:2000]),
        ComplaintEvent(kind="acknowledged", at=now, actor="bot"),
    ]
    session.add(complaint)
    session.flush()
    reason = "high_severity" if severity == "high" else ("repeat" if repeat else None)
    if reason:
        escalate(session, complaint, reason, now)
    return complaint


def escalate(session: Session, complaint: Complaint, reason: str, now: datetime, actor: str = "bot",
             occurrence: int = 1) -> Escalation | None:
    """Marks the complaint escalated, once per reason and occurrence (the notification key is unique)."""
    key = f"{complaint.reference}:{reason}" + (f":{occurrence}" if occurrence > 1 else "")
    if session.execute(select(Escalation.id).where(Escalation.notification_key == key)).first():
        return None
    escalation = Escalation(conversation_key=complaint.conversation_key or "", customer_id=complaint.customer_id,
                            complaint_id=complaint.id, reason=reason, notification_key=key, created_at=now)
    session.add(escalation)
    complaint.status = "escalated" if complaint.status == "new" else complaint.status
    complaint.events.append(ComplaintEvent(kind="escalated", at=now, actor=actor, detail=reason))
    session.flush()
    return escalation


def recent_orders(session: Session, customer_id: int, now: datetime, days: int = 90) -> list:
    """The customer's repair orders and appointments of the last months, newest first."""
    since = now - timedelta(days=days)
    orders = session.execute(
        select(RepairOrder).where(RepairOrder.customer_id == customer_id, RepairOrder.opened_at >= since)
        .order_by(RepairOrder.opened_at.desc()).limit(3)
    ).scalars().all()
    visits = session.execute(
        select(Appointment).where(Appointment.customer_id == customer_id, Appointment.starts_at >= since,
                                  Appointment.starts_at <= now)
        .order_by(Appointment.starts_at.desc()).limit(2)
    ).scalars().all()
    return list(orders) + list(visits)


def own_complaint(session: Session, customer_id: int, reference: str | None) -> Complaint | None:
    """The customer's complaint by reference, or their latest; someone else's is None."""
    query = select(Complaint).where(Complaint.customer_id == customer_id)
    if reference:
        query = query.where(Complaint.reference == reference.strip().upper())
    return session.execute(query.order_by(Complaint.created_at.desc()).limit(1)).scalar()


def handler_name(session: Session, complaint: Complaint, english: bool) -> str | None:
    if complaint.assignee_id is None:
        return None
    staff = session.get(Staff, complaint.assignee_id)
    return (staff.display_name_en or staff.display_name) if english else staff.display_name


def invoice_explanation(session: Session, order_reference: str | None, english: bool) -> str | None:
    """An itemised bill of the order the price complaint is about (labour and parts apart)."""
    if not order_reference:
        return None
    order = session.execute(select(RepairOrder).where(RepairOrder.reference == order_reference)).scalar()
    if order is None or not order.items:
        return None
    store = session.get(Store, order.store_id)
    from aftersales.booking_text import money

    lines, totals = [], {"labour": 0, "part": 0}
    for item in order.items:
        if item.approval in ("pending", "declined"):
            continue  # not on the bill
        amount = item.quantity * item.unit_cents
        totals[item.kind] += amount
        name = (item.description_en or item.description) if english else item.description
        lines.append(f"• {name} × {item.quantity}: {money(amount, store.currency)}")
    labour, parts = money(totals["labour"], store.currency), money(totals["part"], store.currency)
    total = money(totals["labour"] + totals["part"], store.currency)
    if english:
        head = f"Here is the bill of {order.reference}, line by line:"
        tail = f"Labour {labour} + parts {parts} = {total}. Extra work is only billed after your approval."
    else:
        head = f"{order.reference} 的账单明细如下："
        tail = f"工时费 {labour} + 配件费 {parts} = {total}。追加项目只有经过您同意才会收费。"
    return "\n".join([head, *lines, tail])


def goodwill_for_waiting(store: Store, english: bool) -> str | None:
    """The store's goodwill policy for a long wait, as the bot offers it (None: the store has none)."""
    offer = (store.goodwill_offer_en or store.goodwill_offer) if english else store.goodwill_offer
    if not store.goodwill_wait_minutes or not offer:
        return None
    if english:
        return (f"I'm sorry you had to wait. Our store's promise: when a wait runs over "
                f"{store.goodwill_wait_minutes} minutes, we offer {offer}.")
    return f"很抱歉让您久等了。本店承诺：等待超过{store.goodwill_wait_minutes}分钟，我们为您提供{offer}。"


def resolve_by_bot(session: Session, complaint: Complaint, resolution: str, now: datetime) -> None:
    """The customer accepted the bot's explanation: resolved, and recorded as such."""
    complaint.status = "resolved"
    complaint.resolution = resolution[:5000]
    complaint.resolved_at = now
    complaint.first_response_at = complaint.first_response_at or now
    complaint.events.append(ComplaintEvent(kind="resolved", at=now, actor="bot", detail="accepted the explanation"))
