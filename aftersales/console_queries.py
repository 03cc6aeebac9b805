"""What the supervisor and workshop console shows and may do, without HTTP.

Who may see what: supervisors and admins handle complaints, workshop staff (and supervisors
and admins) the workshop; staff of a store see that store's complaints and orders only (an
admin without a store sees every store). A ticket of another store is "no such ticket", so the
console does not tell which references exist elsewhere. Phone numbers are masked in everything
the console shows, free text included (aftersales.privacy).

The functions return plain dicts (JSON-ready: instants as ISO 8601 in UTC, plus the store's
local time for display) so the HTTP layer only forwards them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales import contact_log, handoffs, staff_auth, workshop
from aftersales.models import (
    Attachment,
    ChannelAccount,
    Complaint,
    ComplaintEvent,
    Customer,
    RepairOrder,
    Staff,
    Store,
    Survey,
    Vehicle,
)
from aftersales.privacy import mask_phone, mask_phones_in
from aftersales.progress import STAGE_NAMES
from aftersales.settings import dealer_timezone
from aftersales.vocab import COMPLAINT_CATEGORIES, SURVEY_DIMENSIONS

OPEN_STATUSES = ("new", "escalated", "taken")
QUEUE_VIEWS = ("open", "new", "escalated", "mine", "overdue")
SEVERITY_ORDER = {"high": 0, "normal": 1, "low": 2}
MAX_NOTE = 2000


class ConsoleError(Exception):
    """Refused: forbidden (wrong role), no_such_ticket, no_conversation, closed (resolved
    already), empty (no text), bad_view."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- access


def require_complaint_role(staff: Staff) -> None:
    if not staff_auth.may_handle_complaints(staff):
        raise ConsoleError("forbidden")


def require_workshop_role(staff: Staff) -> None:
    if not staff_auth.may_use_workshop(staff):
        raise ConsoleError("forbidden")


def visible_complaint(session: Session, staff: Staff, reference: str) -> Complaint:
    """The ticket if this supervisor may see it; another store's ticket does not exist for them."""
    require_complaint_role(staff)
    try:
        complaint = handoffs.complaint_by_reference(session, reference or "")
    except handoffs.HandoffError:
        raise ConsoleError("no_such_ticket") from None
    if staff.store_id is not None and complaint.store_id != staff.store_id:
        raise ConsoleError("no_such_ticket")
    return complaint


def visible_order(session: Session, staff: Staff, reference: str) -> RepairOrder:
    require_workshop_role(staff)
    order = workshop.order_by_reference(session, reference)
    if staff.store_id is not None and order.store_id != staff.store_id:
        raise workshop.WorkshopError("no_such_order")
    return order


def _in_scope(query, column, staff: Staff):
    return query if staff.store_id is None else query.where(column == staff.store_id)


# --------------------------------------------------------------------------- the queue


def queue(session: Session, staff: Staff, view: str, now: datetime) -> list[dict]:
    """Open tickets of one view, the most urgent first: high severity, then the nearest deadline.

    new: nobody has looked yet; escalated: waiting for a supervisor; mine: held or assigned to
    me; overdue: first response or resolution past due; open: all of them."""
    require_complaint_role(staff)
    if view not in QUEUE_VIEWS:
        raise ConsoleError("bad_view")
    query = _in_scope(select(Complaint).where(Complaint.status.in_(OPEN_STATUSES)), Complaint.store_id, staff)
    if view in ("new", "escalated"):
        query = query.where(Complaint.status == view)
    elif view == "mine":
        query = query.where(Complaint.assignee_id == staff.id)
    complaints = list(session.execute(query).scalars())
    if view == "overdue":
        complaints = [c for c in complaints if is_overdue(c, now)]
    complaints.sort(key=lambda c: (SEVERITY_ORDER.get(c.severity, 1), next_due(c)))
    return [_queue_row(session, c, staff, now) for c in complaints]


def next_due(complaint: Complaint) -> datetime:
    """The deadline that matters now: the first response until someone answered, then resolution."""
    return complaint.first_response_due if complaint.first_response_at is None else complaint.resolution_due


def is_overdue(complaint: Complaint, now: datetime) -> bool:
    if complaint.status not in OPEN_STATUSES:
        return False
    late_answer = complaint.first_response_at is None and complaint.first_response_due <= now
    return late_answer or complaint.resolution_due <= now


def _queue_row(session: Session, complaint: Complaint, staff: Staff, now: datetime) -> dict:
    store = session.get(Store, complaint.store_id)
    customer = session.get(Customer, complaint.customer_id)
    holder = handoffs.holder_of(session, complaint.conversation_key) if complaint.conversation_key else None
    assignee = session.get(Staff, complaint.assignee_id) if complaint.assignee_id else None
    return {
        "reference": complaint.reference,
        "store": store.code,
        "category": complaint.category,
        "severity": complaint.severity,
        "status": complaint.status,
        "is_repeat": complaint.is_repeat,
        "channel": complaint.channel,
        "customer": customer.name,
        "phone": mask_phone(customer.phone) if customer.phone else None,
        "summary": mask_phones_in(complaint.description[:140]),
        "created": _when(complaint.created_at, store),
        "first_response_due": _when(complaint.first_response_due, store),
        "first_response_at": _when(complaint.first_response_at, store),
        "resolution_due": _when(complaint.resolution_due, store),
        "next_due": _when(next_due(complaint), store),
        "overdue": is_overdue(complaint, now),
        "assignee": assignee.display_name if assignee else None,
        "holder": holder.display_name if holder else None,
        "held_by_me": holder is not None and holder.staff_id == staff.id,
    }


# --------------------------------------------------------------------------- one ticket


def ticket(session: Session, staff: Staff, reference: str, now: datetime) -> dict:
    """Everything a supervisor needs on one page: the ticket and its deadlines, who holds it,
    the customer (phone masked), their cars, recent orders, earlier complaints, the whole
    contact log of the conversation and the ticket's timeline."""
    complaint = visible_complaint(session, staff, reference)
    store = session.get(Store, complaint.store_id)
    customer = session.get(Customer, complaint.customer_id)
    holder = handoffs.holder_of(session, complaint.conversation_key) if complaint.conversation_key else None
    row = _queue_row(session, complaint, staff, now)
    row.update({
        "description": mask_phones_in(complaint.description),
        "desired_outcome": mask_phones_in(complaint.desired_outcome or "") or None,
        "resolution": complaint.resolution,
        "resolved_at": _when(complaint.resolved_at, store),
        "conversation": complaint.conversation_key,
        "language": conversation_language(session, complaint),
        "customer_detail": {"name": customer.name, "language": customer.language,
                            "phone": mask_phone(customer.phone) if customer.phone else None},
        "vehicles": [_vehicle(v) for v in _vehicles(session, complaint, customer)],
        "order": _order_summary(session, session.get(RepairOrder, complaint.repair_order_id), store)
        if complaint.repair_order_id else None,
        "recent_orders": [_order_summary(session, o, store) for o in _recent_orders(session, customer.id)],
        "earlier_complaints": _earlier(session, complaint, store),
        "contact_log": _contact_log(session, complaint, store),
        "photos": [{"id": a.id, "at": _when(a.at, store), "caption": a.caption,
                    "url": f"/console/api/tickets/{complaint.reference}/photos/{a.id}"}
                   for a in _photos(session, complaint)],
        "timeline": timeline(complaint, store),
        "actions": _actions(complaint, holder, staff),
    })
    return row


def timeline(complaint: Complaint, store: Store) -> list[dict]:
    """Every event of the ticket with who and when; notes are the staff's own, never the customer's."""
    return [{"kind": e.kind, "at": _when(e.at, store), "actor": e.actor,
             "detail": mask_phones_in(e.detail) if e.detail else None} for e in complaint.events]


def conversation_language(session: Session, complaint: Complaint) -> str:
    """The language the customer writes in on this conversation, else their recorded one."""
    if complaint.conversation_key:
        prefix, _, external_id = complaint.conversation_key.partition(":")
        spoken = session.execute(
            select(ChannelAccount.language).where(
                ChannelAccount.channel == contact_log.CHANNEL_OF_PREFIX.get(prefix, prefix),
                ChannelAccount.external_id == external_id)
        ).scalar()
        if spoken:
            return spoken
    return session.get(Customer, complaint.customer_id).language


def _actions(complaint: Complaint, holder, staff: Staff) -> list[str]:
    if complaint.status not in OPEN_STATUSES:
        return ["note"]
    if not complaint.conversation_key:
        return ["note"]
    if holder is None:
        return ["take_over", "reply", "note"]
    if holder.staff_id == staff.id:
        return ["reply", "release", "resolve", "note"]
    return ["note"]


def _vehicles(session: Session, complaint: Complaint, customer: Customer) -> list[Vehicle]:
    if complaint.repair_order_id:
        order = session.get(RepairOrder, complaint.repair_order_id)
        return [session.get(Vehicle, order.vehicle_id)]
    return list(customer.vehicles)


def _vehicle(vehicle: Vehicle) -> dict:
    return {"plate": vehicle.plate, "make": vehicle.make, "model": vehicle.model, "mileage_km": vehicle.mileage_km,
            "last_service": vehicle.last_service_date.isoformat() if vehicle.last_service_date else None}


def _recent_orders(session: Session, customer_id: int, limit: int = 5) -> list[RepairOrder]:
    return list(session.execute(
        select(RepairOrder).where(RepairOrder.customer_id == customer_id)
        .order_by(RepairOrder.opened_at.desc()).limit(limit)
    ).scalars())


def _order_summary(session: Session, order: RepairOrder, store: Store) -> dict:
    return {"reference": order.reference, "status": order.status, "stage": stage(order.status),
            "plate": session.get(Vehicle, order.vehicle_id).plate, "opened": _when(order.opened_at, store),
            "delivered": _when(order.delivered_at, store)}


def _earlier(session: Session, complaint: Complaint, store: Store) -> list[dict]:
    others = session.execute(
        select(Complaint).where(Complaint.customer_id == complaint.customer_id, Complaint.id != complaint.id)
        .order_by(Complaint.created_at.desc()).limit(10)
    ).scalars()
    return [{"reference": c.reference, "category": c.category, "status": c.status,
             "created": _when(c.created_at, store), "summary": mask_phones_in(c.description[:100])} for c in others]


def _photos(session: Session, complaint: Complaint) -> list[Attachment]:
    return list(session.execute(select(Attachment).where(Attachment.complaint_id == complaint.id)
                                .order_by(Attachment.at)).scalars())


def photo(session: Session, staff: Staff, reference: str, attachment_id: int) -> Attachment:
    """A photo the customer sent with this ticket (another ticket's photo is not found)."""
    complaint = visible_complaint(session, staff, reference)
    found = session.get(Attachment, attachment_id)
    if found is None or found.complaint_id != complaint.id:
        raise ConsoleError("no_such_photo")
    return found


def _contact_log(session: Session, complaint: Complaint, store: Store) -> list[dict]:
    if not complaint.conversation_key:
        return []
    return [{"at": _when(e.at, store), "direction": e.direction, "author": e.author,
             "text": mask_phones_in(e.text)} for e in contact_log.history(session, complaint.conversation_key)]


# --------------------------------------------------------------------------- acting on a ticket


@dataclass(frozen=True)
class Delivery:
    """What the HTTP layer needs after the database work, to tell the customer."""

    reference: str
    conversation_key: str
    language: str
    joined: bool  # the supervisor took the conversation over with this action


def _conversation(complaint: Complaint) -> str:
    if not complaint.conversation_key:
        raise ConsoleError("no_conversation")
    return complaint.conversation_key


def take_over(session: Session, staff: Staff, reference: str, now: datetime) -> Delivery:
    """Takes the conversation (handoffs.take_over); joined is False when I held it already."""
    return _take_over(session, staff, visible_complaint(session, staff, reference), now)


def reply(session: Session, staff: Staff, reference: str, text: str, now: datetime) -> Delivery:
    """A supervisor's message to the customer. Replying to a ticket nobody holds takes it over
    first (the customer is told who joined); someone else's conversation is refused."""
    text = (text or "").strip()
    if not text:
        raise ConsoleError("empty")
    complaint = visible_complaint(session, staff, reference)
    delivery = _take_over(session, staff, complaint, now)
    handoffs.record_message(session, complaint, "out", staff.username, text, now)
    return delivery


def _take_over(session: Session, staff: Staff, complaint: Complaint, now: datetime) -> Delivery:
    key = _conversation(complaint)
    if complaint.status not in OPEN_STATUSES:
        raise ConsoleError("closed")
    holder = handoffs.holder_of(session, key)
    handoffs.take_over(session, complaint, staff, now)
    return Delivery(complaint.reference, key, conversation_language(session, complaint), joined=holder is None)


def release(session: Session, staff: Staff, reference: str, now: datetime) -> Delivery:
    complaint = visible_complaint(session, staff, reference)
    key = _conversation(complaint)
    handoffs.release(session, complaint, staff, now)
    return Delivery(complaint.reference, key, conversation_language(session, complaint), joined=False)


def resolve(session: Session, staff: Staff, reference: str, resolution: str, now: datetime) -> Delivery:
    resolution = (resolution or "").strip()
    if not resolution:
        raise ConsoleError("empty")
    complaint = visible_complaint(session, staff, reference)
    key = _conversation(complaint)
    handoffs.resolve(session, complaint, staff, resolution, now)
    return Delivery(complaint.reference, key, conversation_language(session, complaint), joined=False)


def add_note(session: Session, staff: Staff, reference: str, text: str, now: datetime) -> ComplaintEvent:
    """An internal note on the timeline: for colleagues, never sent to the customer."""
    text = (text or "").strip()
    if not text:
        raise ConsoleError("empty")
    complaint = visible_complaint(session, staff, reference)
    event = ComplaintEvent(kind="note", at=now, actor=staff.username, detail=text[:MAX_NOTE])
    complaint.events.append(event)
    session.flush()
    return event


# --------------------------------------------------------------------------- the dashboard


def dashboard(session: Session, staff: Staff, weeks: int, now: datetime) -> dict:
    """The figures of the last `weeks` weeks (Monday to Sunday, in the store's time):
    complaints per category per week, first-response SLA compliance, the repeat-complaint rate,
    and the average satisfaction per survey dimension."""
    require_complaint_role(staff)
    weeks = max(1, min(int(weeks), 52))
    tz = _zone(session, staff)
    starts = _week_starts(now.astimezone(tz).date(), weeks)
    since = datetime.combine(starts[0], datetime.min.time(), tzinfo=tz)
    query = _in_scope(select(Complaint).where(Complaint.created_at >= since), Complaint.store_id, staff)
    complaints = list(session.execute(query).scalars())
    by_week: dict[date, list[Complaint]] = {start: [] for start in starts}
    for complaint in complaints:
        by_week[_week_of(complaint.created_at.astimezone(tz).date())].append(complaint)
    return {
        "weeks": [start.isoformat() for start in starts],
        "categories": list(COMPLAINT_CATEGORIES),
        "by_category": [
            {"week": start.isoformat(), "counts": dict(Counter(c.category for c in by_week[start]))}
            for start in starts
        ],
        "sla": {**sla_compliance(complaints, now),
                "by_week": [{"week": s.isoformat(), **sla_compliance(by_week[s], now)} for s in starts]},
        "repeat": {**repeat_rate(complaints),
                   "by_week": [{"week": s.isoformat(), **repeat_rate(by_week[s])} for s in starts]},
        "satisfaction": satisfaction(session, staff, since),
        "total": len(complaints),
    }


def sla_compliance(complaints: list[Complaint], now: datetime) -> dict:
    """First response within its deadline. Answered late or still unanswered past the deadline
    are misses; unanswered and not yet due are left out (nothing to judge yet)."""
    met = late = 0
    for complaint in complaints:
        answered = complaint.first_response_at
        if answered is not None and answered <= complaint.first_response_due:
            met += 1
        elif answered is not None or complaint.first_response_due <= now:
            late += 1
    judged = met + late
    return {"met": met, "missed": late, "rate": round(met / judged, 3) if judged else None}


def repeat_rate(complaints: list[Complaint]) -> dict:
    repeats = sum(1 for c in complaints if c.is_repeat)
    return {"repeats": repeats, "total": len(complaints),
            "rate": round(repeats / len(complaints), 3) if complaints else None}


def satisfaction(session: Session, staff: Staff, since: datetime) -> dict:
    """Average score (1-5) and number of answers per dimension, surveys answered since `since`."""
    surveys = list(session.execute(
        select(Survey).where(Survey.answered_at.is_not(None), Survey.answered_at >= since)
    ).scalars())
    surveys = [s for s in surveys if staff.store_id is None or _survey_store(session, s) == staff.store_id]
    figures = {}
    for dimension in SURVEY_DIMENSIONS:
        scores = [getattr(s, f"{dimension}_score") for s in surveys]
        scores = [score for score in scores if score is not None]
        figures[dimension] = {"average": round(sum(scores) / len(scores), 2) if scores else None,
                              "answers": len(scores)}
    return {"dimensions": figures, "surveys": len(surveys)}


def _survey_store(session: Session, survey: Survey) -> int | None:
    """A survey belongs to its order's store, else its complaint's, else the customer's home store."""
    if survey.repair_order_id:
        return session.get(RepairOrder, survey.repair_order_id).store_id
    if survey.complaint_id:
        return session.get(Complaint, survey.complaint_id).store_id
    return session.get(Customer, survey.customer_id).home_store_id


def _zone(session: Session, staff: Staff) -> ZoneInfo:
    if staff.store_id is not None:
        return ZoneInfo(session.get(Store, staff.store_id).timezone)
    return ZoneInfo(dealer_timezone())


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week_starts(today: date, weeks: int) -> list[date]:
    this_week = _week_of(today)
    return [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


# --------------------------------------------------------------------------- the workshop


def orders(session: Session, staff: Staff) -> list[dict]:
    """Open repair orders of the staff member's store: stage, where it may go, items and bill."""
    require_workshop_role(staff)
    return [order_row(session, order) for order in workshop.open_orders(session, staff.store_id)]


def order_row(session: Session, order: RepairOrder) -> dict:
    store = session.get(Store, order.store_id)
    vehicle = session.get(Vehicle, order.vehicle_id)
    customer = session.get(Customer, order.customer_id)
    advisor = session.get(Staff, order.advisor_id) if order.advisor_id else None
    billed = [i for i in order.items if i.approval not in ("pending", "declined")]
    return {
        "reference": order.reference,
        "store": store.code,
        "currency": store.currency,
        "plate": vehicle.plate,
        "vehicle": f"{vehicle.make} {vehicle.model}",
        "customer": customer.name,
        "phone": mask_phone(customer.phone) if customer.phone else None,
        "advisor": advisor.display_name if advisor else None,
        "status": order.status,
        "stage": stage(order.status),
        "opened": _when(order.opened_at, store),
        "eta": _when(order.eta, store),
        "next_stages": [{"stage": s, "name": stage(s)} for s in workshop.next_stages(order)],
        "items": [{"id": i.id, "kind": i.kind, "description": i.description, "description_en": i.description_en,
                   "quantity": i.quantity, "unit_cents": i.unit_cents, "total_cents": i.total_cents,
                   "approval": i.approval} for i in order.items],
        "billed_cents": sum(i.total_cents for i in billed),
        "events": [{"status": e.status, "at": _when(e.at, store), "actor": e.actor, "note": e.note}
                   for e in order.events],
    }


def stage(status: str) -> dict:
    zh, en = STAGE_NAMES[status]
    return {"zh": zh, "en": en}


# --------------------------------------------------------------------------- times


def _when(instant: datetime | None, store: Store) -> dict | None:
    """An instant for the browser: ISO 8601 UTC (for countdowns) and the store's wall clock."""
    if instant is None:
        return None
    local = instant.astimezone(ZoneInfo(store.timezone)).strftime("%Y-%m-%d %H:%M")
    return {"iso": instant.isoformat(), "local": local}
