"""Booking, moving and cancelling service appointments, safely under concurrency.

A bay is taken by inserting its (bay, slot) rows: the primary key makes the database refuse
a second taker, so a booking that loses a race is told so and gets alternatives, and a
double booking cannot exist whatever ran in parallel. Limited transport options (drop-off,
pickup and delivery) are counted with one conditional UPDATE per day.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from aftersales import capacity
from aftersales.models import (
    Appointment,
    AppointmentService,
    BayReservation,
    ServiceType,
    Staff,
    Store,
    TransportDay,
    Vehicle,
)
from aftersales.references import appointment_reference

ACTIVE = ("booked", "checked_in")


class BookingError(Exception):
    """A booking, move or cancellation that cannot be done; `reason` says why."""

    def __init__(self, reason: str, availability: capacity.Availability | None = None):
        super().__init__(reason)
        self.reason = reason
        self.availability = availability


@dataclass
class Estimate:
    minutes: int  # bay time
    duration_minutes: int  # sum of the menu durations, what the customer waits
    labour_cents: int
    parts_cents: int
    is_estimate: bool  # some item's price is confirmed only after inspection

    @property
    def total_cents(self) -> int:
        return self.labour_cents + self.parts_cents


def menu(session: Session, store: Store, codes: list[str]) -> list[ServiceType]:
    """The store's active menu items for service codes, in the order asked; unknown codes dropped."""
    query = select(ServiceType).where(
        ServiceType.store_id == store.id, ServiceType.code.in_(codes), ServiceType.active
    )
    found = {s.code: s for s in session.execute(query).scalars()}
    return [found[code] for code in dict.fromkeys(codes) if code in found]


def estimate(store: Store, services: list[ServiceType]) -> Estimate:
    return Estimate(
        minutes=capacity.bay_minutes(services, store.slot_minutes),
        duration_minutes=sum(s.duration_minutes for s in services),
        labour_cents=sum(s.labour_cents for s in services),
        parts_cents=sum(s.parts_cents for s in services),
        is_estimate=any(s.price_is_estimate for s in services),
    )


def transport_limit(store: Store, transport: str) -> int:
    return {
        "wait": store.wait_daily_limit,
        "drop_off": store.drop_off_daily_limit,
        "pickup_delivery": store.pickup_daily_limit,
    }[transport]


def transport_left(session: Session, store: Store, day: date) -> dict[str, int]:
    """How many more appointments each transport option can take on a local day."""
    return {
        option: transport_limit(store, option) - _transport_booked(session, store, day, option)
        for option in ("wait", "drop_off", "pickup_delivery")
    }


def _transport_booked(session: Session, store: Store, day: date, transport: str) -> int:
    query = select(TransportDay.booked).where(
        TransportDay.store_id == store.id, TransportDay.day == day, TransportDay.transport == transport
    )
    booked = session.execute(query).scalar()
    if booked is not None:
        return booked
    return _count_transport(session, store, day, transport)


def _count_transport(session: Session, store: Store, day: date, transport: str) -> int:
    calendar = capacity.Calendar(store)
    since = calendar.instant(day, datetime.min.time())
    query = select(func.count(Appointment.id)).where(
        Appointment.store_id == store.id,
        Appointment.transport == transport,
        Appointment.status.in_(ACTIVE),
        Appointment.starts_at >= since,
        Appointment.starts_at < since + timedelta(days=1),
    )
    return session.execute(query).scalar_one()


def _take_transport(session: Session, store: Store, day: date, transport: str) -> None:
    """Counts one more appointment for the day's option, or raises transport_full."""
    if session.get(TransportDay, (store.id, day, transport)) is None:
        try:
            with session.begin_nested():
                session.add(TransportDay(
                    store_id=store.id, day=day, transport=transport,
                    booked=_count_transport(session, store, day, transport),
                    day_limit=transport_limit(store, transport),
                ))
        except IntegrityError:
            pass  # a parallel booking created it first; the UPDATE below counts on it
    taken = session.execute(
        update(TransportDay)
        .where(
            TransportDay.store_id == store.id,
            TransportDay.day == day,
            TransportDay.transport == transport,
            TransportDay.booked < TransportDay.day_limit,
        )
        .values(booked=TransportDay.booked + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        raise BookingError("transport_full")


def _release_transport(session: Session, store: Store, day: date, transport: str) -> None:
    session.execute(
        update(TransportDay)
        .where(
            TransportDay.store_id == store.id,
            TransportDay.day == day,
            TransportDay.transport == transport,
            TransportDay.booked > 0,
        )
        .values(booked=TransportDay.booked - 1)
        .execution_options(synchronize_session=False)
    )


def _reserve_bay(
    session: Session, store: Store, appointment: Appointment, start: datetime, minutes: int
) -> None:
    """Takes the first bay whose slots the database lets us insert; raises full otherwise."""
    calendar = capacity.Calendar(store)
    slots = calendar.slots_of(start, minutes)
    for bay in capacity.active_bays(session, store):
        try:
            with session.begin_nested():
                session.add_all(
                    BayReservation(bay_id=bay, slot_start=slot, appointment_id=appointment.id)
                    for slot in slots
                )
                session.flush()
        except IntegrityError:
            continue
        appointment.bay_id = bay
        session.expire(appointment, ["reservations"])
        return
    raise BookingError("full")


def pick_advisor(session: Session, store: Store, day: date) -> int | None:
    """The store's advisor with the fewest appointments that day (ties: the longest serving)."""
    calendar = capacity.Calendar(store)
    since = calendar.instant(day, datetime.min.time())
    load = (
        select(func.count(Appointment.id))
        .where(
            Appointment.advisor_id == Staff.id,
            Appointment.status.in_(ACTIVE),
            Appointment.starts_at >= since,
            Appointment.starts_at < since + timedelta(days=1),
        )
        .scalar_subquery()
    )
    query = (
        select(Staff.id)
        .where(Staff.store_id == store.id, Staff.role == "advisor", Staff.active)
        .order_by(load, Staff.id)
        .limit(1)
    )
    return session.execute(query).scalar()


def book(
    session: Session,
    *,
    store: Store,
    vehicle: Vehicle,
    services: list[ServiceType],
    start: datetime,
    now: datetime,
    transport: str = "wait",
    channel: str | None = None,
    note: str | None = None,
    reminder: bool = False,
) -> Appointment:
    """Books a visit, or raises BookingError (with alternatives when the time is not free).

    Runs inside the caller's transaction; on any error nothing of the booking remains.
    """
    if not services:
        raise BookingError("no_service")
    minutes = capacity.bay_minutes(services, store.slot_minutes)
    _require_bookable(session, store, minutes, start, now)
    day = capacity.Calendar(store).local_day(start)
    try:
        with session.begin_nested():
            _take_transport(session, store, day, transport)
            appointment = Appointment(
                reference=appointment_reference(session, day),
                store_id=store.id,
                customer_id=vehicle.customer_id,
                vehicle_id=vehicle.id,
                advisor_id=pick_advisor(session, store, day),
                starts_at=start,
                ends_at=start + timedelta(minutes=minutes),
                status="booked",
                transport=transport,
                channel=channel,
                note=(note or None) and note[:1000],
                reminder_opt_in=reminder,
                created_at=now,
            )
            appointment.services = [AppointmentService(service_type_id=s.id) for s in services]
            session.add(appointment)
            session.flush()
            _reserve_bay(session, store, appointment, start, minutes)
    except BookingError as error:
        raise _with_alternatives(error, session, store, minutes, start, now) from None
    if reminder:  # the customer asked for reminders: that is their preference from now on
        vehicle.owner.reminders_opt_in = True
        vehicle.owner.opted_out_at = None
    return appointment


def _require_bookable(session: Session, store: Store, minutes: int, start: datetime, now: datetime):
    availability = capacity.check(session, store, minutes, start, now)
    if not availability.ok:
        raise BookingError(availability.reason, availability)


def _with_alternatives(error, session, store, minutes, start, now) -> BookingError:
    if error.availability is None:
        error.availability = capacity.Availability(
            None, error.reason, alternatives=capacity.nearest_free(session, store, minutes, start, now)
        )
    return error


def own_appointment(session: Session, customer_id: int, reference: str) -> Appointment:
    """The customer's appointment with that reference; someone else's is reported as not found."""
    query = (
        select(Appointment)
        .where(Appointment.reference == reference.strip().upper())
        .options(selectinload(Appointment.services).selectinload(AppointmentService.service))
    )
    appointment = session.execute(query).scalar()
    if appointment is None or appointment.customer_id != customer_id:
        raise BookingError("not_found")
    return appointment


def upcoming(session: Session, customer_id: int, now: datetime) -> list[Appointment]:
    query = (
        select(Appointment)
        .where(
            Appointment.customer_id == customer_id,
            Appointment.status == "booked",
            Appointment.ends_at > now,
        )
        .options(selectinload(Appointment.services).selectinload(AppointmentService.service))
        .order_by(Appointment.starts_at)
    )
    return list(session.execute(query).scalars())


def reschedule(
    session: Session, *, customer_id: int, reference: str, start: datetime, now: datetime
) -> Appointment:
    """Moves an appointment, keeping its reference; the old slots are freed in the same transaction."""
    appointment = own_appointment(session, customer_id, reference)
    _require_changeable(appointment, now)
    store = session.get(Store, appointment.store_id)
    minutes = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    old_day = capacity.Calendar(store).local_day(appointment.starts_at)
    new_day = capacity.Calendar(store).local_day(start)
    try:
        with session.begin_nested():
            _free_bay(session, appointment)
            availability = capacity.check(session, store, minutes, start, now)
            if not availability.ok:
                raise BookingError(availability.reason, availability)
            if new_day != old_day:
                _release_transport(session, store, old_day, appointment.transport)
                _take_transport(session, store, new_day, appointment.transport)
            appointment.starts_at = start
            appointment.ends_at = start + timedelta(minutes=minutes)
            appointment.reminder_sent_at = None
            _reserve_bay(session, store, appointment, start, minutes)
    except BookingError as error:
        session.refresh(appointment)
        raise _with_alternatives(error, session, store, minutes, start, now) from None
    return appointment


def cancel(session: Session, *, customer_id: int, reference: str, now: datetime) -> Appointment:
    appointment = own_appointment(session, customer_id, reference)
    _require_changeable(appointment, now)
    store = session.get(Store, appointment.store_id)
    _free_bay(session, appointment)
    _release_transport(
        session, store, capacity.Calendar(store).local_day(appointment.starts_at), appointment.transport
    )
    appointment.status = "cancelled"
    appointment.cancelled_at = now
    return appointment


def _require_changeable(appointment: Appointment, now: datetime) -> None:
    if appointment.status != "booked":
        raise BookingError(f"already_{appointment.status}")
    if appointment.starts_at <= now:
        raise BookingError("already_started")


def _free_bay(session: Session, appointment: Appointment) -> None:
    appointment.reservations.clear()
    session.flush()
