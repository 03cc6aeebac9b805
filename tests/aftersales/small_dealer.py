"""A small store built for booking tests: its hours, bays and menu are spelled out here.

Open Monday to Saturday 08:30-18:00 in Guangzhou, closed Sundays and on a holiday on
Wednesday 2026-12-02; two bays; two advisors; 30-minute grid, 2-hour lead, 60-day horizon.
"Now" is Monday 2026-11-23 10:00 local.
"""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from aftersales.models import (
    Customer,
    DealerGroup,
    Holiday,
    OpeningHours,
    ServiceBay,
    ServiceType,
    Staff,
    Store,
    Vehicle,
)

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
HOLIDAY = date(2026, 12, 2)


def local(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """An instant in the store's timezone, in November 2026 unless told."""
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


def make_store(session, code: str = "T1", bays: int = 2, pickup_limit: int = 3) -> Store:
    group = DealerGroup(code=f"G-{code}", name="测试集团")
    store = Store(
        group=group, code=code, name="测试店", name_en="Test store", city="广州",
        address="天河路1号", phone="020-00000000", roadside_phone="400-000-0000",
        timezone="Asia/Shanghai", language="zh-Hans", country="CN", currency="CNY",
        quiet_start=time(21, 0), quiet_end=time(8, 0), pickup_daily_limit=pickup_limit,
    )
    store.opening_hours = [OpeningHours(weekday=d, opens=time(8, 30), closes=time(18, 0)) for d in range(6)]
    store.holidays = [Holiday(day=HOLIDAY, name="培训日", name_en="Training day")]
    store.bays = [ServiceBay(code=f"B{n}", name=f"工位{n}", active=True) for n in range(1, bays + 1)]
    store.staff = [
        Staff(username=f"{code}-a1", display_name="李敏", role="advisor"),
        Staff(username=f"{code}-a2", display_name="陈浩", role="advisor"),
    ]
    store.services = [
        ServiceType(code="minor_service", name="小保养", name_en="Minor service",
                    duration_minutes=60, labour_cents=30000, parts_cents=45000),
        ServiceType(code="brake_pads", name="刹车片", name_en="Brake pads", duration_minutes=90,
                    labour_cents=20000, parts_cents=60000, price_is_estimate=True),
        ServiceType(code="body_paint", name="钣喷", name_en="Body and paint",
                    duration_minutes=480, labour_cents=30000, parts_cents=50000),
        ServiceType(code="car_wash", name="洗车", name_en="Car wash", duration_minutes=30,
                    labour_cents=6000, parts_cents=0, needs_bay=False),
    ]
    session.add(store)
    session.flush()
    return store


def make_customer(session, plate: str, phone: str) -> Vehicle:
    customer = Customer(name="张先生", phone=phone)
    vehicle = Vehicle(owner=customer, plate=plate, make="大众", model="朗逸")
    session.add(vehicle)
    session.flush()
    return vehicle
