"""Who is writing: channel accounts, the customers behind them, and their vehicles.

A chat is linked to a customer only by something the customer knows: a new customer gives a
plate and a phone and is registered; a plate already on file is linked only with the phone on
record (all of it, or its last 4 digits). Wrong answers are counted, and five of them lock the
chat for 15 minutes, so nobody can try numbers until someone else's car turns up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from aftersales.contact_log import channel_of
from aftersales.models import ChannelAccount, Customer, Vehicle

MAX_ATTEMPTS = 5
LOCK = timedelta(minutes=15)


@dataclass(frozen=True)
class Identity:
    """The outcome of linking a chat: the customer, or why not ("mismatch", "locked")."""

    customer: Customer | None
    problem: str | None = None


def account(session: Session, conversation_key: str) -> ChannelAccount:
    """The channel account of a conversation key ('tg:123', 'web:abc'), created on first use."""
    _prefix, _, external_id = conversation_key.partition(":")
    channel = channel_of(conversation_key)
    external_id = external_id or conversation_key
    query = select(ChannelAccount).where(
        ChannelAccount.channel == channel, ChannelAccount.external_id == external_id
    )
    found = session.execute(query).scalar()
    if found is None:
        found = ChannelAccount(channel=channel, external_id=external_id, failed_identity_attempts=0)
        session.add(found)
        session.flush()
    return found


def customer_of(session: Session, conversation_key: str) -> Customer | None:
    linked = account(session, conversation_key)
    if linked.customer_id is None:
        return None
    query = select(Customer).where(Customer.id == linked.customer_id).options(
        selectinload(Customer.vehicles)
    )
    return session.execute(query).scalar()


def vehicle_by_plate(session: Session, plate: str) -> Vehicle | None:
    return session.execute(select(Vehicle).where(Vehicle.plate == plate)).scalar()


def link(
    session: Session, conversation_key: str, plate: str, phone: str, now: datetime,
    language: str | None = None,
) -> Identity:
    """Links the chat to the owner of `plate` if `phone` is theirs; registers a new plate.

    A new plate joins the customer with that phone (or a new customer).
    """
    chat = account(session, conversation_key)
    if chat.locked_until is not None and chat.locked_until > now:
        return Identity(None, "locked")
    vehicle = vehicle_by_plate(session, plate)
    if vehicle is None:
        if len(phone) < 7:  # a new customer's contact number, not the last digits of one
            return Identity(None, "need_full_phone")
        customer = _customer_with_phone(session, phone, language)
        session.add(Vehicle(owner=customer, plate=plate, make="", model=""))
    elif phone_matches(vehicle.owner.phone, phone):
        customer = vehicle.owner
    else:
        return _failed(chat, now)
    chat.customer = customer
    chat.identified_at = now
    chat.failed_identity_attempts = 0
    session.flush()
    return Identity(customer)


def link_by_phone(session: Session, conversation_key: str, shared_phone: str, now: datetime) -> Identity:
    """Links the chat to the customer whose phone on record is the number the channel vouches
    for (a Telegram contact the account shared about itself carries the account's own,
    verified number). A locked chat stays locked. An unknown number is no wrong guess (nothing
    was guessed), so it counts no attempt; it links nothing and registers no one."""
    chat = account(session, conversation_key)
    if chat.locked_until is not None and chat.locked_until > now:
        return Identity(None, "locked")
    phone = stored_phone(shared_phone)
    customer = session.execute(select(Customer).where(Customer.phone == phone)).scalar() if phone else None
    if customer is None:
        return Identity(None, "unknown_phone")
    chat.customer = customer
    chat.identified_at = now
    chat.failed_identity_attempts = 0
    session.flush()
    return Identity(customer)


def stored_phone(international: str) -> str:
    """A number as Telegram shares it (+86 138..., 8613812345678, 14085550101) in the form the
    customers table keeps: Chinese numbers without +86 (landlines with their leading 0),
    other countries' numbers as digits with their country code."""
    digits = re.sub(r"\D", "", international or "")
    if digits.startswith("86") and len(digits) >= 11:
        national = digits[2:]
        return national if national.startswith("1") else "0" + national
    return digits


def phone_matches(on_record: str | None, given: str) -> bool:
    """The whole number on record, or its last 4 digits."""
    if not on_record or not given:
        return False
    return given == on_record or (len(given) == 4 and given.isdigit() and on_record.endswith(given))


def _customer_with_phone(session: Session, phone: str, language: str | None) -> Customer:
    found = session.execute(select(Customer).where(Customer.phone == phone)).scalar()
    if found is None:
        found = Customer(name="", phone=phone, language=language or "zh-Hans")
        session.add(found)
    return found


def _failed(chat: ChannelAccount, now: datetime) -> Identity:
    chat.failed_identity_attempts = (chat.failed_identity_attempts or 0) + 1
    if chat.failed_identity_attempts >= MAX_ATTEMPTS:
        chat.locked_until = now + LOCK
        chat.failed_identity_attempts = 0
        return Identity(None, "locked")
    return Identity(None, "mismatch")


def add_vehicle(session: Session, customer: Customer, plate: str) -> Vehicle | None:
    """Registers a new plate to a known customer; None when the plate is someone else's."""
    vehicle = vehicle_by_plate(session, plate)
    if vehicle is None:
        vehicle = Vehicle(owner=customer, plate=plate, make="", model="")
        session.add(vehicle)
        session.flush()
        return vehicle
    return vehicle if vehicle.customer_id == customer.id else None


def opt_out_of_reminders(session: Session, customer: Customer, now: datetime) -> None:
    """Honoured at once, for the customer and every appointment still to come."""
    from aftersales.models import Appointment

    customer.reminders_opt_in = False
    customer.opted_out_at = now
    for appointment in session.execute(
        select(Appointment).where(
            Appointment.customer_id == customer.id,
            Appointment.status == "booked",
            Appointment.starts_at > now,
        )
    ).scalars():
        appointment.reminder_opt_in = False
