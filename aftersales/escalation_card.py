"""The card supervisors get when a complaint escalates: ticket, reason, severity, customer
(phone masked), vehicle, recent orders, earlier complaints, the customer's words and the
deadline. Plain text, the same for the Telegram supervisor chat and the log."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from aftersales.console_queries import _earlier, _recent_orders, _vehicles
from aftersales.models import Complaint, Customer, Escalation, Store
from aftersales.privacy import mask_phone, mask_phones_in

REASONS = {"customer_request": "客户要求人工 / asked for a person",
           "rejected_resolution": "客户不接受处理结果 / resolution rejected",
           "high_severity": "严重（安全/威胁/情绪激动） / high severity",
           "repeat": "重复投诉 / repeat complaint",
           "misunderstanding": "机器人两次没听懂 / bot misunderstood twice",
           "sla_breach": "超时未响应 / first-response deadline passed",
           "bot_unavailable": "机器人故障未能回复，请人工跟进 / the bot could not answer: please reply"}


def card(session: Session, escalation: Escalation) -> str:
    complaint = session.get(Complaint, escalation.complaint_id) if escalation.complaint_id else None
    if complaint is None:
        return f"🔔 {REASONS.get(escalation.reason, escalation.reason)} · {escalation.conversation_key}"
    store = session.get(Store, complaint.store_id)
    customer = session.get(Customer, complaint.customer_id)
    lines = [
        f"🔔 {complaint.reference} · {REASONS.get(escalation.reason, escalation.reason)}",
        f"{store.name} · {complaint.category} · {complaint.severity}" + (" · REPEAT" if complaint.is_repeat else ""),
        f"客户 Customer: {customer.name} {mask_phone(customer.phone) if customer.phone else ''}".rstrip(),
        *(f"车辆 Vehicle: {v.plate} {v.make} {v.model}" for v in _vehicles(session, complaint, customer)[:3]),
        *(f"维修单 Order: {o.reference} ({o.status}, {_local(o.opened_at, store):%m-%d})"
          for o in _recent_orders(session, customer.id, limit=3)),
        *(f"此前投诉 Earlier: {c['reference']} {c['category']} ({c['status']})"
          for c in _earlier(session, complaint, store)[:3]),
        f"“{mask_phones_in(complaint.description[:800])}”",
    ]
    if complaint.desired_outcome:
        lines.append(f"诉求 Wants: {mask_phones_in(complaint.desired_outcome[:300])}")
    lines.append(f"⏰ 首次响应期限 First response due: {_local(complaint.first_response_due, store):%Y-%m-%d %H:%M}")
    return "\n".join(lines)


def _local(instant, store: Store):
    return instant.astimezone(ZoneInfo(store.timezone))

