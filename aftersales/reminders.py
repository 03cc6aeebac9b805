"""Day-before reminders: who gets one, when it is polite to send it, and the .ics file.

A reminder goes out the day before the visit, only to customers who opted in (and have not
opted out since), through the chat they booked from, and never in the store's quiet hours
(21:00-08:00 by default): the sender calls `due` every few minutes and sends what it returns.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from aftersales import booking_text as text
from aftersales.models import Appointment, AppointmentService, ChannelAccount, Customer, Store

SEND_FROM = time(10, 0)  # the day before, not earlier than this local time


@dataclass(frozen=True)
class Reminder:
    appointment_id: int
    channel: str
    external_id: str
    text: str


def in_quiet_hours(store: Store, local: time) -> bool:
    start, end = store.quiet_start, store.quiet_end
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def polite_now(store: Store, now: datetime) -> bool:
    local = now.astimezone(ZoneInfo(store.timezone)).time()
    return local >= SEND_FROM and not in_quiet_hours(store, local)


def due(session: Session, now: datetime) -> list[Reminder]:
    """Reminders to send now: visits tomorrow (store time) of opted-in customers, unsent."""
    query = (
        select(Appointment, Customer, Store)
        .join(Customer, Customer.id == Appointment.customer_id)
        .join(Store, Store.id == Appointment.store_id)
        .where(
            Appointment.status == "booked",
            Appointment.reminder_opt_in,
            Appointment.reminder_sent_at.is_(None),
            Appointment.starts_at > now,
            Appointment.starts_at < now + timedelta(days=2),
        )
        .options(selectinload(Appointment.services).selectinload(AppointmentService.service))
    )
    found = []
    for appointment, customer, store in session.execute(query):
        tz = ZoneInfo(store.timezone)
        tomorrow = now.astimezone(tz).date() + timedelta(days=1)
        if appointment.starts_at.astimezone(tz).date() != tomorrow or not polite_now(store, now):
            continue
        if customer.opted_out_at is not None and customer.opted_out_at > appointment.created_at:
            continue
        account = _account(session, customer.id)
        if account is not None:
            found.append(Reminder(appointment.id, account.channel, account.external_id,
                                  message(appointment, store, customer.language)))
    return found


def _account(session: Session, customer_id: int) -> ChannelAccount | None:
    """The chat the customer wrote from most recently (Telegram or web)."""
    query = (
        select(ChannelAccount)
        .where(ChannelAccount.customer_id == customer_id, ChannelAccount.channel.in_(("telegram", "web")))
        .order_by(ChannelAccount.identified_at.desc().nullslast(), ChannelAccount.id.desc())
    )
    return session.execute(query).scalars().first()


def message(appointment: Appointment, store: Store, language: str | None) -> str:
    when = text.when(appointment.starts_at, store, language)
    names = ", ".join(text.service_name(item.service, language) for item in appointment.services)
    if text.english(language):
        return (f"Reminder: your appointment {appointment.reference} is tomorrow, {when}, at "
                f"{store.name_en} ({names}). Reply \"stop reminders\" to stop these messages.")
    return (f"温馨提醒：您的预约 {appointment.reference} 在明天 {when}，{store.name}（{names}）。"
            f"回复“退订”不再接收提醒。")


def claim(session: Session, appointment_id: int, now: datetime) -> bool:
    """Marks the reminder sent unless another round already did (a scheduler restarted while
    the old one was still finishing, or two front doors): one conditional UPDATE, so exactly one
    of them gets True and sends it, on SQLite and PostgreSQL alike."""
    query = (update(Appointment)
             .where(Appointment.id == appointment_id, Appointment.reminder_sent_at.is_(None))
             .values(reminder_sent_at=now).execution_options(synchronize_session=False))
    return session.execute(query).rowcount == 1


def mark_sent(session: Session, appointment_id: int, now: datetime) -> None:
    appointment = session.get(Appointment, appointment_id)
    if appointment is not None:
        appointment.reminder_sent_at = now


def ics(appointment: Appointment, store: Store, language: str | None) -> str:
    """An iCalendar file of the appointment (RFC 5545), times in UTC."""
    stamp = "%Y%m%dT%H%M%SZ"
    names = ", ".join(text.service_name(item.service, language) for item in appointment.services)
    summary = f"{text.store_name(store, language)}: {names}"
    address = (store.address_en or store.address) if text.english(language) else store.address
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//dealer-care//booking//EN", "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{appointment.reference}@dealer-care",
        f"DTSTAMP:{appointment.created_at.astimezone(ZoneInfo('UTC')):{stamp}}",
        f"DTSTART:{appointment.starts_at.astimezone(ZoneInfo('UTC')):{stamp}}",
        f"DTEND:{appointment.ends_at.astimezone(ZoneInfo('UTC')):{stamp}}",
        f"SUMMARY:{_escape(summary)}",
        f"LOCATION:{_escape(address)}",
        f"DESCRIPTION:{_escape(appointment.reference + ' / ' + store.phone)}",
        "END:VEVENT", "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def calendar_token(reference: str) -> str:
    import hashlib
    import hmac

    from aftersales.settings import app_secret

    return hmac.new(app_secret(), reference.encode(), hashlib.sha256).hexdigest()[:32]


def calendar_path(reference: str) -> str:
    """The front door's link to a booking's .ics file, signed so only its customer has it."""
    return f"/calendar/{reference}.ics?t={calendar_token(reference)}"


def calendar_token_ok(reference: str, token: str) -> bool:
    import hmac

    return hmac.compare_digest(calendar_token(reference), token or "")
