"""What a customer may ask about a store: where it is, when it opens, how to call it."""
from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from aftersales.models import Store

WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def all_stores(session: Session) -> list[Store]:
    query = select(Store).options(selectinload(Store.opening_hours), selectinload(Store.holidays))
    return list(session.execute(query.order_by(Store.id)).scalars())


def is_english(language: str | None) -> bool:
    return (language or "").startswith("en")


def describe(store: Store, language: str | None, today: date | None = None) -> str:
    """Name, address, phone, opening hours and upcoming closures, in the customer's language."""
    english = is_english(language)
    today = today or datetime.now(ZoneInfo(store.timezone)).date()
    lines = [
        store.name_en if english else store.name,
        (store.address_en or store.address) if english else store.address,
        ("Phone: " if english else "电话：") + store.phone,
        ("Hours: " if english else "营业时间：") + opening_hours_text(store, english),
    ]
    closures = upcoming_closures(store, today, english)
    if closures:
        lines.append(("Closed: " if english else "休息日：") + closures)
    return "\n".join(lines)


def opening_hours_text(store: Store, english: bool) -> str:
    """Days with the same hours grouped: "Mon-Fri 07:30-18:00, Sat 08:00-16:00, Sun closed"."""
    names = WEEKDAYS["en" if english else "zh"]
    open_days = {row.weekday: row for row in store.opening_hours}
    closed = "closed" if english else "休息"
    hours = [
        f"{open_days[d].opens:%H:%M}-{open_days[d].closes:%H:%M}" if d in open_days else closed
        for d in range(7)
    ]
    parts, start = [], 0
    for day in range(1, 8):
        if day == 7 or hours[day] != hours[start]:
            days = names[start] if day - 1 == start else f"{names[start]}{'-' if english else '至'}{names[day - 1]}"
            parts.append(f"{days} {hours[start]}")
            start = day
    return ", ".join(parts) if english else "，".join(parts)


def upcoming_closures(store: Store, today: date, english: bool, days: int = 60) -> str:
    soon = [h for h in store.holidays if 0 <= (h.day - today).days <= days]
    if english:
        return ", ".join(f"{h.day:%b %d} ({h.name_en or h.name})" for h in soon)
    return "，".join(f"{h.day.month}月{h.day.day}日（{h.name}）" for h in soon)


def by_code(stores: list[Store], code: str | None) -> Store | None:
    return next((s for s in stores if code and s.code == code), None)


def mentioned(stores: list[Store], text: str) -> Store | None:
    """A store the text names by code, name or city ("广州", "San Jose"), if exactly one."""
    lowered = (text or "").lower()
    found = [
        s for s in stores
        if any(word and word.lower() in lowered for word in (s.code, s.name, s.name_en, s.city))
    ]
    return found[0] if len(found) == 1 else None


def for_plate(stores: list[Store], plate: str | None) -> list[Store]:
    """The stores that can serve a plate: Chinese plates (粤B12345) the stores in China, other
    plates the stores elsewhere; without a plate, every store."""
    if not plate:
        return list(stores)
    chinese = not plate[0].isascii()
    return [s for s in stores if (s.country == "CN") == chinese] or stores


def serving(stores: list[Store], plate: str | None, home_store_id: int | None) -> Store | None:
    """The store that clearly serves this car: the customer's home store among those for the
    plate's country, or the only such store; None when the customer has to choose."""
    candidates = for_plate(stores, plate)
    home = next((s for s in candidates if s.id == home_store_id), None)
    return home or (candidates[0] if len(candidates) == 1 else None)


def likely(stores: list[Store], plate: str | None, home_store_id: int | None, english: bool) -> Store | None:
    """The store an answer is about when nobody said: the serving one, else by the customer's
    language (English: a store outside China), else the first."""
    return (serving(stores, plate, home_store_id)
            or next((s for s in stores if (s.country == "CN") != english), None)
            or (stores[0] if stores else None))


def nearest(stores: list[Store], latitude: float, longitude: float) -> Store | None:
    """The store closest to a shared location (equirectangular distance is enough here)."""
    located = [s for s in stores if s.latitude is not None and s.longitude is not None]
    if not located:
        return None
    scale = math.cos(math.radians(latitude))
    return min(
        located,
        key=lambda s: (s.latitude - latitude) ** 2 + ((s.longitude - longitude) * scale) ** 2,
    )
