"""Photos customers send (a warning light, a scratch): the file under var/uploads/, a row that
ties it to the complaint or repair order open for them, and a line in the contact log.

Files are named by their SHA-256, so the same photo sent twice is stored once; the database
keeps the path relative to VAR_DIR, so the directory can move with its database.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales import contact_log, customers, handoffs
from aftersales.models import Attachment, Complaint, RepairOrder

UPLOADS = "uploads"
MAX_BYTES = 20 * 1024 * 1024  # the most a Telegram bot may download
OPEN_COMPLAINT = ("new", "escalated", "taken")
CLOSED_ORDER = ("delivered", "cancelled")


@dataclass(frozen=True)
class Stored:
    """Where a photo went: its row, and the reference of the case it joined (or None)."""

    attachment: Attachment
    case_reference: str | None


def save_file(var_dir: Path, data: bytes, suffix: str = ".jpg") -> tuple[str, str]:
    """Writes the bytes once under uploads/; returns (path relative to var_dir, sha256)."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"file of {len(data)} bytes is over the {MAX_BYTES} limit")
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{UPLOADS}/{digest[:2]}/{digest}{suffix}"
    target = var_dir / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(target)  # never a half-written file under the final name
    return relative, digest


def attach_photo(
    session: Session, conversation_key: str, path: str, sha256: str, size_bytes: int,
    caption: str | None, now: datetime, content_type: str = "image/jpeg",
) -> Stored:
    """Records a saved photo with the customer's open complaint, else their open repair order,
    and logs it as the customer's turn (on the complaint's timeline too)."""
    channel = contact_log.channel_of(conversation_key)
    customer = customers.customer_of(session, conversation_key)
    complaint = open_complaint(session, conversation_key, customer.id if customer else None)
    order = None if complaint is not None or customer is None else open_order(session, customer.id)
    row = Attachment(
        conversation_key=conversation_key, channel=channel, customer_id=customer.id if customer else None,
        complaint_id=complaint.id if complaint else None, repair_order_id=order.id if order else None,
        path=path, content_type=content_type, size_bytes=size_bytes, sha256=sha256,
        caption=caption, at=now,
    )
    session.add(row)
    note = f"[photo] {path}" + (f" {caption}" if caption else "")
    contact_log.record(session, conversation_key, channel, "in", "customer", note, at=now)
    if complaint is not None:
        handoffs.record_message(session, complaint, "in", "customer", note, now)
    session.flush()
    return Stored(row, complaint.reference if complaint else order.reference if order else None)


def open_complaint(session: Session, conversation_key: str, customer_id: int | None) -> Complaint | None:
    """The newest complaint still being handled, filed by this customer or from this chat."""
    who = Complaint.conversation_key == conversation_key
    if customer_id is not None:
        who = who | (Complaint.customer_id == customer_id)
    query = select(Complaint).where(who, Complaint.status.in_(OPEN_COMPLAINT))
    return session.execute(query.order_by(Complaint.created_at.desc(), Complaint.id.desc())).scalars().first()


def open_order(session: Session, customer_id: int) -> RepairOrder | None:
    """The customer's newest repair order not yet delivered or cancelled."""
    query = select(RepairOrder).where(
        RepairOrder.customer_id == customer_id, RepairOrder.status.not_in(CLOSED_ORDER)
    )
    return session.execute(query.order_by(RepairOrder.opened_at.desc(), RepairOrder.id.desc())).scalars().first()


def of_complaint(session: Session, complaint_id: int) -> list[Attachment]:
    return list(session.execute(
        select(Attachment).where(Attachment.complaint_id == complaint_id).order_by(Attachment.id)
    ).scalars())
