"""Supervisors taking a complaint's conversation over, handing it back, resolving it; and the
SLA clock that escalates a complaint nobody has answered in time.

The database keeps the rules: at most one open handoff per conversation (a partial unique
index), so two supervisors pressing "Take over" at once cannot both hold it; an escalation's
notification key is unique, so a restarted scheduler cannot escalate the same deadline twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from aftersales.complaints import escalate
from aftersales.models import Complaint, ComplaintEvent, Escalation, Handoff, Staff


class HandoffError(Exception):
    """Refused: not a supervisor, no such ticket, already held by someone else, not held."""

    def __init__(self, reason: str, holder: Staff | None = None):
        super().__init__(reason)
        self.reason = reason
        self.holder = holder


@dataclass(frozen=True)
class Holder:
    staff_id: int
    display_name: str
    complaint_id: int | None


def supervisor(session: Session, *, telegram_user_id: int | None = None, username: str | None = None) -> Staff:
    """An active supervisor by Telegram user id or console username; anyone else is refused."""
    query = select(Staff).where(Staff.role.in_(("supervisor", "admin")), Staff.active)
    if telegram_user_id is not None:
        query = query.where(Staff.telegram_user_id == telegram_user_id)
    elif username is not None:
        query = query.where(Staff.username == username)
    else:
        raise HandoffError("not_a_supervisor")
    found = session.execute(query).scalar()
    if found is None:
        raise HandoffError("not_a_supervisor")
    return found


def complaint_by_reference(session: Session, reference: str) -> Complaint:
    found = session.execute(select(Complaint).where(Complaint.reference == reference.strip().upper())).scalar()
    if found is None:
        raise HandoffError("no_such_ticket")
    return found


def holder_of(session: Session, conversation_key: str) -> Holder | None:
    """Who holds the conversation now (None: the bot answers)."""
    row = session.execute(
        select(Handoff, Staff).join(Staff, Staff.id == Handoff.staff_id)
        .where(Handoff.conversation_key == conversation_key, Handoff.ended_at.is_(None))
    ).first()
    if row is None:
        return None
    handoff, staff = row
    return Holder(staff.id, staff.display_name, handoff.complaint_id)


def take_over(session: Session, complaint: Complaint, staff: Staff, now: datetime) -> Handoff:
    """The first supervisor to take the conversation holds it; the others learn who does."""
    current = holder_of(session, complaint.conversation_key)
    if current is not None:
        if current.staff_id == staff.id:
            return _open_handoff(session, complaint.conversation_key)
        raise HandoffError("already_taken", session.get(Staff, current.staff_id))
    handoff = Handoff(conversation_key=complaint.conversation_key, staff_id=staff.id,
                      complaint_id=complaint.id, started_at=now)
    try:
        with session.begin_nested():
            session.add(handoff)
            session.flush()
    except IntegrityError:
        holder = holder_of(session, complaint.conversation_key)
        raise HandoffError("already_taken", session.get(Staff, holder.staff_id) if holder else None) from None
    complaint.status = "taken"
    complaint.assignee_id = staff.id
    complaint.first_response_at = complaint.first_response_at or now
    complaint.events.append(ComplaintEvent(kind="taken", at=now, actor=staff.username))
    return handoff


def _open_handoff(session: Session, conversation_key: str) -> Handoff:
    return session.execute(
        select(Handoff).where(Handoff.conversation_key == conversation_key, Handoff.ended_at.is_(None))
    ).scalar_one()


def _end(session: Session, complaint: Complaint, staff: Staff, now: datetime) -> None:
    holder = holder_of(session, complaint.conversation_key)
    if holder is None or holder.staff_id != staff.id:
        raise HandoffError("not_held")
    _open_handoff(session, complaint.conversation_key).ended_at = now


def release(session: Session, complaint: Complaint, staff: Staff, now: datetime) -> None:
    """Hands the conversation back to the bot, the complaint still open."""
    _end(session, complaint, staff, now)
    complaint.status = "escalated"
    complaint.events.append(ComplaintEvent(kind="released", at=now, actor=staff.username))


def resolve(session: Session, complaint: Complaint, staff: Staff, resolution: str, now: datetime) -> None:
    """Records the resolution and hands back to the bot (which then asks for the survey)."""
    _end(session, complaint, staff, now)
    complaint.status = "resolved"
    complaint.resolution = resolution[:5000]
    complaint.resolved_at = now
    complaint.events.append(ComplaintEvent(kind="resolved", at=now, actor=staff.username, detail=resolution[:2000]))


def record_message(session: Session, complaint: Complaint, direction: str, actor: str, text: str,
                   now: datetime) -> None:
    kind = "message_in" if direction == "in" else "message_out"
    complaint.events.append(ComplaintEvent(kind=kind, at=now, actor=actor, detail=text[:2000]))


def overdue(session: Session, now: datetime) -> list[Escalation]:
    """Escalates, once, every complaint whose first-response deadline passed unanswered."""
    late = session.execute(
        select(Complaint).where(
            Complaint.first_response_due <= now,
            Complaint.first_response_at.is_(None),
            Complaint.status.in_(("new", "escalated")),
        )
    ).scalars().all()
    made = []
    for complaint in late:
        escalation = escalate(session, complaint, "sla_breach", now, actor="sla")
        if escalation is not None:
            made.append(escalation)
    return made


def unnotified(session: Session) -> list[Escalation]:
    """Escalations supervisors have not been told about yet (oldest first)."""
    return list(session.execute(
        select(Escalation).where(Escalation.notified_at.is_(None)).order_by(Escalation.id)
    ).scalars())


def link_telegram_ids(session: Session, mapping: dict[str, int]) -> list[str]:
    """Records supervisors' Telegram user ids (username -> id), as IT configures them; an id
    given to someone else is taken from them. Returns the usernames not found."""
    missing = []
    for username, user_id in mapping.items():
        staff = session.execute(select(Staff).where(Staff.username == username)).scalar()
        if staff is None:
            missing.append(username)
            continue
        for other in session.execute(select(Staff).where(Staff.telegram_user_id == user_id,
                                                         Staff.id != staff.id)).scalars():
            other.telegram_user_id = None
        session.flush()
        staff.telegram_user_id = user_id
    return missing


def parse_telegram_ids(value: str) -> dict[str, int]:
    """'wang=111, maria=222' -> {'wang': 111, 'maria': 222}; malformed pairs are skipped."""
    pairs = (part.split("=", 1) for part in value.split(",") if "=" in part)
    return {name.strip(): int(uid) for name, uid in pairs if uid.strip().lstrip("-").isdigit() and name.strip()}
