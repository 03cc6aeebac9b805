"""When a store can take a car: closed days, hours, lead time, horizon, full bays, alternatives."""
from __future__ import annotations

from datetime import timedelta

import pytest

from aftersales import appointments, capacity
from aftersales.db import transaction
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


@pytest.fixture
def store_session(sessions):
    with transaction(sessions) as session:
        yield session, make_store(session)


def minor(session, store):
    return appointments.menu(session, store, ["minor_service"])


def fill(session, store, start, count=2, plate_prefix="粤A"):
    """Books `count` one-hour services at `start` (enough to take every bay)."""
    for n in range(count):
        vehicle = make_customer(session, f"{plate_prefix}{start:%d%H%M}{n}", f"1380000{start:%d%H}{n}")
        appointments.book(session, store=store, vehicle=vehicle, services=minor(session, store),
                          start=start, now=NOW)


def test_a_free_open_slot_is_bookable(store_session):
    session, store = store_session
    assert capacity.check(session, store, 60, local(24, 10), NOW).ok


@pytest.mark.parametrize(
    "wanted, reason",
    [
        (local(22, 10), "past"),
        (local(23, 9), "past"),
        (local(23, 11), "too_soon"),  # within the 2-hour lead
        (local(24, 19), "outside_hours"),
        (local(24, 17, 30), "outside_hours"),  # an hour's work would end after closing
        (local(24, 10, 15), "outside_hours"),  # off the 30-minute grid
        (local(29, 10), "closed"),  # a Sunday
        (local(2, 10, month=12), "closed"),  # the training day
    ],
)
def test_a_refused_time_says_why_and_offers_three_free_slots(store_session, wanted, reason):
    session, store = store_session
    answer = capacity.check(session, store, 60, wanted, NOW)
    assert answer.reason == reason
    assert len(answer.alternatives) == 3
    assert all(a >= NOW + timedelta(hours=2) for a in answer.alternatives)
    assert all(capacity.check(session, store, 60, a, NOW).ok for a in answer.alternatives)


def test_a_closed_day_names_the_holiday(store_session):
    session, store = store_session
    answer = capacity.check(session, store, 60, local(2, 10, month=12), NOW)
    assert answer.closure.kind == "holiday" and answer.closure.name_en == "Training day"
    assert capacity.check(session, store, 60, local(29, 10), NOW).closure.kind == "weekly"


def test_alternatives_to_a_closed_day_start_on_the_next_open_day(store_session):
    session, store = store_session
    answer = capacity.check(session, store, 60, local(29, 10), NOW)  # Sunday
    assert answer.alternatives == [local(30, 8, 30), local(30, 9), local(30, 9, 30)]


def test_beyond_the_booking_horizon_is_refused_without_alternatives(store_session):
    session, store = store_session
    answer = capacity.check(session, store, 60, NOW + timedelta(days=61), NOW)
    assert answer.reason == "beyond_horizon" and answer.alternatives == []


def test_a_full_slot_offers_the_nearest_free_ones_that_day_first(store_session):
    session, store = store_session
    fill(session, store, local(24, 10))
    answer = capacity.check(session, store, 60, local(24, 10), NOW)
    assert answer.reason == "full"
    # 09:00 ends at 10:00 and 11:00 starts after, both an hour away; 10:30 overlaps 10:00-11:00.
    assert answer.alternatives == [local(24, 9), local(24, 11), local(24, 8, 30)]


def test_a_day_fully_booked_sends_the_customer_to_the_next_day(sessions):
    with transaction(sessions) as session:
        store = make_store(session, bays=1)
        body = appointments.menu(session, store, ["body_paint"])
        vehicle = make_customer(session, "粤B00001", "13800000001")
        appointments.book(session, store=store, vehicle=vehicle, services=body,
                          start=local(24, 8, 30), now=NOW)
        for hour, minute in ((16, 30),):
            appointments.book(session, store=store, vehicle=vehicle, services=minor(session, store),
                              start=local(24, hour, minute), now=NOW)
        answer = capacity.check(session, store, 60, local(24, 12), NOW)
        assert answer.reason == "day_full"
        assert answer.alternatives[0] == local(25, 8, 30)


def test_a_part_of_a_day_offers_free_slots_inside_it(store_session):
    session, store = store_session
    afternoon = (local(24, 12), local(24, 18))
    answer = capacity.check_day(session, store, 60, local(24, 0).date(), NOW, afternoon)
    assert answer.alternatives[0] == local(24, 12) and answer.alternatives[-1] == local(24, 17)


def test_a_long_job_is_offered_only_starts_that_finish_by_closing(store_session):
    session, store = store_session
    starts = capacity.free_starts(session, store, 480, local(24, 0).date(), NOW)
    assert starts == [local(24, 8, 30), local(24, 9), local(24, 9, 30), local(24, 10)]


def test_services_without_a_bay_take_one_slot_and_durations_round_up(store_session):
    session, store = store_session
    assert capacity.bay_minutes(appointments.menu(session, store, ["car_wash"])) == 30
    both = appointments.menu(session, store, ["brake_pads", "car_wash"])
    assert capacity.bay_minutes(both) == 90
    assert appointments.estimate(store, both).duration_minutes == 120
