"""When a store can take a car: opening hours, holidays, bays, lead time and horizon.

Times outside this module are timezone-aware instants; inside, a store's own calendar
(its timezone, its 30-minute grid) decides. Nothing here writes: booking is in
aftersales/appointments.py, where the database has the last word on a free bay.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales.models import BayReservation, ServiceBay, ServiceType, Store

ALTERNATIVES = 3
SEARCH_DAYS = 14  # how far past the wanted day alternatives are looked for


@dataclass(frozen=True)
class Closure:
    """Why a store is shut on a day: "weekly" (e.g. Sunday) or "holiday" (with its name)."""

    kind: str
    name: str | None = None
    name_en: str | None = None


@dataclass
class Availability:
    """The answer to "can I come then?": the slot, or why not and the nearest free slots."""

    start: datetime | None
    reason: str | None = None  # past, too_soon, beyond_horizon, closed, outside_hours, full, none_free
    closure: Closure | None = None
    alternatives: list[datetime] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.start is not None and self.reason is None


class Calendar:
    """One store's opening days and its slot grid, in the store's own timezone."""

    def __init__(self, store: Store):
        self.store = store
        self.tz = ZoneInfo(store.timezone)
        self.slot = timedelta(minutes=store.slot_minutes)
        self.hours = {row.weekday: (row.opens, row.closes) for row in store.opening_hours}
        self.holidays = {h.day: h for h in store.holidays}

    def local_day(self, instant: datetime) -> date:
        return instant.astimezone(self.tz).date()

    def instant(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(timezone.utc)

    def closure(self, day: date) -> Closure | None:
        if day in self.holidays:
            holiday = self.holidays[day]
            return Closure("holiday", holiday.name, holiday.name_en)
        if day.weekday() not in self.hours:
            return Closure("weekly")
        return None

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """Opening and closing instants of a day, or None when closed."""
        if self.closure(day):
            return None
        opens, closes = self.hours[day.weekday()]
        return self.instant(day, opens), self.instant(day, closes)

    def starts(self, day: date, minutes: int) -> list[datetime]:
        """Every grid start of a day at which `minutes` of work ends by closing time."""
        window = self.window(day)
        if window is None:
            return []
        opens, closes = window
        length = timedelta(minutes=minutes)
        result, start = [], opens
        while start + length <= closes:
            result.append(start)
            start += self.slot
        return result

    def slots_of(self, start: datetime, minutes: int) -> list[datetime]:
        """The grid slots [start, start + minutes) occupies."""
        count = -(-minutes // self.store.slot_minutes)
        return [start + k * self.slot for k in range(count)]

    def earliest(self, now: datetime) -> datetime:
        return now + timedelta(minutes=self.store.min_lead_minutes)

    def last_day(self, now: datetime) -> date:
        return self.local_day(now) + timedelta(days=self.store.horizon_days)


def bay_minutes(services: list[ServiceType], slot_minutes: int = 30) -> int:
    """Bay time a visit needs: the bay services' durations, rounded up to whole slots.

    A visit of services that need no bay (a wash, a pickup) still takes one slot, the time
    an advisor spends receiving the car.
    """
    total = sum(s.duration_minutes for s in services if s.needs_bay)
    return max(slot_minutes, -(-total // slot_minutes) * slot_minutes)


def active_bays(session: Session, store: Store) -> list[int]:
    query = select(ServiceBay.id).where(ServiceBay.store_id == store.id, ServiceBay.active)
    return list(session.execute(query.order_by(ServiceBay.code)).scalars())


def taken_slots(session: Session, bays: list[int], since: datetime, until: datetime) -> set:
    """(bay id, slot start) pairs already reserved between two instants."""
    query = select(BayReservation.bay_id, BayReservation.slot_start).where(
        BayReservation.bay_id.in_(bays),
        BayReservation.slot_start >= since,
        BayReservation.slot_start < until,
    )
    return {(bay, start) for bay, start in session.execute(query)}


def free_bay(calendar: Calendar, bays: list[int], taken: set, start: datetime, minutes: int):
    """The first bay free for every slot of the visit, or None."""
    slots = calendar.slots_of(start, minutes)
    for bay in bays:
        if all((bay, slot) not in taken for slot in slots):
            return bay
    return None


def free_starts(
    session: Session,
    store: Store,
    minutes: int,
    day: date,
    now: datetime,
    between: tuple[datetime, datetime] | None = None,
) -> list[datetime]:
    """Bookable starts of one local day (optionally inside a part of it), earliest first."""
    calendar = Calendar(store)
    if day > calendar.last_day(now):
        return []
    starts = [s for s in calendar.starts(day, minutes) if s >= calendar.earliest(now)]
    if between is not None:
        starts = [s for s in starts if between[0] <= s < between[1]]
    if not starts:
        return []
    bays = active_bays(session, store)
    taken = taken_slots(session, bays, starts[0], starts[-1] + timedelta(minutes=minutes))
    return [s for s in starts if free_bay(calendar, bays, taken, s, minutes) is not None]


def nearest_free(
    session: Session,
    store: Store,
    minutes: int,
    wanted: datetime,
    now: datetime,
    count: int = ALTERNATIVES,
) -> list[datetime]:
    """The free starts nearest a wanted time: that day first (closest first), then later days."""
    calendar = Calendar(store)
    day = max(calendar.local_day(wanted), calendar.local_day(now))
    same_day = free_starts(session, store, minutes, day, now)
    found = sorted(same_day, key=lambda s: (abs(s - wanted), s))[:count]
    for offset in range(1, SEARCH_DAYS + 1):
        if len(found) >= count:
            break
        found += free_starts(session, store, minutes, day + timedelta(days=offset), now)
    return found[:count]


def check(
    session: Session, store: Store, minutes: int, wanted: datetime, now: datetime
) -> Availability:
    """Whether a visit of `minutes` can start at `wanted`; if not, why, and what instead."""
    calendar = Calendar(store)
    day = calendar.local_day(wanted)
    reason, closure = _refusal(calendar, wanted, minutes, now)
    if reason is None:
        bays = active_bays(session, store)
        taken = taken_slots(session, bays, wanted, wanted + timedelta(minutes=minutes))
        if free_bay(calendar, bays, taken, wanted, minutes) is not None:
            return Availability(start=wanted)
        reason = "full"
    if reason == "beyond_horizon":
        return Availability(None, reason)
    alternatives = nearest_free(session, store, minutes, max(wanted, now), now)
    if reason == "full" and not free_starts(session, store, minutes, day, now):
        reason = "day_full"
    return Availability(None, reason, closure, alternatives)


def _refusal(calendar: Calendar, wanted: datetime, minutes: int, now: datetime):
    """The first rule a wanted start breaks, as (reason, closure), or (None, None)."""
    day = calendar.local_day(wanted)
    if wanted < now:
        return "past", None
    if day > calendar.last_day(now):
        return "beyond_horizon", None
    closure = calendar.closure(day)
    if closure is not None:
        return "closed", closure
    if wanted not in calendar.starts(day, minutes):
        return "outside_hours", None
    if wanted < calendar.earliest(now):
        return "too_soon", None
    return None, None


def check_day(
    session: Session,
    store: Store,
    minutes: int,
    day: date,
    now: datetime,
    between: tuple[datetime, datetime] | None = None,
) -> Availability:
    """For "明天" or "明天下午": the free starts of that day (or part of it) as alternatives."""
    calendar = Calendar(store)
    if day < calendar.local_day(now):
        return Availability(None, "past", alternatives=nearest_free(session, store, minutes, now, now))
    if day > calendar.last_day(now):
        return Availability(None, "beyond_horizon")
    closure = calendar.closure(day)
    free = free_starts(session, store, minutes, day, now, between)
    if free:
        return Availability(None, None, alternatives=free)
    wanted = between[0] if between else calendar.instant(day, time(0))
    alternatives = nearest_free(session, store, minutes, max(wanted, now), now)
    return Availability(None, "closed" if closure else "day_full", closure, alternatives)
