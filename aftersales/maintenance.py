"""What a car needs and when: the dealer's schedule (maintenance_items) applied to a mileage
or to a vehicle's history."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.models import MaintenanceItem, Vehicle

KM_TOLERANCE = 1000  # "30000公里" also means 29,400 or 30,800 on the clock
DEFAULT_KM_PER_DAY = 40  # a Chinese family car's typical 15,000 km a year
NEVER = 999  # months: an item the model family does not have (an EV's oil change)


@dataclass(frozen=True)
class Due:
    item: MaintenanceItem
    on: date | None  # when it falls due by time or by estimated mileage
    at_km: int | None


def schedule(session: Session, model_family: str | None = None) -> list[MaintenanceItem]:
    """The default items, each replaced by the model family's own where the dealer set one."""
    rows = session.execute(select(MaintenanceItem).order_by(MaintenanceItem.id)).scalars().all()
    own = {r.code: r for r in rows if model_family and r.model_family == model_family}
    items = [own.get(r.code, r) for r in rows if r.model_family is None]
    return [i for i in items if (i.month_interval or 0) < NEVER]


def due_at_km(items: list[MaintenanceItem], km: int) -> list[MaintenanceItem]:
    """Items whose km interval comes round at this mileage (within the tolerance)."""
    found = []
    for item in items:
        if item.km_interval and km >= item.km_interval - KM_TOLERANCE:
            off = km % item.km_interval
            if min(off, item.km_interval - off) <= KM_TOLERANCE:
                found.append(item)
    return found


def time_only(items: list[MaintenanceItem]) -> list[MaintenanceItem]:
    return [i for i in items if not i.km_interval and i.month_interval]


def km_per_day(vehicle: Vehicle) -> float:
    """The car's average daily distance since purchase (a sensible default when unknown)."""
    if vehicle.purchase_date and vehicle.mileage_recorded_on and vehicle.mileage_km:
        days = (vehicle.mileage_recorded_on - vehicle.purchase_date).days
        if days >= 30:
            return vehicle.mileage_km / days
    return DEFAULT_KM_PER_DAY


def estimated_km(vehicle: Vehicle, today: date) -> int:
    recorded = vehicle.mileage_recorded_on or today
    return int(vehicle.mileage_km + km_per_day(vehicle) * max(0, (today - recorded).days))


def next_due(vehicle: Vehicle, items: list[MaintenanceItem], today: date) -> list[Due]:
    """Each item's next due date (by months or by estimated km, whichever first), soonest first.

    The last service is taken to have done what was due then: an item's next due mileage is
    the next multiple of its interval past the last service's mileage.
    """
    last_km = vehicle.last_service_km or 0
    last_day = vehicle.last_service_date or vehicle.purchase_date or today
    now_km, rate = estimated_km(vehicle, today), km_per_day(vehicle)
    found = []
    for item in items:
        candidates = []
        at_km = None
        if item.km_interval:
            at_km = (last_km // item.km_interval + 1) * item.km_interval
            candidates.append(today + timedelta(days=max(0, (at_km - now_km) / rate)))
        if item.month_interval:
            candidates.append(add_months(last_day, item.month_interval))
        found.append(Due(item, min(candidates) if candidates else None, at_km))
    return sorted(found, key=lambda d: d.on or date.max)


def next_visit(vehicle: Vehicle, items: list[MaintenanceItem], today: date, window_days: int = 30) -> list[Due]:
    """What the next visit should cover: the soonest item and all due within a month of it."""
    dues = [d for d in next_due(vehicle, items, today) if d.on]
    if not dues:
        return []
    first = dues[0].on
    return [d for d in dues if d.on <= first + timedelta(days=window_days)]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
