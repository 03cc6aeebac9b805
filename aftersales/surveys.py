"""Satisfaction surveys on the five dimensions (advisor, repair time, repair quality, price,
facilities; 1-5 each, any may be skipped, plus a comment): after a complaint is resolved, and
2-3 days after a car is delivered (the follow-up call the trade owes every customer).

A follow-up with a score of 2 or less, or a negative comment, opens a complaint by itself.
A customer who says a resolved complaint is not settled reopens it, and supervisors hear of it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales import complaints
from aftersales.language import folded
from aftersales.models import (
    ChannelAccount,
    Complaint,
    ComplaintEvent,
    Customer,
    RepairOrder,
    Store,
    Survey,
)

# Survey column, and the complaint category a low score on it files under.
DIMENSIONS = {
    "advisor": ("advisor_score", "advisor"),
    "time": ("service_time_score", "waiting_time"),
    "quality": ("repair_quality_score", "repair_quality"),
    "price": ("price_score", "price"),
    "facilities": ("facilities_score", "facilities"),
}
LOW = 2
SKIP = "skip"

_SKIP_WORDS = ("skip", "pass", "next", "n/a", "na", "跳过", "略过", "不评", "不想评", "不打分", "不用", "算了", "-", "无")
_ZH_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_NEGATIVE = ("不满意", "差", "没修好", "不好", "失望", "糟糕", "垃圾", "太慢", "太贵", "还是有", "又坏", "问题没", "不行",
             "bad", "poor", "not happy", "unhappy", "disappointed", "terrible", "awful", "worse", "still",
             "not fixed", "too slow", "too expensive", "rude", "never again", "unacceptable")
_NOT_NEGATED = ("不差", "没有不满意", "not bad")
_NO_COMMENT = ("没有", "没了", "没", "无", "no", "nope", "none", "nothing", "no comment", "都挺好", "没意见")


def parse_score(text: str) -> int | str | None:
    """'4', '4分', '四', '★★★★', 'skip' / '跳过' -> 4 or SKIP; anything else None."""
    said = folded(text).strip().rstrip("。.!！")
    if not said:
        return None
    if said in _SKIP_WORDS:
        return SKIP
    if said.count("★") or said.count("⭐"):
        stars = said.count("★") + said.count("⭐")
        return stars if 1 <= stars <= 5 else None
    if said in ("满分", "full marks", "perfect"):
        return 5
    found = re.fullmatch(r"(?:给)?\s*([1-5]|[一二两三四五])\s*(?:分|星|/5|out of 5|stars?|points?)?", said)
    if not found:
        return None
    value = found.group(1)
    return int(value) if value.isdigit() else _ZH_DIGITS[value]


def parse_all_scores(text: str) -> list[int] | None:
    """Five scores in one message ('5 4 5 3 5', '54535', '5,4,5,3,5'), in the dimensions' order."""
    digits = re.findall(r"[1-5]", text)
    rest = re.sub(r"[1-5\s,，、/;；]", "", text)
    if len(digits) == len(DIMENSIONS) and not rest:
        return [int(d) for d in digits]
    return None


def is_negative(comment: str | None) -> bool:
    said = folded(comment or "")
    if any(w in said for w in _NOT_NEGATED):
        return False
    return any(w in said for w in _NEGATIVE)


def no_comment(text: str) -> bool:
    said = folded(text).strip().rstrip("。.!！")
    return said in _NO_COMMENT or parse_score(said) == SKIP


@dataclass(frozen=True)
class Answer:
    """What the customer gave: score per dimension name (None = skipped) and a comment."""

    scores: dict[str, int | None]
    comment: str | None = None

    def low(self) -> list[str]:
        return [name for name, score in self.scores.items() if score is not None and score <= LOW]


def start(session: Session, customer: Customer, now: datetime, *, complaint: Complaint | None = None,
          order: RepairOrder | None = None) -> Survey | None:
    """Opens the survey of a complaint or an order; None when it was already sent once."""
    query = select(Survey.id).where(Survey.customer_id == customer.id)
    if complaint is not None:
        query = query.where(Survey.complaint_id == complaint.id)
    else:
        query = query.where(Survey.repair_order_id == order.id, Survey.complaint_id.is_(None))
    if session.execute(query.limit(1)).first():
        return None
    survey = Survey(customer_id=customer.id, complaint_id=complaint.id if complaint else None,
                    repair_order_id=order.id if order else (complaint.repair_order_id if complaint else None),
                    sent_at=now)
    session.add(survey)
    session.flush()
    return survey


def open_survey(session: Session, customer_id: int, reference: str) -> Survey | None:
    """The customer's unanswered survey about a CP- complaint or an RO- order."""
    reference = reference.strip().upper()
    if reference.startswith("CP-"):
        query = select(Survey).join(Complaint, Complaint.id == Survey.complaint_id).where(
            Complaint.reference == reference)
    else:
        query = select(Survey).join(RepairOrder, RepairOrder.id == Survey.repair_order_id).where(
            RepairOrder.reference == reference, Survey.complaint_id.is_(None))
    query = query.where(Survey.customer_id == customer_id, Survey.answered_at.is_(None))
    return session.execute(query.order_by(Survey.id.desc()).limit(1)).scalar()


def record(session: Session, survey: Survey, answer: Answer, now: datetime, channel: str,
           conversation_key: str) -> Complaint | None:
    """Stores the answer; a low follow-up files a complaint, which is returned."""
    for name, score in answer.scores.items():
        setattr(survey, DIMENSIONS[name][0], score)
    survey.comment = (answer.comment or None) and answer.comment[:2000]
    survey.answered_at = now
    if survey.complaint_id is not None:
        complaint = session.get(Complaint, survey.complaint_id)
        complaint.events.append(ComplaintEvent(kind="survey", at=now, actor="customer", detail=summary(answer)))
        return None
    if not answer.low() and not is_negative(answer.comment):
        return None
    return _complaint_from_followup(session, survey, answer, now, channel, conversation_key)


def summary(answer: Answer) -> str:
    scores = " ".join(f"{name}={score if score is not None else '-'}" for name, score in answer.scores.items())
    return f"{scores}; {answer.comment}" if answer.comment else scores


def _complaint_from_followup(session: Session, survey: Survey, answer: Answer, now: datetime, channel: str,
                             conversation_key: str) -> Complaint:
    order = session.get(RepairOrder, survey.repair_order_id)
    low = answer.low()
    category = DIMENSIONS[min(low, key=lambda n: answer.scores[n])][1] if low else (
        complaints.infer_category(answer.comment or "") or "other")
    description = f"回访评价 / follow-up survey of {order.reference}: {summary(answer)}"
    return complaints.file(
        session, store=session.get(Store, order.store_id), customer=session.get(Customer, survey.customer_id),
        description=description, category=category, now=now, channel=channel,
        conversation_key=conversation_key, repair_order_id=order.id,
    )


def reopen(session: Session, complaint: Complaint, now: datetime, said: str | None = None) -> None:
    """'Not settled': the complaint is open again and goes back to the supervisors."""
    reopened = sum(1 for event in complaint.events if event.kind == "reopened")
    store = session.get(Store, complaint.store_id)
    complaint.status = "escalated"
    complaint.resolved_at = None
    complaint.first_response_at = None  # the clock runs again: someone must answer in time
    complaint.first_response_due = complaints.add_working_minutes(store, now, store.first_response_minutes)
    complaint.events.append(ComplaintEvent(kind="reopened", at=now, actor="customer", detail=(said or "")[:2000]))
    complaints.escalate(session, complaint, "rejected_resolution", now, actor="customer", occurrence=reopened + 1)


def followups_due(session: Session, now: datetime) -> list[RepairOrder]:
    """Delivered orders whose follow-up (the store's 2-3 days after delivery) is due and unsent."""
    orders = session.execute(
        select(RepairOrder).where(RepairOrder.status == "delivered", RepairOrder.delivered_at.is_not(None),
                                  RepairOrder.followup_sent_at.is_(None))
    ).scalars().all()
    due = []
    for order in orders:
        store = session.get(Store, order.store_id)
        if order.delivered_at + timedelta(days=store.followup_days) <= now:
            due.append(order)
    return due


def reach(session: Session, customer_id: int) -> str | None:
    """The conversation key the customer was last identified on (Telegram before the web)."""
    accounts = session.execute(
        select(ChannelAccount).where(ChannelAccount.customer_id == customer_id)
        .order_by(ChannelAccount.identified_at.desc())
    ).scalars().all()
    from aftersales.contact_log import PREFIX_OF_CHANNEL

    ranked = sorted(accounts, key=lambda a: a.channel != "telegram")
    for account in ranked:
        prefix = PREFIX_OF_CHANNEL.get(account.channel)
        if prefix:
            return f"{prefix}:{account.external_id}"
    return None


def manager_of(session: Session, store_id: int):
    """The store's supervisor who calls a customer back (None: whoever is on duty)."""
    from aftersales.models import Staff

    return session.execute(
        select(Staff).where(Staff.store_id == store_id, Staff.role == "supervisor", Staff.active).order_by(Staff.id)
    ).scalars().first()
