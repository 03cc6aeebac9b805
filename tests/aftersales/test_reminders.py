"""Day-before reminders: opted-in only, the day before, never in quiet hours, once; and the .ics."""
from __future__ import annotations

from datetime import timedelta

import pytest

from aftersales import appointments, customers, reminders
from aftersales.db import transaction
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


@pytest.fixture
def setup(sessions):
    with transaction(sessions) as session:
        store = make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        customers.link(session, "tg:4242", "粤B12345", "13812345678", NOW - timedelta(days=1))
        minor = appointments.menu(session, store, ["minor_service"])
        tomorrow = appointments.book(session, store=store, vehicle=vehicle, services=minor,
                                     start=local(24, 10), now=NOW - timedelta(days=1), reminder=True)
        appointments.book(session, store=store, vehicle=vehicle, services=minor,
                          start=local(25, 10), now=NOW - timedelta(days=1), reminder=True)
        other = make_customer(session, "粤B22222", "13822222222")
        customers.link(session, "web:quiet", "粤B22222", "13822222222", NOW)
        appointments.book(session, store=store, vehicle=other, services=minor, start=local(24, 11),
                          now=NOW - timedelta(days=1), reminder=False)
        yield session, store, vehicle, tomorrow


def test_only_tomorrows_opted_in_visit_is_reminded_on_its_customers_chat(setup):
    session, _store, _vehicle, tomorrow = setup
    [reminder] = reminders.due(session, NOW)
    assert (reminder.appointment_id, reminder.channel, reminder.external_id) == (tomorrow.id, "telegram", "4242")
    assert tomorrow.reference in reminder.text and "明天" in reminder.text and "退订" in reminder.text


def test_a_reminder_is_sent_once(setup):
    session, *_ = setup
    for reminder in reminders.due(session, NOW):
        reminders.mark_sent(session, reminder.appointment_id, NOW)
    assert reminders.due(session, NOW + timedelta(minutes=5)) == []


@pytest.mark.parametrize("hour", [7, 9, 21, 23])
def test_nothing_is_sent_early_in_the_morning_or_in_quiet_hours(setup, hour):
    session, *_ = setup
    assert reminders.due(session, local(23, hour)) == []


def test_an_opt_out_after_booking_is_honoured(setup):
    session, _store, vehicle, _tomorrow = setup
    customers.opt_out_of_reminders(session, vehicle.owner, NOW - timedelta(hours=1))
    assert reminders.due(session, NOW) == []


def test_the_calendar_file_holds_the_visit_in_utc(setup):
    session, store, _vehicle, tomorrow = setup
    calendar = reminders.ics(tomorrow, store, "en")
    assert "DTSTART:20261124T020000Z" in calendar and "DTEND:20261124T030000Z" in calendar
    assert f"UID:{tomorrow.reference}@dealer-care" in calendar and calendar.endswith("END:VCALENDAR\r\n")
