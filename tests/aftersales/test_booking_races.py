"""No double booking under concurrency: the database, not a check-then-write, decides.

Fifty customers press "confirm" for the same slot at the same moment; exactly as many get it
as there are free bays, every other one is offered alternatives, and no bay holds two cars.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from aftersales import appointments
from aftersales.appointments import BookingError
from aftersales.db import transaction
from aftersales.models import Appointment, BayReservation, Store
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store

CALLERS = 50
SLOT = local(24, 10)


def prepare(sessions, bays: int, taken: int):
    """A store with `bays` bays, `taken` of them already booked at SLOT, and 50 waiting customers."""
    with transaction(sessions) as session:
        store = make_store(session, bays=bays)
        store.wait_daily_limit = 500  # bays, not the waiting-room limit, are under test here
        minor = appointments.menu(session, store, ["minor_service"])
        for n in range(taken):
            vehicle = make_customer(session, f"粤C{n:05d}", f"1370000{n:04d}")
            appointments.book(session, store=store, vehicle=vehicle, services=minor, start=SLOT, now=NOW)
        vehicles = [make_customer(session, f"粤D{n:05d}", f"1390000{n:04d}").id for n in range(CALLERS)]
        return store.id, vehicles


def race(sessions, callers):
    """Runs the callers at once (each in its own transaction); returns (successes, refusals)."""
    barrier = threading.Barrier(len(callers))

    def attempt(caller):
        barrier.wait()
        try:
            with transaction(sessions) as session:
                return caller(session)
        except BookingError as error:
            return error

    with ThreadPoolExecutor(max_workers=len(callers)) as pool:
        outcomes = list(pool.map(attempt, callers))
    won = [o for o in outcomes if not isinstance(o, BookingError)]
    lost = [o for o in outcomes if isinstance(o, BookingError)]
    return won, lost


def overlapping_reservations(sessions) -> int:
    with transaction(sessions) as session:
        query = select(BayReservation.bay_id, BayReservation.slot_start, func.count()).group_by(
            BayReservation.bay_id, BayReservation.slot_start
        ).having(func.count() > 1)
        return len(session.execute(query).all())


def booked_at_slot(sessions) -> int:
    with transaction(sessions) as session:
        query = select(func.count()).select_from(Appointment).where(
            Appointment.starts_at == SLOT, Appointment.status == "booked"
        )
        return session.execute(query).scalar()


def booker(store_id, vehicle_id):
    def call(session):
        from aftersales.models import Vehicle

        store = session.get(Store, store_id)
        return appointments.book(
            session, store=store, vehicle=session.get(Vehicle, vehicle_id),
            services=appointments.menu(session, store, ["minor_service"]), start=SLOT, now=NOW,
        ).reference
    return call


def test_fifty_bookings_for_the_last_free_bay_give_it_to_exactly_one(sessions):
    store_id, vehicles = prepare(sessions, bays=3, taken=2)
    won, lost = race(sessions, [booker(store_id, v) for v in vehicles])
    assert len(won) == 1 and len(lost) == CALLERS - 1
    assert all(e.reason == "full" and len(e.availability.alternatives) == 3 for e in lost)
    assert booked_at_slot(sessions) == 3
    assert overlapping_reservations(sessions) == 0


def test_fifty_bookings_for_two_free_bays_give_them_to_exactly_two(sessions):
    store_id, vehicles = prepare(sessions, bays=2, taken=0)
    won, lost = race(sessions, [booker(store_id, v) for v in vehicles])
    assert len(won) == 2 and len(set(won)) == 2
    assert all(e.availability.alternatives for e in lost)
    assert overlapping_reservations(sessions) == 0


def test_fifty_moves_into_the_last_free_bay_give_it_to_exactly_one(sessions):
    store_id, vehicles = prepare(sessions, bays=3, taken=2)
    with transaction(sessions) as session:
        store = session.get(Store, store_id)
        from aftersales.models import Vehicle

        minor = appointments.menu(session, store, ["minor_service"])
        moves = []
        for n, vehicle_id in enumerate(vehicles):
            vehicle = session.get(Vehicle, vehicle_id)
            day, slot = divmod(n, 15)  # spread over three days, fifteen morning-to-afternoon slots
            start = local(25 + day, 8, 30) + slot * (local(24, 9) - local(24, 8, 30))
            booked = appointments.book(session, store=store, vehicle=vehicle, services=minor,
                                       start=start, now=NOW)
            moves.append((vehicle.customer_id, booked.reference))

    def mover(customer_id, reference):
        return lambda session: appointments.reschedule(
            session, customer_id=customer_id, reference=reference, start=SLOT, now=NOW
        ).reference

    won, lost = race(sessions, [mover(c, r) for c, r in moves])
    assert len(won) == 1 and len(lost) == CALLERS - 1
    assert booked_at_slot(sessions) == 3
    assert overlapping_reservations(sessions) == 0
