"""The booking conversation: a Rasa form whose every turn is read and checked here.

`validate_booking_form` runs after each customer message while the form is active. It takes
whatever the message says (services, plate, phone, store, time, transport, a note), checks it
against the service database, and books at the confirmation; the database decides whether the
slot is still free. What it accepts it marks with `booking_turn`, so the form goes on; a
message that says nothing for the booking (a price question, "what's your address") is left
to the rules, which answer it and return to the form.
"""
from __future__ import annotations

import json
import re
from abc import ABCMeta, abstractmethod
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import asked_or_skipped, language, saved_or_told, sessions
from aftersales import clock, appointments, capacity, contact_log, customers, reminders, stores
from aftersales import booking_text as text
from aftersales.db import transaction
from aftersales.language import in_script
from aftersales.models import Staff, Store
from nlu.components import time_parser
from nlu.components.patterns import last_four, loose_phone, loose_plate

FORM_INTENTS = {"inform", "book_appointment", "reschedule_appointment", "affirm", "deny", "nlu_fallback"}
BOOKING_SLOTS = (
    "booking_services", "booking_vehicle", "booking_phone", "booking_store", "booking_time",
    "booking_confirmed", "booking_transport", "booking_note", "booking_reminder",
    "booking_time_request", "booking_offered", "booking_turn",
)
NOTE = re.compile(r"^\s*(备注|備註|留言|note)\s*[:：]\s*(?P<note>.+)$", re.IGNORECASE | re.DOTALL)
TRANSPORT_WORDS = {
    "pickup_delivery": ("上门取送", "上門取送", "取送车", "取送車", "pick up", "pickup", "collect"),
    "drop_off": ("放车", "放車", "drop off", "drop-off", "leave the car"),
}
POPULAR = ("minor_service", "major_service", "first_service", "tyre_replacement", "ac_service", "car_wash")
MAX_SLOT_BUTTONS = 8
PROBLEM_PROMPTS = {"mismatch": "phone_mismatch", "locked": "locked", "need_full_phone": "ask_phone"}
# A button the channels turn into "share my location" (Telegram's location button, the browser's
# geolocation); what comes back is /inform{"latitude": ..., "longitude": ...}.
LOCATION = "__location__"


def now() -> datetime:
    return clock.now()


def entities(tracker: Tracker, name: str) -> List[Dict[str, Any]]:
    return [e for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") == name]


def entity(tracker: Tracker, name: str) -> Optional[Any]:
    found = entities(tracker, name)
    return found[-1].get("value") if found else None  # the last one: "不对，改成后天" corrects


def intent(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name") or ""


def utter(dispatcher: CollectingDispatcher, lang: str, message: str, buttons=None) -> None:
    dispatcher.utter_message(
        text=in_script(message, lang),
        buttons=[{"title": in_script(b["title"], lang), "payload": b["payload"]} for b in buttons or []],
    )


def payload(intent_name: str, **values) -> str:
    return f"/{intent_name}{json.dumps(values, ensure_ascii=False)}" if values else f"/{intent_name}"


def slot_buttons(starts: List[datetime], store: Store, lang: str) -> List[Dict[str, str]]:
    tz = ZoneInfo(store.timezone)
    return [
        {"title": text.short_time(s, store, lang), "payload": payload("inform", time=s.astimezone(tz).isoformat())}
        for s in starts[:MAX_SLOT_BUTTONS]
    ]


def wall_clock(value: str, store: Store) -> datetime:
    """An ISO time from the NLU read as the store's local time (the NLU resolves in DEALER_TZ)."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(tzinfo=None).replace(tzinfo=ZoneInfo(store.timezone))


def day_asked(request: Dict[str, Any], store: Store):
    """For "明天" or "明天下午": (the store-local day, the part of it or None); None for an instant."""
    info = request.get("additional_info") or {}
    if info.get("from") and info.get("to"):
        between = (wall_clock(info["from"], store), wall_clock(info["to"], store))
        return between[0].date(), between
    if info.get("grain") in ("day", "week", "month"):
        return wall_clock(request["value"], store).date(), None
    return None


class BookingState:
    """The form's slots as this turn changes them; `changes` become SlotSet events."""

    def __init__(self, tracker: Tracker):
        self.tracker = tracker
        self.changes: Dict[str, Any] = {}

    def get(self, name: str) -> Any:
        return self.changes[name] if name in self.changes else self.tracker.get_slot(name)

    def set(self, name: str, value: Any) -> None:
        self.changes[name] = value

    def events(self) -> List[Dict[str, Any]]:
        turn = (self.tracker.get_slot("booking_turn") or 0) + 1
        self.changes.setdefault("booking_offered", None)  # offered slots are shown once
        return [SlotSet(k, v) for k, v in self.changes.items()] + [SlotSet("booking_turn", turn)]


class ValidateBookingForm(Action):
    def name(self) -> Text:
        return "validate_booking_form"

    @saved_or_told
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        lang = language(tracker)
        state = BookingState(tracker)
        requested = tracker.get_slot("requested_slot")
        relevant = intent(tracker) in FORM_INTENTS
        with transaction(sessions()) as session:
            turn = BookingTurn(session, dispatcher, tracker, state, lang)
            took = turn.read(requested, relevant)
            turn.complete()
        if not took and requested is not None:
            return []  # not about the booking: the rules answer it, then the form asks again
        return state.events()


class BookingTurn:
    """One customer message during the booking form, read against the database."""

    def __init__(self, session, dispatcher, tracker: Tracker, state: BookingState, lang: str):
        self.session = session
        self.dispatcher = dispatcher
        self.tracker = tracker
        self.state = state
        self.lang = lang
        self.all_stores = stores.all_stores(session)
        self.customer = customers.customer_of(session, tracker.sender_id)

    # -- reading the message ---------------------------------------------------------------

    def read(self, requested: Optional[str], relevant: bool) -> bool:
        """Takes what the message says; True when it said something for the booking."""
        message = (self.tracker.latest_message or {}).get("text") or ""
        took = False
        note = NOTE.match(message)
        if note:
            self.state.set("booking_note", note.group("note").strip()[:500])
            utter(self.dispatcher, self.lang, text.say("note_saved", self.lang, note=note.group("note").strip()[:500]))
            return True
        if requested == "booking_confirmed" and self._confirmation():
            return True

        def wanted(slot: str) -> bool:
            return relevant or requested == slot

        if wanted("booking_services") and entities(self.tracker, "service_type"):
            took |= self._services()
        plate = entity(self.tracker, "plate_number") or (
            loose_plate(message) if requested == "booking_vehicle" else None)
        if wanted("booking_vehicle") and plate:
            took |= self._vehicle(plate)
        phone = entity(self.tracker, "phone") or (
            (loose_phone(message) or last_four(message)) if requested == "booking_phone" else None)
        if wanted("booking_phone") and phone:
            took |= self._phone(phone)
        if wanted("booking_store"):
            took |= self._store(message)
        if wanted("booking_time") and entities(self.tracker, "time"):
            self.state.set("booking_time_request", entities(self.tracker, "time")[-1])
            self.state.set("booking_time", None)
            took = True
        elif wanted("booking_time") and (no_such_time := time_parser.impossible(message)):
            utter(self.dispatcher, self.lang, text.say("no_such_time", self.lang, when=no_such_time))
            took = True
        if relevant or requested == "booking_confirmed":
            took |= self._transport(message)
        if requested == "booking_confirmed" and intent(self.tracker) == "deny" and not took:
            utter(self.dispatcher, self.lang, text.say("confirm_hint", self.lang))
            took = True
        return took or relevant  # a reply to the question that said nothing usable: ask again

    def _services(self) -> bool:
        codes = [e["value"] for e in entities(self.tracker, "service_type")]
        if "pickup_delivery" in codes:
            self.state.set("booking_transport", "pickup_delivery")
        store = self.store()
        if store is not None:
            known = [s.code for s in appointments.menu(self.session, store, codes)]
            if not known:
                utter(self.dispatcher, self.lang, text.say("no_such_service", self.lang))
                return True
            codes = known
        self.state.set("booking_services", list(dict.fromkeys(codes)))
        self._changed()
        return True

    def _vehicle(self, plate: str) -> bool:
        if self.customer is not None:
            vehicle = customers.vehicle_by_plate(self.session, plate)
            if vehicle is not None and vehicle.customer_id != self.customer.id:
                utter(self.dispatcher, self.lang, text.say("plate_not_yours", self.lang))
                self.state.set("booking_vehicle", None)
                return True
        self.state.set("booking_vehicle", plate)
        self._changed()
        return True

    def _phone(self, phone: str) -> bool:
        plate = self.state.get("booking_vehicle")
        if self.customer is not None or plate is None:
            self.state.set("booking_phone", phone)
            return True
        identity = customers.link(self.session, self.tracker.sender_id, plate, phone, now(), self.lang)
        if identity.customer is None:
            utter(self.dispatcher, self.lang, text.say(PROBLEM_PROMPTS[identity.problem], self.lang))
            self.state.set("booking_phone", None)
            if identity.problem == "locked":
                self.state.set("booking_vehicle", None)
            return True
        self.customer = identity.customer
        self.state.set("booking_phone", phone)
        return True

    def _store(self, message: str) -> bool:
        code = entity(self.tracker, "store")
        chosen = stores.by_code(self.all_stores, code) or self._nearest() or (
            stores.mentioned(self.all_stores, message) if len(self.all_stores) > 1 else None
        )
        if chosen is None or chosen.code == self.state.get("booking_store"):
            return False
        self.state.set("booking_store", chosen.code)
        self._changed()
        return True

    def _nearest(self) -> Optional[Store]:
        latitude, longitude = entity(self.tracker, "latitude"), entity(self.tracker, "longitude")
        try:
            return stores.nearest(self.all_stores, float(latitude), float(longitude))
        except (TypeError, ValueError):
            return None

    def _transport(self, message: str) -> bool:
        chosen = entity(self.tracker, "transport")
        lowered = message.lower()
        for option, words in TRANSPORT_WORDS.items():
            if chosen is None and any(w in lowered for w in words):
                chosen = option
        if chosen not in text.TRANSPORT:
            return False
        self.state.set("booking_transport", chosen)
        self.state.set("booking_confirmed", None)
        return True

    def _confirmation(self) -> bool:
        if intent(self.tracker) != "affirm":
            return False
        if entity(self.tracker, "reminder"):
            self.state.set("booking_reminder", True)
        self.book()
        return True

    def _changed(self) -> None:
        """Something of the booking changed: it has to be confirmed again."""
        self.state.set("booking_confirmed", None)

    # -- filling in what can be inferred -------------------------------------------------------

    def store(self) -> Optional[Store]:
        return stores.by_code(self.all_stores, self.state.get("booking_store"))

    def complete(self) -> None:
        """Fills what need not be asked, and checks a wanted time once store and services are known."""
        self._known_customer_defaults()
        plate = self.state.get("booking_vehicle")
        if self.state.get("booking_store") is None and (plate or len(self.all_stores) == 1):
            chosen = stores.serving(self.all_stores, plate, self.customer.home_store_id if self.customer else None)
            if chosen is not None:
                self.state.set("booking_store", chosen.code)
        if self.state.get("booking_time_request") and self.store() and self.services():
            self._check_time(self.state.get("booking_time_request"))
            self.state.set("booking_time_request", None)

    def _known_customer_defaults(self) -> None:
        if self.customer is None:
            return
        if self.state.get("booking_phone") is None and self.customer.phone:
            self.state.set("booking_phone", self.customer.phone)
        vehicles = self.customer.vehicles
        if self.state.get("booking_vehicle") is None and len(vehicles) == 1:
            self.state.set("booking_vehicle", vehicles[0].plate)

    def services(self):
        store = self.store()
        return appointments.menu(self.session, store, self.state.get("booking_services") or []) if store else []

    def minutes(self) -> int:
        return capacity.bay_minutes(self.services(), self.store().slot_minutes)

    def _check_time(self, request: Dict[str, Any]) -> None:
        store = self.store()
        self.state.set("booking_offered", None)
        asked = day_asked(request, store)
        if asked:
            answer = capacity.check_day(self.session, store, self.minutes(), asked[0], now(), asked[1])
        else:
            answer = capacity.check(self.session, store, self.minutes(), wall_clock(request["value"], store), now())
        if answer.ok:
            self.state.set("booking_time", answer.start.isoformat())
            self.state.set("booking_confirmed", None)
            return
        self.offer(answer, store)

    def offer(self, answer: capacity.Availability, store: Store) -> None:
        """Says why the time does not work (if it does not) and shows free slots as buttons."""
        self.state.set("booking_time", None)
        self.state.set("booking_confirmed", None)
        utter(self.dispatcher, self.lang, offer_text(answer, store, self.lang),
              slot_buttons(answer.alternatives, store, self.lang))
        self.state.set("booking_offered", [a.isoformat() for a in answer.alternatives])

    # -- booking ----------------------------------------------------------------------------------

    def book(self) -> None:
        store, services = self.store(), self.services()
        plate, start = self.state.get("booking_vehicle"), self.state.get("booking_time")
        if not (store and services and plate and start and self.customer):
            return
        vehicle = customers.add_vehicle(self.session, self.customer, plate)
        if vehicle is None:
            utter(self.dispatcher, self.lang, text.say("plate_not_yours", self.lang))
            self.state.set("booking_vehicle", None)
            return
        try:
            with self.session.begin_nested():
                appointment = appointments.book(
                    self.session, store=store, vehicle=vehicle, services=services,
                    start=datetime.fromisoformat(start), now=now(),
                    transport=self.state.get("booking_transport") or "wait",
                    channel=contact_log.channel_of(self.tracker.sender_id), note=self.state.get("booking_note"),
                    reminder=bool(self.state.get("booking_reminder")),
                )
        except appointments.BookingError as refused:
            self._refused(refused, store)
            return
        advisor = self.session.get(Staff, appointment.advisor_id) if appointment.advisor_id else None
        message = text.say(
            "booked", self.lang, reference=appointment.reference,
            when=text.when(appointment.starts_at, store, self.lang), store=text.store_name(store, self.lang),
            advisor=advisor_name(advisor, self.lang),
        )
        if appointment.reminder_opt_in:
            message += text.say("reminder_on", self.lang)
        utter(self.dispatcher, self.lang, message)
        self.dispatcher.utter_message(json_message={"calendar": {
            "reference": appointment.reference, "path": reminders.calendar_path(appointment.reference),
        }})
        self.state.set("booking_confirmed", appointment.reference)

    def _refused(self, refused: appointments.BookingError, store: Store) -> None:
        if refused.reason == "transport_full":
            transport = text.pick(text.TRANSPORT[self.state.get("booking_transport") or "wait"], self.lang)
            utter(self.dispatcher, self.lang, text.say("transport_full", self.lang, transport=transport))
            self.state.set("booking_transport", None)
            self.state.set("booking_confirmed", None)
            return
        utter(self.dispatcher, self.lang, text.say("slot_gone", self.lang))
        self.offer(refused.availability or capacity.Availability(None, refused.reason), store)


def offer_text(answer: capacity.Availability, store: Store, lang: str) -> str:
    """Why a time does not work (if it does not), then the invitation to pick a free slot."""
    lines = [text.refusal(answer, store, lang)] if answer.reason else []
    if answer.alternatives and answer.reason is None:
        lines.append(text.say("pick_slot", lang, day=text.day_name(answer.alternatives[0], store, lang)))
    elif answer.alternatives:
        lines.append(text.say("nearest_slots", lang))
    return " ".join(lines) if text.english(lang) else "".join(lines)


def advisor_name(advisor: Optional[Staff], lang: str) -> str:
    if advisor is None:
        return "—"
    return (advisor.display_name_en or advisor.display_name) if text.english(lang) else advisor.display_name


class AskBookingSlot(Action, metaclass=ABCMeta):
    """Asks for one slot of the booking form, with buttons where there is something to pick."""

    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    @asked_or_skipped
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        lang = language(tracker)
        with transaction(sessions()) as session:
            return self.ask(session, dispatcher, tracker, lang) or []

    @abstractmethod
    def ask(self, session, dispatcher, tracker: Tracker, lang: str) -> Optional[List[Dict[str, Any]]]:
        """Says the question; may return slot events."""

    @staticmethod
    def store(session, tracker: Tracker) -> Optional[Store]:
        return stores.by_code(stores.all_stores(session), tracker.get_slot("booking_store"))


class AskServices(AskBookingSlot):
    slot = "booking_services"

    def ask(self, session, dispatcher, tracker, lang):
        all_stores = stores.all_stores(session)
        store = self.store(session, tracker) or (all_stores[0] if all_stores else None)
        menu = appointments.menu(session, store, list(POPULAR)) if store else []
        buttons = [{"title": text.service_name(s, lang), "payload": payload("inform", service_type=s.code)} for s in menu]
        utter(dispatcher, lang, text.say("ask_services", lang), buttons)


class AskVehicle(AskBookingSlot):
    slot = "booking_vehicle"

    def ask(self, session, dispatcher, tracker, lang):
        customer = customers.customer_of(session, tracker.sender_id)
        if customer is None or not customer.vehicles:
            utter(dispatcher, lang, text.say("ask_vehicle", lang))
            return
        buttons = [{"title": f"{v.plate} {v.model}".strip(), "payload": payload("inform", plate_number=v.plate)}
                   for v in customer.vehicles]
        utter(dispatcher, lang, text.say("ask_vehicle_known", lang) + "\n" + text.say("ask_vehicle", lang), buttons)


class AskPhone(AskBookingSlot):
    slot = "booking_phone"

    def ask(self, session, dispatcher, tracker, lang):
        plate = tracker.get_slot("booking_vehicle")
        on_file = plate and customers.vehicle_by_plate(session, plate) is not None
        utter(dispatcher, lang, text.say("ask_phone_owner" if on_file else "ask_phone", lang))


class AskStore(AskBookingSlot):
    slot = "booking_store"

    def ask(self, session, dispatcher, tracker, lang):
        buttons = [{"title": text.store_name(s, lang), "payload": payload("inform", store=s.code)}
                   for s in stores.for_plate(stores.all_stores(session), tracker.get_slot("booking_vehicle"))]
        buttons.append({"title": "📍 Nearest to me" if text.english(lang) else "📍 离我最近的", "payload": LOCATION})
        utter(dispatcher, lang, text.say("ask_store", lang), buttons)


class AskTime(AskBookingSlot):
    slot = "booking_time"

    def ask(self, session, dispatcher, tracker, lang):
        if tracker.get_slot("booking_offered"):
            return  # the validator has just offered free slots; asking again would repeat it
        store = self.store(session, tracker)
        services = appointments.menu(session, store, tracker.get_slot("booking_services") or []) if store else []
        minutes = capacity.bay_minutes(services, store.slot_minutes) if store else 0
        soonest = capacity.nearest_free(session, store, minutes, now(), now(), count=4) if store else []
        utter(dispatcher, lang, text.say("ask_time", lang), slot_buttons(soonest, store, lang) if store else [])


class AskConfirmed(AskBookingSlot):
    """The summary, with confirm buttons and the transport options that still have room."""

    slot = "booking_confirmed"

    def ask(self, session, dispatcher, tracker, lang):
        store = self.store(session, tracker)
        services = appointments.menu(session, store, tracker.get_slot("booking_services") or [])
        start = datetime.fromisoformat(tracker.get_slot("booking_time"))
        left = appointments.transport_left(session, store, capacity.Calendar(store).local_day(start))
        transport = tracker.get_slot("booking_transport") or "wait"
        if left.get(transport, 0) <= 0:
            transport = next((t for t, n in left.items() if n > 0), transport)
        advisor = appointments.pick_advisor(session, store, capacity.Calendar(store).local_day(start))
        summary = text.summary(
            store=store, services=services, plate=tracker.get_slot("booking_vehicle"), start=start,
            advisor=advisor_name(session.get(Staff, advisor), lang) if advisor else None, estimate=appointments.estimate(store, services), transport=transport,
            note=tracker.get_slot("booking_note"), language=lang,
        )
        en = text.english(lang)
        buttons = [
            {"title": "Confirm" if en else "确认预约", "payload": payload("affirm")},
            {"title": "Confirm + remind me" if en else "确认并提醒我", "payload": payload("affirm", reminder="yes")},
        ] + [
            {"title": ("Change to: " if en else "改为") + text.pick(text.TRANSPORT[t], lang),
             "payload": payload("inform", transport=t)}
            for t, n in left.items() if n > 0 and t != transport
        ] + [{"title": "Never mind" if en else "算了", "payload": payload("stop")}]
        utter(dispatcher, lang, summary + "\n\n" + text.say("confirm_hint", lang), buttons)
        return [SlotSet("booking_transport", transport)]


class ResetBooking(Action):
    """After the form ends (booked or stopped): a fresh start for the next booking."""

    def name(self) -> Text:
        return "action_booking_reset"

    def run(self, dispatcher, tracker, domain):
        return [SlotSet(slot, None) for slot in BOOKING_SLOTS]
