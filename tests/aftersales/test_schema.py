"""The schema itself protects the data, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError

from aftersales.db import transaction
from aftersales.models import (
    Appointment,
    BayReservation,
    Customer,
    DealerGroup,
    Handoff,
    RepairOrder,
    ServiceBay,
    Staff,
    Store,
    Vehicle,
)

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Guangzhou


def _store(session) -> Store:
    group = DealerGroup(code="G", name="测试集团")
    store = Store(
        group=group, code="S1", name="测试店", name_en="Test store", city="广州",
        address="广州市天河区", phone="020-1", roadside_phone="020-2", timezone="Asia/Shanghai",
        language="zh-Hans", country="CN", currency="CNY", quiet_start=time(21), quiet_end=time(8),
    )
    session.add(store)
    session.flush()
    return store


@pytest.fixture
def world(sessions):
    """A store with one bay, one advisor, one customer and a vehicle; returns their ids."""
    with transaction(sessions) as session:
        store = _store(session)
        bay = ServiceBay(store_id=store.id, code="B1", name="1号工位")
        advisor = Staff(store_id=store.id, username="li", display_name="李顾问", role="advisor")
        customer = Customer(name="张先生", phone="13812345678")
        session.add_all([bay, advisor, customer])
        session.flush()
        vehicle = Vehicle(customer_id=customer.id, plate="粤B12345", make="Toyota", model="Camry")
        session.add(vehicle)
        session.flush()
        return {"store": store.id, "bay": bay.id, "advisor": advisor.id,
                "customer": customer.id, "vehicle": vehicle.id}


def _appointment(world, reference: str, start: datetime) -> Appointment:
    return Appointment(
        reference=reference, store_id=world["store"], customer_id=world["customer"],
        vehicle_id=world["vehicle"], bay_id=world["bay"], starts_at=start,
        ends_at=start + timedelta(minutes=60),
    )


def _book(sessions, world, reference: str, start: datetime, slots: int = 2) -> None:
    with transaction(sessions) as session:
        appointment = _appointment(world, reference, start)
        appointment.reservations = [
            BayReservation(bay_id=world["bay"], slot_start=start + timedelta(minutes=30 * i))
            for i in range(slots)
        ]
        session.add(appointment)


def test_one_bay_cannot_be_booked_twice_for_the_same_slot(sessions, world):
    _book(sessions, world, "AP-20261201-0001", T0)
    with pytest.raises(IntegrityError):
        # Overlaps the second half of the first booking.
        _book(sessions, world, "AP-20261201-0002", T0 + timedelta(minutes=30))
    with sessions() as session:
        refs = session.execute(select(Appointment.reference)).scalars().all()
    assert refs == ["AP-20261201-0001"]


def test_adjacent_bookings_of_one_bay_are_fine(sessions, world):
    _book(sessions, world, "AP-20261201-0001", T0)
    _book(sessions, world, "AP-20261201-0002", T0 + timedelta(minutes=60))
    with sessions() as session:
        assert len(session.execute(select(BayReservation)).scalars().all()) == 4


def test_one_vehicle_per_plate(sessions, world):
    with pytest.raises(IntegrityError):
        with transaction(sessions) as session:
            session.add(Vehicle(customer_id=world["customer"], plate="粤B12345", make="BYD", model="Han"))


def test_references_are_unique(sessions, world):
    _book(sessions, world, "AP-20261201-0001", T0, slots=0)
    with pytest.raises(IntegrityError):
        _book(sessions, world, "AP-20261201-0001", T0 + timedelta(days=1), slots=0)


@pytest.mark.parametrize("field, value", [("status", "lost"), ("transport", "teleport")])
def test_unknown_appointment_statuses_are_refused(sessions, world, field, value):
    with pytest.raises(IntegrityError):
        with transaction(sessions) as session:
            appointment = _appointment(world, "AP-20261201-0009", T0)
            setattr(appointment, field, value)
            session.add(appointment)


def test_an_appointment_cannot_end_before_it_starts(sessions, world):
    with pytest.raises(IntegrityError):
        with transaction(sessions) as session:
            appointment = _appointment(world, "AP-20261201-0009", T0)
            appointment.ends_at = T0 - timedelta(minutes=30)
            session.add(appointment)


def test_repair_order_status_must_be_a_known_stage(sessions, world):
    with pytest.raises(IntegrityError):
        with transaction(sessions) as session:
            session.add(RepairOrder(
                reference="RO-20261201-0001", store_id=world["store"], customer_id=world["customer"],
                vehicle_id=world["vehicle"], status="teleported", opened_at=T0,
            ))


def test_foreign_keys_are_enforced(sessions, world):
    with pytest.raises(IntegrityError):
        with transaction(sessions) as session:
            session.add(Vehicle(customer_id=999_999, plate="粤A00001", make="VW", model="Lavida"))


def test_required_values_cannot_be_missing(sessions, world):
    with pytest.raises(IntegrityError):
        with transaction(sessions) as session:
            session.add(Vehicle(customer_id=world["customer"], plate=None, make="VW", model="Lavida"))


def test_only_one_open_handoff_per_conversation(sessions, world):
    with transaction(sessions) as session:
        session.add(Handoff(conversation_key="tg:1", staff_id=world["advisor"], started_at=T0,
                            ended_at=T0 + timedelta(minutes=5)))
        session.add(Handoff(conversation_key="tg:1", staff_id=world["advisor"], started_at=T0))
    with pytest.raises(IntegrityError):
        with transaction(sessions) as session:
            session.add(Handoff(conversation_key="tg:1", staff_id=world["advisor"], started_at=T0))


def test_instants_keep_their_meaning_across_the_database(sessions, world):
    shanghai_ten = datetime.fromisoformat("2026-12-01T10:00:00+08:00")
    _book(sessions, world, "AP-20261201-0001", shanghai_ten, slots=0)
    with sessions() as session:
        stored = session.execute(select(Appointment.starts_at)).scalar_one()
    assert stored == shanghai_ten
    assert stored.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(sessions, world):
    with pytest.raises(StatementError):
        _book(sessions, world, "AP-20261201-0001", datetime(2026, 12, 1, 10, 0), slots=0)


def test_vin_must_have_seventeen_characters(sessions, world):
    with pytest.raises(IntegrityError):
        with transaction(sessions) as session:
            session.add(Vehicle(customer_id=world["customer"], plate="粤A00002", vin="LSVAU2180N21",
                                make="VW", model="Lavida", purchase_date=date(2024, 5, 1)))
