"""The demo dealer seed: what it creates, that it creates it once, and that it looks current."""
from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from aftersales import demo_data, seed, staff_auth
from aftersales.models import (
    Appointment,
    Base,
    BayReservation,
    Complaint,
    Customer,
    DealerGroup,
    Holiday,
    OpeningHours,
    RepairOrder,
    ServiceBay,
    ServiceType,
    Staff,
    Store,
    Survey,
    Vehicle,
)
from aftersales.references import PATTERNS
from aftersales.seed import holidays_for, plan_demo, seed_demo
from aftersales.vocab import REPAIR_STAGES

# Monday 14:00 in Guangzhou, Sunday 22:00 in San Jose: one store open, the other closed.
NOW = datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc)

SERVICE_CODES = {
    "minor_service", "major_service", "first_service", "brake_pads", "brake_fluid",
    "tyre_replacement", "tyre_rotation", "wheel_alignment", "ac_service", "battery",
    "diagnosis", "body_paint", "car_wash", "pickup_delivery", "spark_plugs",
    "transmission_fluid", "coolant", "inspection",
}


def table_counts(sessions) -> dict[str, int]:
    with sessions() as session:
        return {
            table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in Base.metadata.sorted_tables
        }


def stores_by_code(session) -> dict[str, Store]:
    return {store.code: store for store in session.execute(select(Store)).scalars()}


def local_today(store: Store, now: datetime = NOW) -> date:
    return now.astimezone(ZoneInfo(store.timezone)).date()


def open_hours(session, store: Store) -> dict[int, OpeningHours]:
    rows = session.execute(select(OpeningHours).where(OpeningHours.store_id == store.id)).scalars()
    return {row.weekday: row for row in rows}


def vin_check_digit_ok(vin: str) -> bool:
    values = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", "12345678123457923456789"))
    weights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
    total = sum(int(values.get(c, c)) * w for c, w in zip(vin, weights)) % 11
    return vin[8] == ("X" if total == 10 else str(total))


def test_seeding_creates_the_demo_dealer_with_two_stores(sessions, monkeypatch):
    monkeypatch.setenv("CONSOLE_DEMO_PASSWORD", "demo-console-pw")
    assert seed_demo(sessions, NOW) is True

    with sessions() as session:
        group = session.execute(select(DealerGroup)).scalar_one()
        assert (group.code, group.name, group.name_en) == ("PRG", "珠江汽车集团", "Pearl River Auto Group")
        stores = stores_by_code(session)
        assert set(stores) == {"GZ-TH", "SJ"}
        gz, sj = stores["GZ-TH"], stores["SJ"]
        assert (gz.timezone, gz.language, gz.country, gz.currency) == ("Asia/Shanghai", "zh-Hans", "CN", "CNY")
        assert (sj.timezone, sj.language, sj.country, sj.currency) == ("America/Los_Angeles", "en", "US", "USD")
        assert {gz.group_id, sj.group_id} == {group.id}

        for store in (gz, sj):
            staff = session.execute(select(Staff).where(Staff.store_id == store.id)).scalars().all()
            roles = Counter(member.role for member in staff)
            assert roles["advisor"] == 3 and roles["supervisor"] == 1
            assert all(member.password_hash is None for member in staff if member.role == "advisor")
            assert all(staff_auth.verify_password("demo-console-pw", member.password_hash)
                       for member in staff if member.role in ("supervisor", "workshop"))
            bays = session.execute(select(ServiceBay).where(ServiceBay.store_id == store.id)).scalars().all()
            assert 4 <= len(bays) <= 6 and all(bay.active for bay in bays)
            services = session.execute(select(ServiceType).where(ServiceType.store_id == store.id)).scalars().all()
            assert len(services) >= 12
            hours = open_hours(session, store)
            assert set(hours) == {0, 1, 2, 3, 4, 5}, "Mon-Sat open, Sunday closed"
            assert session.execute(select(Holiday).where(Holiday.store_id == store.id)).first() is not None

        assert len(session.execute(select(ServiceBay).where(ServiceBay.store_id == gz.id)).all()) == 5
        monday = open_hours(session, gz)[0]
        assert (f"{monday.opens:%H:%M}", f"{monday.closes:%H:%M}") == ("08:30", "18:00")
        assert open_hours(session, sj)[5].closes < open_hours(session, sj)[0].closes  # short Saturday
        supervisors = session.execute(select(Staff.username).where(Staff.role == "supervisor")).scalars()
        assert set(supervisors) == {"wang", "maria"}

        customers = session.execute(select(Customer)).scalars().all()
        assert 18 <= len(customers) <= 22
        per_store = Counter(customer.home_store_id for customer in customers)
        assert 5 <= per_store[sj.id] <= 6 and per_store[gz.id] > per_store[sj.id]
        assert all(1 <= len(customer.vehicles) <= 2 for customer in customers)

        statuses = session.execute(select(RepairOrder.status)).scalars().all()
        assert len(statuses) == 10
        assert set(REPAIR_STAGES) <= set(statuses)

        complaints = session.execute(select(Complaint)).scalars().all()
        assert 3 <= len(complaints) <= 4
        assert len({complaint.category for complaint in complaints}) == len(complaints)

        survey = session.execute(select(Survey)).scalar_one()
        scores = (survey.advisor_score, survey.service_time_score, survey.repair_quality_score,
                  survey.price_score, survey.facilities_score)
        assert all(1 <= score <= 5 for score in scores)
        assert survey.sent_at < survey.answered_at <= NOW
        order = session.get(RepairOrder, survey.repair_order_id)
        assert order.status == "delivered" and order.followup_sent_at == survey.sent_at


def test_seeding_again_writes_nothing_and_reports_false(sessions):
    assert table_counts(sessions)["dealer_groups"] == 0
    assert seed_demo(sessions) is True
    after_first = table_counts(sessions)
    assert after_first["repair_orders"] == 10

    assert seed_demo(sessions) is False
    assert seed_demo(sessions, NOW + timedelta(days=40)) is False
    assert table_counts(sessions) == after_first


def test_a_seeder_that_loses_the_race_rolls_back_everything(sessions, monkeypatch):
    """The other process committed after this one looked: the unique group code stops it."""
    assert seed_demo(sessions, NOW) is True
    before = table_counts(sessions)
    real_check = seed._demo_present
    looks = []

    def stale_first_look(session):
        looks.append(1)
        return False if len(looks) == 1 else real_check(session)

    monkeypatch.setattr(seed, "_demo_present", stale_first_look)
    assert seed_demo(sessions, NOW) is False
    assert len(looks) == 2
    assert table_counts(sessions) == before


def test_two_seeders_at_once_seed_one_dealer(sessions):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(seed_demo(sessions, NOW))
        except Exception as error:  # surfaces in the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(results) == [False, True]
    counts = table_counts(sessions)
    assert counts["dealer_groups"] == 1 and counts["stores"] == 2 and counts["repair_orders"] == 10


def test_a_conflict_with_existing_data_is_raised_not_mistaken_for_the_demo(sessions):
    with sessions() as session, session.begin():
        session.add(Customer(name="已有客户", phone=demo_data.CUSTOMERS[0]["phone"], language="zh-Hans"))

    with pytest.raises(IntegrityError):
        seed_demo(sessions, NOW)
    counts = table_counts(sessions)
    assert counts["dealer_groups"] == 0 and counts["stores"] == 0 and counts["customers"] == 1


def test_service_menus_use_the_codes_shared_with_the_nlu(sessions):
    seed_demo(sessions, NOW)
    with sessions() as session:
        stores = stores_by_code(session)
        for code, store in stores.items():
            query = select(ServiceType).where(ServiceType.store_id == store.id)
            services = {service.code: service for service in session.execute(query).scalars()}
            assert set(services) <= SERVICE_CODES
            assert len(services) >= 12
            for service in services.values():
                assert service.duration_minutes > 0 and service.duration_minutes % store.slot_minutes == 0
                assert service.name and service.name_en and service.name != service.name_en
                assert service.needs_bay == (service.code != "pickup_delivery")
            for code_needing_inspection in ("diagnosis", "body_paint", "brake_pads"):
                assert services[code_needing_inspection].price_is_estimate
            minor = services["minor_service"]
            assert not minor.price_is_estimate and minor.labour_cents > 0 and minor.parts_cents > 0
            if code == "GZ-TH":
                assert set(services) == SERVICE_CODES


def test_vehicles_are_inside_and_outside_warranty_relative_to_the_seeding_time(sessions):
    later = datetime(2031, 7, 15, 3, 0, tzinfo=timezone.utc)  # beyond the listed lunar holidays too
    assert seed_demo(sessions, later) is True
    today = later.astimezone(ZoneInfo("Asia/Shanghai")).date()
    three_years_ago = today.replace(year=today.year - 3)
    with sessions() as session:
        vehicles = session.execute(select(Vehicle)).scalars().all()
    bought = [vehicle.purchase_date for vehicle in vehicles]
    assert any(day > three_years_ago for day in bought), "someone is inside the 3-year warranty"
    assert any(day < three_years_ago - timedelta(days=365) for day in bought), "someone is well outside it"
    assert all(day <= today for day in bought)
    assert all(vehicle.year == vehicle.purchase_date.year for vehicle in vehicles)
    assert min(bought) > date(2022, 1, 1), "dates follow the seeding time, not a fixed calendar"


def test_upcoming_appointments_hold_their_bay_for_every_slot_inside_opening_hours(sessions):
    seed_demo(sessions, NOW)
    with sessions() as session:
        stores = {store.id: store for store in session.execute(select(Store)).scalars()}
        upcoming = session.execute(select(Appointment).where(Appointment.starts_at > NOW)).scalars().all()
        assert len(upcoming) >= 2
        assert {appointment.store_id for appointment in upcoming} == set(stores)
        for appointment in upcoming:
            store = stores[appointment.store_id]
            tz = ZoneInfo(store.timezone)
            slot = timedelta(minutes=store.slot_minutes)
            assert appointment.status == "booked"
            assert appointment.starts_at >= NOW + timedelta(minutes=store.min_lead_minutes)
            bay = session.get(ServiceBay, appointment.bay_id)
            assert bay.store_id == store.id
            reservations = session.execute(
                select(BayReservation)
                .where(BayReservation.appointment_id == appointment.id)
                .order_by(BayReservation.slot_start)
            ).scalars().all()
            slots = (appointment.ends_at - appointment.starts_at) // slot
            assert slots >= 1 and appointment.starts_at + slots * slot == appointment.ends_at
            assert [r.slot_start for r in reservations] == [appointment.starts_at + k * slot for k in range(slots)]
            assert {r.bay_id for r in reservations} == {bay.id}
            day = appointment.starts_at.astimezone(tz).date()
            hours = open_hours(session, store)[day.weekday()]
            holidays = session.execute(select(Holiday.day).where(Holiday.store_id == store.id)).scalars().all()
            assert day not in holidays
            for reservation in reservations:
                start = reservation.slot_start.astimezone(tz)
                end = (reservation.slot_start + slot).astimezone(tz)
                assert start.date() == end.date() == day
                assert hours.opens <= start.time() and end.time() <= hours.closes
        past = session.execute(select(Appointment).where(Appointment.starts_at < NOW)).scalars().all()
        assert {"completed", "cancelled", "no_show"} <= {appointment.status for appointment in past}


def test_repair_orders_carry_their_stage_timeline_items_and_references(sessions):
    seed_demo(sessions, NOW)
    with sessions() as session:
        orders = session.execute(select(RepairOrder)).scalars().all()
        for order in orders:
            store = session.get(Store, order.store_id)
            advisor = session.get(Staff, order.advisor_id)
            vehicle = session.get(Vehicle, order.vehicle_id)
            assert advisor.role == "advisor" and advisor.store_id == store.id
            assert vehicle.customer_id == order.customer_id
            stages = [event.status for event in order.events]
            assert stages == list(REPAIR_STAGES[: REPAIR_STAGES.index(order.status) + 1])
            times = [event.at for event in order.events]
            assert times == sorted(times) and times[0] == order.opened_at and times[-1] <= NOW
            assert {event.actor for event in order.events} == {advisor.display_name}
            assert PATTERNS["RO"].match(order.reference)
            assert order.reference[3:11] == order.opened_at.astimezone(ZoneInfo(store.timezone)).strftime("%Y%m%d")
            assert any(item.kind == "labour" for item in order.items)
            if order.status == "delivered":
                assert order.delivered_at == times[-1]
                assert vehicle.last_service_date == order.delivered_at.astimezone(ZoneInfo(store.timezone)).date()
            else:
                assert order.delivered_at is None and order.eta is not None
        assert sum(1 for order in orders if {"labour", "part"} <= {item.kind for item in order.items}) >= 5
        waiting = next(order for order in orders if order.status == "awaiting_approval")
        pending = [item for item in waiting.items if item.approval == "pending"]
        assert pending and all(item.decided_at is None for item in pending)
        decided = [item for order in orders for item in order.items if item.approval in ("approved", "declined")]
        assert decided and all(item.decided_at is not None and item.decided_via for item in decided)
        assert any(order.eta > NOW for order in orders if order.status not in ("delivered", "ready"))


def test_complaints_have_a_timeline_and_deadlines_from_the_store_promise(sessions):
    seed_demo(sessions, NOW)
    with sessions() as session:
        complaints = session.execute(select(Complaint)).scalars().all()
        assert {"escalated", "resolved"} <= {complaint.status for complaint in complaints}
        for complaint in complaints:
            store = session.get(Store, complaint.store_id)
            assert PATTERNS["CP"].match(complaint.reference)
            assert complaint.events[0].kind == "created" and complaint.events[0].at == complaint.created_at
            assert [e.kind for e in complaint.events][1] == "acknowledged"
            assert complaint.first_response_due == complaint.created_at + timedelta(minutes=store.first_response_minutes)
            assert complaint.resolution_due == complaint.created_at + timedelta(days=store.resolution_days)
            if complaint.status == "escalated":
                assert "escalated" in [event.kind for event in complaint.events]
            if complaint.status in ("resolved", "closed"):
                resolved = next(event for event in complaint.events if event.kind == "resolved")
                assert complaint.resolved_at == resolved.at and complaint.resolution
                assert complaint.first_response_at is not None
                assert complaint.first_response_at <= complaint.resolved_at
        linked = [complaint for complaint in complaints if complaint.repair_order_id]
        assert linked and all(
            session.get(RepairOrder, c.repair_order_id).customer_id == c.customer_id for c in linked
        )


def test_each_store_shows_a_closure_within_sixty_days(sessions):
    seed_demo(sessions, NOW)
    with sessions() as session:
        for store in stores_by_code(session).values():
            today = local_today(store)
            open_days = set(open_hours(session, store))
            soon = session.execute(
                select(Holiday).where(
                    Holiday.store_id == store.id,
                    Holiday.day >= today,
                    Holiday.day <= today + timedelta(days=60),
                )
            ).scalars().all()
            assert any(holiday.day.weekday() in open_days and holiday.name_en for holiday in soon)


@pytest.mark.parametrize("store", demo_data.STORES, ids=lambda store: store["code"])
def test_holidays_always_include_a_closure_on_an_open_day_within_sixty_days(store):
    open_weekdays = {seed.WEEKDAYS.index(day) for day in store["opening_hours"]}
    day = date(2025, 1, 1)
    while day < date(2033, 1, 1):
        holidays = holidays_for(store, day)
        assert any(
            0 <= (holiday - day).days <= 60 and holiday.weekday() in open_weekdays for holiday in holidays
        ), day
        day += timedelta(days=1)


def test_holidays_follow_the_calendar_rules():
    gz, sj = demo_data.STORES
    gz_days = holidays_for(gz, date(2026, 11, 23))
    assert gz_days[date(2027, 1, 1)][0] == "元旦"
    assert [gz_days[date(2027, 2, 5) + timedelta(i)][0] for i in range(4)] == ["春节"] * 4
    sj_days = holidays_for(sj, date(2026, 11, 23))
    assert sj_days[date(2026, 11, 26)][1] == "Thanksgiving Day"  # fourth Thursday of November
    assert sj_days[date(2027, 5, 31)][1] == "Memorial Day"  # last Monday of May
    # 2028: Mid-Autumn falls on the National Day holiday; one closed day with both names.
    name, name_en = holidays_for(gz, date(2028, 9, 1))[date(2028, 10, 3)]
    assert set(name.split("、")) == {"国庆节", "中秋节"}
    assert set(name_en.split(" / ")) == {"National Day", "Mid-Autumn Festival"}


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 10, 29, tzinfo=timezone.utc),  # across the US end of daylight saving
        datetime(2027, 3, 10, tzinfo=timezone.utc),  # and its start
        datetime(2027, 12, 27, tzinfo=timezone.utc),  # across New Year in both stores
    ],
)
def test_the_demo_data_makes_sense_at_every_half_hour(start):
    for step in range(8 * 48):
        now = start + timedelta(minutes=30 * step)
        plan = plan_demo(now)
        for order in plan.orders:
            assert order.events[-1][1] <= now
        booked = [a for a in plan.appointments if a.spec["status"] == "booked"]
        for appointment in booked:
            clock = plan.clocks[appointment.spec["store"]]
            assert appointment.starts_at > now and clock.fits(appointment.starts_at, appointment.ends_at)


def test_the_demo_data_makes_sense_across_years():
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    while now < datetime(2033, 1, 1, tzinfo=timezone.utc):
        plan_demo(now)  # raises ValueError when a timeline or booking cannot hold
        now += timedelta(hours=31)


def test_customers_and_vehicles_are_well_formed(sessions):
    seed_demo(sessions, NOW)
    with sessions() as session:
        stores = {store.id: store for store in session.execute(select(Store)).scalars()}
        customers = session.execute(select(Customer)).scalars().all()
        new_energy = 0
        for customer in customers:
            store = stores[customer.home_store_id]
            today = local_today(store)
            if store.country == "CN":
                assert re.fullmatch(r"1[358]\d{9}", customer.phone), customer.phone
            else:
                assert re.fullmatch(r"1\d{10}", customer.phone), customer.phone
            assert customer.language in ("zh-Hans", "zh-Hant", "en")
            for vehicle in customer.vehicles:
                assert len(vehicle.vin) == 17 and not set(vehicle.vin) & set("IOQ")
                assert vehicle.vin == vehicle.vin.upper() and vin_check_digit_ok(vehicle.vin), vehicle.vin
                assert vehicle.plate == vehicle.plate.upper() and " " not in vehicle.plate and "·" not in vehicle.plate
                if store.country == "CN":
                    assert re.fullmatch(r"粤[AB][A-HJ-NP-Z0-9]{5,6}", vehicle.plate), vehicle.plate
                    new_energy += len(vehicle.plate) == 8
                else:
                    assert re.fullmatch(r"\d[A-Z]{3}\d{3}", vehicle.plate), vehicle.plate
                assert vehicle.make and vehicle.model and vehicle.model_family
                assert vehicle.mileage_recorded_on <= today
                if vehicle.last_service_date:
                    assert vehicle.purchase_date <= vehicle.last_service_date <= today
                    assert vehicle.last_service_km <= vehicle.mileage_km
        assert new_energy >= 2
        assert len({c.language for c in customers}) == 3
        assert any(c.opted_out_at and not c.reminders_opt_in for c in customers)


def test_the_command_migrates_seeds_and_logs_one_line_without_phone_numbers(tmp_path, monkeypatch, caplog, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.delenv("CONSOLE_DEMO_PASSWORD", raising=False)
    caplog.set_level(logging.INFO, logger="aftersales.seed")

    seed.main()
    seed.main()

    printed = capsys.readouterr().out
    assert re.search(r"console login: wang / \S{12,}", printed) and "console login: liu /" in printed
    lines = [record.getMessage() for record in caplog.records if record.name == "aftersales.seed"]
    assert len(lines) == 2
    assert lines[0].startswith("demo dealer seeded: 2 stores")
    assert "20 customers" in lines[0] and "10 repair orders" in lines[0]
    assert "already present" in lines[1]
    text = "\n".join(caplog.text.splitlines() + lines)
    for customer in demo_data.CUSTOMERS:
        assert customer["phone"] not in text
    assert not re.search(r"\d{7,}", text)
