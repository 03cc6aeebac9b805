"""Booking, moving and cancelling: references, freed slots, transport limits, ownership."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from aftersales import appointments
from aftersales.appointments import BookingError
from aftersales.db import transaction
from aftersales.models import BayReservation
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


@pytest.fixture
def booked(sessions):
    """A store, a customer's vehicle, and that customer's minor service on Tue 24th 10:00."""
    with transaction(sessions) as session:
        store = make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        appointment = appointments.book(
            session, store=store, vehicle=vehicle, services=appointments.menu(session, store, ["minor_service"]),
            start=local(24, 10), now=NOW, channel="web",
        )
        yield session, store, vehicle, appointment


def reserved(session, appointment_id):
    query = select(BayReservation.slot_start).where(BayReservation.appointment_id == appointment_id)
    return sorted(session.execute(query).scalars())


def test_a_booking_gets_a_reference_of_its_local_day_a_bay_an_advisor_and_its_slots(booked):
    session, _store, _vehicle, appointment = booked
    assert appointment.reference == "AP-20261124-0001"
    assert appointment.advisor_id is not None and appointment.bay_id is not None
    assert reserved(session, appointment.id) == [local(24, 10), local(24, 10, 30)]


def test_advisors_take_turns(booked):
    session, store, vehicle, first = booked
    second = appointments.book(session, store=store, vehicle=vehicle,
                               services=appointments.menu(session, store, ["car_wash"]),
                               start=local(24, 14), now=NOW)
    assert second.advisor_id != first.advisor_id


def test_moving_keeps_the_reference_and_frees_the_old_slots(booked):
    session, store, vehicle, appointment = booked
    moved = appointments.reschedule(session, customer_id=vehicle.customer_id,
                                    reference=appointment.reference, start=local(25, 15), now=NOW)
    assert moved.reference == appointment.reference
    assert reserved(session, appointment.id) == [local(25, 15), local(25, 15, 30)]
    assert moved.starts_at == local(25, 15)


def test_a_move_to_a_closed_day_changes_nothing_and_offers_alternatives(booked):
    session, _store, vehicle, appointment = booked
    with pytest.raises(BookingError) as refused:
        appointments.reschedule(session, customer_id=vehicle.customer_id,
                                reference=appointment.reference, start=local(29, 10), now=NOW)
    assert refused.value.reason == "closed" and len(refused.value.availability.alternatives) == 3
    assert reserved(session, appointment.id) == [local(24, 10), local(24, 10, 30)]
    assert appointment.starts_at == local(24, 10)


def test_cancelling_frees_the_slots_and_the_appointment_cannot_be_cancelled_twice(booked):
    session, _store, vehicle, appointment = booked
    appointments.cancel(session, customer_id=vehicle.customer_id, reference=appointment.reference, now=NOW)
    assert appointment.status == "cancelled" and reserved(session, appointment.id) == []
    with pytest.raises(BookingError, match="already_cancelled"):
        appointments.cancel(session, customer_id=vehicle.customer_id, reference=appointment.reference, now=NOW)


def test_someone_elses_reference_is_not_found_and_not_changed(booked):
    session, _store, _vehicle, appointment = booked
    stranger = make_customer(session, "粤B99999", "13999999999")
    for change in (
        lambda: appointments.cancel(session, customer_id=stranger.customer_id,
                                    reference=appointment.reference, now=NOW),
        lambda: appointments.reschedule(session, customer_id=stranger.customer_id,
                                        reference=appointment.reference, start=local(25, 10), now=NOW),
    ):
        with pytest.raises(BookingError, match="not_found"):
            change()
    assert appointment.status == "booked"
    assert appointments.upcoming(session, stranger.customer_id, NOW) == []


def test_upcoming_lists_the_customers_own_booked_visits(booked):
    session, _store, vehicle, appointment = booked
    assert [a.reference for a in appointments.upcoming(session, vehicle.customer_id, NOW)] == [
        appointment.reference
    ]
    appointments.cancel(session, customer_id=vehicle.customer_id, reference=appointment.reference, now=NOW)
    assert appointments.upcoming(session, vehicle.customer_id, NOW) == []


def test_a_transport_option_stops_at_its_daily_limit_and_a_cancel_gives_it_back(sessions):
    with transaction(sessions) as session:
        store = make_store(session, bays=3, pickup_limit=1)
        wash = appointments.menu(session, store, ["car_wash"])
        first = make_customer(session, "粤B00001", "13800000001")
        second = make_customer(session, "粤B00002", "13800000002")
        taken = appointments.book(session, store=store, vehicle=first, services=wash,
                                  start=local(24, 9), now=NOW, transport="pickup_delivery")
        assert appointments.transport_left(session, store, local(24, 9).date())["pickup_delivery"] == 0
        with pytest.raises(BookingError, match="transport_full"):
            appointments.book(session, store=store, vehicle=second, services=wash,
                              start=local(24, 11), now=NOW, transport="pickup_delivery")
        assert session.execute(select(func.count()).select_from(BayReservation)).scalar() == 1
        appointments.cancel(session, customer_id=first.customer_id, reference=taken.reference, now=NOW)
        appointments.book(session, store=store, vehicle=second, services=wash,
                          start=local(24, 11), now=NOW, transport="pickup_delivery")
        assert appointments.transport_left(session, store, local(24, 9).date())["pickup_delivery"] == 0


def test_a_refused_booking_leaves_nothing_behind(booked):
    session, store, vehicle, _appointment = booked
    other = make_customer(session, "粤B22222", "13822222222")
    appointments.book(session, store=store, vehicle=other,
                      services=appointments.menu(session, store, ["minor_service"]),
                      start=local(24, 10), now=NOW)
    with pytest.raises(BookingError) as refused:
        appointments.book(session, store=store, vehicle=vehicle,
                          services=appointments.menu(session, store, ["minor_service"]),
                          start=local(24, 10), now=NOW)
    assert refused.value.reason == "full"
    assert refused.value.availability.alternatives[0] in (local(24, 9), local(24, 11))
    assert len(appointments.upcoming(session, vehicle.customer_id, NOW)) == 1


def test_an_estimate_keeps_labour_and_parts_apart(booked):
    session, store, _vehicle, _appointment = booked
    quote = appointments.estimate(store, appointments.menu(session, store, ["minor_service", "brake_pads"]))
    assert (quote.labour_cents, quote.parts_cents, quote.total_cents) == (50000, 105000, 155000)
    assert quote.is_estimate and quote.minutes == 150
