"""Seeds the demo dealer (aftersales/demo_data.py) into an empty service database.

`python -m aftersales.seed` migrates the database first, then seeds. Seeding is idempotent:
the demo group's code is unique in the database, so a second run, or a second process racing
the first, writes nothing and reports the dealer as already present.

Every time in the demo is relative to the moment of seeding (see demo_data's docstring), so a
demo seeded today shows cars in the workshop today, appointments tomorrow and a holiday soon.
Times are resolved first, by pure functions that tests can run for any moment (plan_demo),
then written in one transaction.
"""
from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from aftersales import demo_data
from aftersales.models import (
    Appointment,
    AppointmentService,
    BayReservation,
    Complaint,
    ComplaintEvent,
    Customer,
    DealerGroup,
    Holiday,
    OpeningHours,
    RepairOrder,
    RepairOrderEvent,
    RepairOrderItem,
    ServiceBay,
    ServiceType,
    Staff,
    Store,
    Survey,
    Vehicle,
)
from aftersales.privacy import mask_phones_in
from aftersales.references import (
    appointment_reference,
    complaint_reference,
    repair_order_reference,
)
from aftersales.vocab import REPAIR_STAGES

log = logging.getLogger(__name__)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOLIDAY_WINDOW = (-30, 365)  # days around today for which holidays are written
SOON_DAYS = 60  # a closure within this many days is what the demo wants to show
SURVEY_SEND_TIME = time(10, 0)  # local; after every store's quiet hours
# Complaint events that count as the first human response (the bot's acknowledgement does not).
RESPONSE_EVENTS = ("message_out", "taken", "resolved")


# --------------------------------------------------------------------------- calendars


def _hhmm(text: str) -> time:
    return time.fromisoformat(text)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    days = [
        day
        for day in (date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1))
        if day.weekday() == weekday
    ]
    return days[nth - 1] if nth > 0 else days[nth]


def _holiday_starts(rule: dict, years: range) -> Iterator[date]:
    if "starts" in rule:  # lunar-calendar holidays: one listed date per year
        yield from (date.fromisoformat(text) for text in rule["starts"])
        return
    for year in years:
        if "weekday" in rule:
            yield _nth_weekday(year, rule["month"], WEEKDAYS.index(rule["weekday"]), rule["nth"])
        else:
            yield date(year, rule["month"], rule["day"])


def holidays_for(store: dict, today: date) -> dict[date, tuple[str, str | None]]:
    """The store's closed days around today: {day: (name, English name)}.

    When none of them falls on an open day within the next 60 days, the store's fallback
    closure is added, so the demo can always show the bot declining a closed day.
    """
    first, last = today + timedelta(HOLIDAY_WINDOW[0]), today + timedelta(HOLIDAY_WINDOW[1])
    years = range(first.year - 1, last.year + 1)
    found: dict[date, tuple[str, str | None]] = {}
    for rule in store["holidays"]:
        for start in _holiday_starts(rule, years):
            for offset in range(rule.get("days", 1)):
                day = start + timedelta(offset)
                if not first <= day <= last:
                    continue
                if day in found:  # e.g. Mid-Autumn on a National Day holiday: one row, both names
                    name, name_en = found[day]
                    found[day] = (
                        f"{name}、{rule['name']}",
                        " / ".join(n for n in (name_en, rule.get("name_en")) if n) or None,
                    )
                else:
                    found[day] = (rule["name"], rule.get("name_en"))
    open_weekdays = {WEEKDAYS.index(day) for day in store["opening_hours"]}
    soon = [
        day for day in found
        if 0 <= (day - today).days <= SOON_DAYS and day.weekday() in open_weekdays
    ]
    fallback = store.get("closure_if_none_soon")
    if not soon and fallback and open_weekdays:
        candidates = [
            today + timedelta(fallback["days_ahead"] + offset) for offset in range(SOON_DAYS)
        ]
        candidates = [d for d in candidates if d not in found and d.weekday() in open_weekdays]
        # A mid-week day if there is one: closing next to a weekend looks like a long weekend.
        day = next((d for d in candidates if d.weekday() in (1, 2, 3)), candidates[0])
        found[day] = (fallback["name"], fallback.get("name_en"))
    return dict(sorted(found.items()))


class StoreClock:
    """A store's local calendar: when it is open, and what the demo's relative times mean."""

    def __init__(self, store: dict, now: datetime):
        self.store = store
        self.tz = ZoneInfo(store["timezone"])
        self.now = now.astimezone(timezone.utc)
        self.today = self.now.astimezone(self.tz).date()
        self.slot = timedelta(minutes=store["slot_minutes"])
        self.hours = {
            WEEKDAYS.index(day): (_hhmm(opens), _hhmm(closes))
            for day, (opens, closes) in store["opening_hours"].items()
        }
        self.holidays = holidays_for(store, self.today)

    def local(self, day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=self.tz).astimezone(timezone.utc)

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """Opening and closing instants of a day, or None when the store is closed."""
        if day in self.holidays or day.weekday() not in self.hours:
            return None
        opens, closes = self.hours[day.weekday()]
        return self.local(day, opens), self.local(day, closes)

    def fits(self, start: datetime, end: datetime) -> bool:
        window = self.window(start.astimezone(self.tz).date())
        return window is not None and window[0] <= start and end <= window[1]

    def open_day(self, n: int, at: time | None = None, minutes: int = 0) -> date:
        """The n-th open day after (n > 0) or before (n < 0) today.

        With `at`, only days on which [at, at + minutes] lies inside the opening hours count
        (appointments); without, any day the store opens does (a customer may write at night).
        """
        if n == 0:
            return self.today
        step = timedelta(1 if n > 0 else -1)
        day, count = self.today, 0
        for _ in range(800):
            day += step
            if at is None:
                ok = self.window(day) is not None
            else:
                start = self.local(day, at)
                ok = self.fits(start, start + timedelta(minutes=minutes))
            if ok:
                count += 1
                if count == abs(n):
                    return day
        raise ValueError(f"store {self.store['code']} has no open day {n} from {self.today}")

    def working_hours_from_now(self, hours: float) -> datetime:
        """Moves through opening time only: -2 is two hours of opening time before now."""
        remaining = timedelta(hours=abs(hours))
        forward = hours >= 0
        cursor = self.now
        day = cursor.astimezone(self.tz).date()
        for _ in range(800):
            window = self.window(day)
            if window:
                opens, closes = window
                if forward and max(opens, cursor) < closes:
                    begin = max(opens, cursor)
                    if remaining <= closes - begin:
                        return begin + remaining
                    remaining -= closes - begin
                elif not forward and min(closes, cursor) > opens:
                    end = min(closes, cursor)
                    if remaining <= end - opens:
                        return end - remaining
                    remaining -= end - opens
            day += timedelta(1 if forward else -1)
        raise ValueError(f"store {self.store['code']} is never open")

    def at(self, spec: Any, minutes: int | None = None) -> datetime:
        """A demo time: working hours from now (a number) or (open day, "HH:MM").

        With `minutes`, the day is one on which that much time from "HH:MM" fits the hours.
        """
        if isinstance(spec, (int, float)):
            return self.working_hours_from_now(spec)
        n, clock = spec
        start = _hhmm(clock)
        day = self.open_day(n, start if minutes is not None else None, minutes or 0)
        return self.local(day, start)

    def slot_floor(self, instant: datetime) -> datetime:
        local = instant.astimezone(self.tz)
        minutes = local.hour * 60 + local.minute
        floored = minutes - minutes % (self.slot.seconds // 60)
        return self.local(local.date(), time(floored // 60, floored % 60))


# --------------------------------------------------------------------------- the plan


@dataclass
class OrderPlan:
    spec: dict
    events: list[tuple[str, datetime, str | None]]
    eta: datetime | None
    appointment: AppointmentPlan | None = None

    @property
    def opened_at(self) -> datetime:
        return self.events[0][1]

    @property
    def status(self) -> str:
        return self.events[-1][0]

    def stage_time(self, stage: str) -> datetime | None:
        return next((at for status, at, _ in self.events if status == stage), None)


@dataclass
class AppointmentPlan:
    spec: dict
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    cancelled_at: datetime | None = None
    slots: list[datetime] = field(default_factory=list)


@dataclass
class ComplaintPlan:
    spec: dict
    events: list[tuple[str, datetime, str, str | None]]
    first_response_due: datetime
    resolution_due: datetime

    @property
    def created_at(self) -> datetime:
        return self.events[0][1]

    def first(self, kinds: tuple[str, ...]) -> datetime | None:
        return next((at for kind, at, _, _ in self.events if kind in kinds), None)


@dataclass
class SurveyPlan:
    spec: dict
    sent_at: datetime
    answered_at: datetime


@dataclass
class DemoPlan:
    now: datetime
    clocks: dict[str, StoreClock]
    orders: list[OrderPlan]
    appointments: list[AppointmentPlan]  # the standalone ones; orders carry their own
    complaints: list[ComplaintPlan]
    surveys: list[SurveyPlan]


def _bay_minutes(store: dict, codes: list[str]) -> int:
    minutes = {row[0]: row[3] for row in store["services"]}
    unknown = [code for code in codes if code not in minutes]
    if unknown:
        raise ValueError(f"store {store['code']} offers no service {unknown}")
    total = sum(minutes[code] for code in codes if code not in demo_data.NO_BAY_SERVICES)
    slot = store["slot_minutes"]
    if total <= 0:
        raise ValueError(f"appointment for {codes} occupies no bay time")
    return -(-total // slot) * slot


def _plan_order(clock: StoreClock, spec: dict) -> OrderPlan:
    events = [(stage, clock.at(when), note) for stage, when, note in spec["timeline"]]
    stages = [stage for stage, _, _ in events]
    if stages != list(REPAIR_STAGES[: len(stages)]):
        raise ValueError(f"order {spec['key']}: timeline {stages} is not the stage flow")
    _check_increasing(spec["key"], [at for _, at, _ in events], clock.now)
    eta = clock.at(spec["eta"]) if spec.get("eta") is not None else None
    if eta is not None and eta > clock.now:
        eta = _ceil_to_slot(clock, eta)
    plan = OrderPlan(spec, events, eta)
    if spec.get("booked_via"):
        start = clock.slot_floor(plan.opened_at)
        minutes = _bay_minutes(clock.store, spec["services"])
        plan.appointment = AppointmentPlan(
            spec={
                "store": spec["store"], "plate": spec["plate"], "status": _appointment_status(plan),
                "services": spec["services"], "bay": spec.get("bay"), "advisor": spec["advisor"],
                "transport": spec.get("transport", "wait"), "channel": spec["booked_via"],
            },
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            created_at=start - timedelta(days=2),
        )
    return plan


def _appointment_status(order: OrderPlan) -> str:
    return "completed" if order.status == "delivered" else "checked_in"


def _ceil_to_slot(clock: StoreClock, instant: datetime) -> datetime:
    floored = clock.slot_floor(instant)
    ceiled = floored if floored == instant else floored + clock.slot
    window = clock.window(ceiled.astimezone(clock.tz).date())
    return ceiled if window and ceiled <= window[1] else instant


def _check_increasing(what: str, instants: list[datetime], now: datetime) -> None:
    if any(later < earlier for earlier, later in zip(instants, instants[1:])):
        raise ValueError(f"{what}: times go backwards: {instants}")
    if instants and instants[-1] > now:
        raise ValueError(f"{what}: {instants[-1]} is after now ({now})")


def _plan_appointment(clock: StoreClock, spec: dict) -> AppointmentPlan:
    minutes = _bay_minutes(clock.store, spec["services"])
    starts = clock.at(spec["at"], minutes)
    ends = starts + timedelta(minutes=minutes)
    plan = AppointmentPlan(spec, starts, ends, created_at=clock.at(spec["booked"]))
    if spec.get("cancelled") is not None:
        plan.cancelled_at = clock.at(spec["cancelled"])
    if spec["status"] == "booked":
        lead = timedelta(minutes=clock.store["min_lead_minutes"])
        if starts < clock.now + lead or not clock.fits(starts, ends):
            raise ValueError(f"booked appointment {spec['plate']} at {starts} is not bookable")
        plan.slots = [starts + k * clock.slot for k in range(minutes // (clock.slot.seconds // 60))]
    elif ends > clock.now:
        raise ValueError(f"{spec['status']} appointment {spec['plate']} lies in the future")
    changes = [plan.created_at] + ([plan.cancelled_at] if plan.cancelled_at else [])
    _check_increasing(f"appointment {spec['plate']}", changes, clock.now)
    return plan


def _plan_complaint(clock: StoreClock, spec: dict) -> ComplaintPlan:
    events = [(kind, clock.at(when), actor, detail) for kind, when, actor, detail in spec["events"]]
    if events[0][0] != "created":
        raise ValueError(f"complaint {spec['description'][:20]}: the first event must be 'created'")
    _check_increasing("complaint", [at for _, at, _, _ in events], clock.now)
    created = events[0][1]
    return ComplaintPlan(
        spec,
        events,
        first_response_due=created + timedelta(minutes=clock.store["first_response_minutes"]),
        resolution_due=created + timedelta(days=clock.store["resolution_days"]),
    )


def _plan_survey(clock: StoreClock, spec: dict, order: OrderPlan) -> SurveyPlan:
    delivered = order.stage_time("delivered")
    if delivered is None:
        raise ValueError(f"survey for {spec['order']}: the order is not delivered")
    day = delivered.astimezone(clock.tz).date() + timedelta(clock.store["followup_days"])
    sent = clock.local(day, SURVEY_SEND_TIME)
    answered = sent + timedelta(hours=spec["answered_after_hours"])
    _check_increasing(f"survey for {spec['order']}", [delivered, sent, answered], clock.now)
    return SurveyPlan(spec, sent, answered)


def plan_demo(now: datetime | None = None) -> DemoPlan:
    """Resolves every relative time of the demo data against `now` and checks it.

    Pure: no database. Raises ValueError when the data cannot make sense at this moment
    (a timeline going backwards, an upcoming appointment outside opening hours).
    """
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    clocks = {store["code"]: StoreClock(store, now) for store in demo_data.STORES}
    orders = [_plan_order(clocks[spec["store"]], spec) for spec in demo_data.REPAIR_ORDERS]
    by_key = {order.spec["key"]: order for order in orders}
    return DemoPlan(
        now=now,
        clocks=clocks,
        orders=orders,
        appointments=[_plan_appointment(clocks[s["store"]], s) for s in demo_data.APPOINTMENTS],
        complaints=[_plan_complaint(clocks[s["store"]], s) for s in demo_data.COMPLAINTS],
        surveys=[
            _plan_survey(clocks[by_key[s["order"]].spec["store"]], s, by_key[s["order"]])
            for s in demo_data.SURVEYS
        ],
    )


# --------------------------------------------------------------------------- writing


def _cents(amount) -> int:
    return int((Decimal(str(amount)) * 100).to_integral_value())


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass
class _Lookups:
    stores: dict[str, Store] = field(default_factory=dict)
    bays: dict[tuple[str, str], ServiceBay] = field(default_factory=dict)
    staff: dict[str, Staff] = field(default_factory=dict)
    services: dict[tuple[str, str], ServiceType] = field(default_factory=dict)
    vehicles: dict[str, Vehicle] = field(default_factory=dict)
    orders: dict[str, RepairOrder] = field(default_factory=dict)

    def actor(self, name: str) -> str:
        """Staff usernames become display names; 'bot' and 'customer' stay as they are."""
        member = self.staff.get(name)
        return member.display_name if member else name


def seed_demo(sessions: sessionmaker, now: datetime | None = None) -> bool:
    """Creates the demo dealer in one transaction; False (nothing written) if it exists.

    A racing process is stopped by the unique group code: its insert fails once the first
    commits, and it rolls back everything. Any other integrity error is a real conflict with
    the database's data and is raised.
    """
    with sessions() as session:
        if _demo_present(session):
            return False
        plan = plan_demo(now)
        password, generated = console_password()
        try:
            with session.begin():
                _write(session, plan)
                _set_console_passwords(session, password)
        except IntegrityError:
            session.rollback()
            if _demo_present(session):
                log.info("demo dealer was seeded by another process meanwhile")
                return False
            raise
    _announce_console_logins(password if generated else None)
    return True


def console_password() -> tuple[str, bool]:
    """CONSOLE_DEMO_PASSWORD, or a fresh random password (True: generated, to be printed once)."""
    import os
    import secrets

    configured = os.environ.get(demo_data.CONSOLE_PASSWORD_ENV, "")
    if configured:
        return configured, False
    return secrets.token_urlsafe(12), True


def _set_console_passwords(session: Session, password: str) -> None:
    from aftersales import staff_auth

    members = session.execute(
        select(Staff).join(Store).join(DealerGroup)
        .where(DealerGroup.code == demo_data.GROUP["code"], Staff.role.in_(demo_data.CONSOLE_ROLES))
    ).scalars()
    for member in members:
        staff_auth.set_password(member, password)


def _announce_console_logins(generated_password: str | None) -> None:
    """Printed (not logged): a generated password is shown to the person starting the demo once,
    and kept out of log files."""
    usernames = [username for store in demo_data.STORES
                 for username, _, _, role in store["staff"] if role in demo_data.CONSOLE_ROLES]
    if generated_password is None:
        print(f"console logins: {', '.join(usernames)} (password from {demo_data.CONSOLE_PASSWORD_ENV})",
              flush=True)
        return
    for username in usernames:
        print(f"console login: {username} / {generated_password}", flush=True)
    print(f"(shown once; set {demo_data.CONSOLE_PASSWORD_ENV} before seeding to choose the password, or run "
          "`python -m aftersales.staff_auth set-password USERNAME`)", flush=True)


def _demo_present(session: Session) -> bool:
    query = select(DealerGroup.id).where(DealerGroup.code == demo_data.GROUP["code"])
    present = session.execute(query).first() is not None
    session.rollback()  # end the read, so a concurrent seeder's commit is seen next time
    return present


def _write(session: Session, plan: DemoPlan) -> None:
    group = DealerGroup(**demo_data.GROUP)
    session.add(group)
    session.flush()  # a racing seeder stops here, on the unique code
    found = _Lookups()
    for spec in demo_data.STORES:
        _write_store(session, group, spec, plan.clocks[spec["code"]], found)
    for spec in demo_data.CUSTOMERS:
        _write_customer(session, spec, plan.clocks[spec["store"]], found)
    session.flush()
    for order in sorted(plan.orders, key=lambda o: o.opened_at):
        _write_order(session, plan.clocks[order.spec["store"]], order, found)
    for appointment in sorted(plan.appointments, key=lambda a: a.starts_at):
        _write_appointment(session, plan.clocks[appointment.spec["store"]], appointment, found)
    for complaint in sorted(plan.complaints, key=lambda c: c.created_at):
        _write_complaint(session, plan.clocks[complaint.spec["store"]], complaint, found)
    for survey in plan.surveys:
        _write_survey(session, survey, found)


def _write_store(
    session: Session, group: DealerGroup, spec: dict, clock: StoreClock, found: _Lookups
) -> None:
    settings = {
        key: spec[key]
        for key in (
            "code", "name", "name_en", "city", "address", "address_en", "phone", "roadside_phone",
            "timezone", "language", "country", "currency", "latitude", "longitude",
            "slot_minutes", "min_lead_minutes", "horizon_days", "wait_daily_limit",
            "drop_off_daily_limit", "pickup_daily_limit", "first_response_minutes",
            "resolution_days", "followup_days",
        )
    }
    for key in ("goodwill_wait_minutes", "goodwill_offer", "goodwill_offer_en"):
        settings[key] = spec.get(key)
    quiet_start, quiet_end = spec["quiet_hours"]
    store = Store(group_id=group.id, quiet_start=_hhmm(quiet_start), quiet_end=_hhmm(quiet_end), **settings)
    for weekday, (opens, closes) in clock.hours.items():
        store.opening_hours.append(OpeningHours(weekday=weekday, opens=opens, closes=closes))
    for day, (name, name_en) in clock.holidays.items():
        store.holidays.append(Holiday(day=day, name=name, name_en=name_en))
    for code, name in spec["bays"]:
        store.bays.append(ServiceBay(code=code, name=name, active=True))
    joined = clock.now - timedelta(days=365)
    for username, display_name, display_name_en, role in spec["staff"]:
        member = Staff(
            username=username, display_name=display_name, display_name_en=display_name_en,
            role=role, password_hash=None, active=True, created_at=joined,
        )
        store.staff.append(member)
        found.staff[username] = member
    for code, name, name_en, minutes, labour, parts, estimate in spec["services"]:
        service = ServiceType(
            code=code, name=name, name_en=name_en, duration_minutes=minutes,
            labour_cents=_cents(labour), parts_cents=_cents(parts), price_is_estimate=estimate,
            needs_bay=code not in demo_data.NO_BAY_SERVICES, active=True,
        )
        store.services.append(service)
        found.services[(spec["code"], code)] = service
    session.add(store)
    session.flush()
    found.stores[spec["code"]] = store
    for bay in store.bays:
        found.bays[(spec["code"], bay.code)] = bay


def _write_customer(session: Session, spec: dict, clock: StoreClock, found: _Lookups) -> None:
    vehicles = []
    for car in spec["vehicles"]:
        bought = _months_before(clock.today, car["bought_months_ago"])
        last = car.get("last_service")
        last_date = _months_before(clock.today, last[0]) if last else None
        if "km_recorded_days_ago" in car:
            recorded = clock.today - timedelta(car["km_recorded_days_ago"])
        else:
            recorded = last_date or bought
        vehicles.append(
            Vehicle(
                plate=car["plate"], vin=car["vin"], make=car["make"], model=car["model"],
                model_family=car.get("model_family"), year=bought.year, purchase_date=bought,
                mileage_km=car["km"], mileage_recorded_on=recorded, last_service_date=last_date,
                last_service_km=last[1] if last else None,
                created_at=clock.local(bought, time(10, 0)),
            )
        )
    first_purchase = min(vehicle.purchase_date for vehicle in vehicles)
    customer = Customer(
        name=spec["name"], phone=spec["phone"], language=spec["language"],
        home_store_id=found.stores[spec["store"]].id,
        reminders_opt_in=bool(spec.get("reminders")) and not spec.get("opted_out"),
        status_updates_opt_in=not spec.get("opted_out"),
        opted_out_at=clock.now - timedelta(days=30) if spec.get("opted_out") else None,
        created_at=clock.local(first_purchase, time(10, 0)),
    )
    customer.vehicles.extend(vehicles)
    session.add(customer)
    for vehicle in vehicles:
        found.vehicles[vehicle.plate] = vehicle


def _write_order(session: Session, clock: StoreClock, plan: OrderPlan, found: _Lookups) -> None:
    spec = plan.spec
    vehicle = found.vehicles[spec["plate"]]
    advisor = found.staff[spec["advisor"]]
    appointment = None
    if plan.appointment:
        appointment = _write_appointment(session, clock, plan.appointment, found)
    delivered_at = plan.stage_time("delivered")
    order = RepairOrder(
        reference=repair_order_reference(session, plan.opened_at.astimezone(clock.tz).date()),
        store_id=found.stores[spec["store"]].id,
        customer_id=vehicle.customer_id,
        vehicle_id=vehicle.id,
        advisor_id=advisor.id,
        appointment_id=appointment.id if appointment else None,
        status=plan.status,
        mileage_in_km=vehicle.mileage_km,
        opened_at=plan.opened_at,
        eta=plan.eta,
        delivered_at=delivered_at,
        created_at=plan.opened_at,
    )
    for stage, at, note in plan.events:
        order.events.append(RepairOrderEvent(status=stage, at=at, actor=advisor.display_name, note=note))
    asked_at = plan.stage_time("awaiting_approval") or plan.opened_at
    decided_at = plan.stage_time("waiting_parts")
    for kind, text, text_en, quantity, price, approval, *via in spec["items"]:
        extra = approval != "not_needed"
        decided = approval in ("approved", "declined")
        if decided and decided_at is None:
            raise ValueError(f"order {spec['key']}: item '{text}' decided before approval was asked")
        order.items.append(
            RepairOrderItem(
                kind=kind, description=text, description_en=text_en, quantity=quantity,
                unit_cents=_cents(price), approval=approval,
                decided_at=decided_at if decided else None,
                decided_via=(via[0] if via else "console") if decided else None,
                created_at=asked_at if extra else plan.opened_at,
            )
        )
    session.add(order)
    session.flush()
    found.orders[spec["key"]] = order
    # The odometer was read at reception; a delivered order is the car's latest service.
    opened_day = plan.opened_at.astimezone(clock.tz).date()
    if vehicle.mileage_recorded_on is None or vehicle.mileage_recorded_on < opened_day:
        vehicle.mileage_recorded_on = opened_day
    if delivered_at is not None:
        vehicle.last_service_date = delivered_at.astimezone(clock.tz).date()
        vehicle.last_service_km = vehicle.mileage_km


def _write_appointment(
    session: Session, clock: StoreClock, plan: AppointmentPlan, found: _Lookups
) -> Appointment:
    spec = plan.spec
    vehicle = found.vehicles[spec["plate"]]
    bay = found.bays[(spec["store"], spec["bay"])] if spec.get("bay") else None
    appointment = Appointment(
        reference=appointment_reference(session, plan.starts_at.astimezone(clock.tz).date()),
        store_id=found.stores[spec["store"]].id,
        customer_id=vehicle.customer_id,
        vehicle_id=vehicle.id,
        bay_id=bay.id if bay else None,
        advisor_id=found.staff[spec["advisor"]].id if spec.get("advisor") else None,
        starts_at=plan.starts_at,
        ends_at=plan.ends_at,
        status=spec["status"],
        transport=spec.get("transport", "wait"),
        channel=spec.get("channel"),
        note=spec.get("note"),
        reminder_opt_in=bool(spec.get("reminder")),
        cancelled_at=plan.cancelled_at,
        created_at=plan.created_at,
    )
    for code in spec["services"]:
        appointment.services.append(
            AppointmentService(service_type_id=found.services[(spec["store"], code)].id)
        )
    if plan.slots:
        if bay is None:
            raise ValueError(f"booked appointment {spec['plate']} has no bay")
        for slot in plan.slots:
            appointment.reservations.append(BayReservation(bay_id=bay.id, slot_start=slot))
    session.add(appointment)
    session.flush()
    return appointment


def _write_complaint(session: Session, clock: StoreClock, plan: ComplaintPlan, found: _Lookups) -> None:
    spec = plan.spec
    vehicle = found.vehicles[spec["plate"]]
    order = found.orders[spec["order"]] if spec.get("order") else None
    assignee = found.staff[spec["assignee"]] if spec.get("assignee") else None
    complaint = Complaint(
        reference=complaint_reference(session, plan.created_at.astimezone(clock.tz).year),
        store_id=found.stores[spec["store"]].id,
        customer_id=vehicle.customer_id,
        repair_order_id=order.id if order else None,
        channel=spec["channel"],
        category=spec["category"],
        severity=spec.get("severity", "normal"),
        status=spec["status"],
        description=spec["description"],
        desired_outcome=spec.get("desired_outcome"),
        is_repeat=bool(spec.get("is_repeat")),
        assignee_id=assignee.id if assignee else None,
        first_response_due=plan.first_response_due,
        resolution_due=plan.resolution_due,
        first_response_at=plan.first(RESPONSE_EVENTS),
        resolved_at=plan.first(("resolved",)),
        resolution=spec.get("resolution"),
        created_at=plan.created_at,
    )
    for kind, at, actor, detail in plan.events:
        complaint.events.append(ComplaintEvent(kind=kind, at=at, actor=found.actor(actor), detail=detail))
    session.add(complaint)


def _write_survey(session: Session, plan: SurveyPlan, found: _Lookups) -> None:
    order = found.orders[plan.spec["order"]]
    scores = plan.spec["scores"]
    session.add(
        Survey(
            customer_id=order.customer_id,
            repair_order_id=order.id,
            advisor_score=scores.get("advisor"),
            service_time_score=scores.get("service_time"),
            repair_quality_score=scores.get("repair_quality"),
            price_score=scores.get("price"),
            facilities_score=scores.get("facilities"),
            comment=plan.spec.get("comment"),
            sent_at=plan.sent_at,
            answered_at=plan.answered_at,
        )
    )
    order.followup_sent_at = plan.sent_at


# --------------------------------------------------------------------------- summary and CLI


def demo_summary(session: Session) -> dict[str, int]:
    """Row counts of the demo dealer, for the log line."""
    stores = select(Store.id).join(DealerGroup).where(DealerGroup.code == demo_data.GROUP["code"])

    def count(model, column) -> int:
        return session.execute(select(func.count()).select_from(model).where(column.in_(stores))).scalar_one()

    customers = select(Customer.id).where(Customer.home_store_id.in_(stores))
    return {
        "stores": session.execute(select(func.count()).select_from(stores.subquery())).scalar_one(),
        "bays": count(ServiceBay, ServiceBay.store_id),
        "staff": count(Staff, Staff.store_id),
        "services": count(ServiceType, ServiceType.store_id),
        "customers": count(Customer, Customer.home_store_id),
        "vehicles": session.execute(
            select(func.count()).select_from(Vehicle).where(Vehicle.customer_id.in_(customers))
        ).scalar_one(),
        "appointments": count(Appointment, Appointment.store_id),
        "repair orders": count(RepairOrder, RepairOrder.store_id),
        "complaints": count(Complaint, Complaint.store_id),
        "surveys": session.execute(
            select(func.count()).select_from(Survey).where(Survey.customer_id.in_(customers))
        ).scalar_one(),
    }


def main() -> None:
    from aftersales.db import make_engine, make_sessionmaker
    from aftersales.migrate import upgrade

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line from this command, not ten
    upgrade()
    engine = make_engine()
    try:
        sessions = make_sessionmaker(engine)
        if seed_demo(sessions):
            with sessions() as session:
                counts = demo_summary(session)
            summary = ", ".join(
                f"{value} {name[:-1] if value == 1 and name.endswith('s') else name}"
                for name, value in counts.items()
            )
            logins = ", ".join(
                username for store in demo_data.STORES
                for username, _, _, role in store["staff"] if role == "supervisor"
            )
            # Nothing here should hold a phone number; masking is the safety net.
            log.info(mask_phones_in(f"demo dealer seeded: {summary}; supervisors: {logins}"))
        else:
            log.info("demo dealer already present (group %s); nothing written", demo_data.GROUP["code"])
        from aftersales.knowledge_load import load_all

        load_all(sessions)  # maintenance schedule, warranty terms, symptoms, parts: always current
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
