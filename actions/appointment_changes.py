"""Seeing, moving and cancelling one's own appointments (three small forms).

Each form first makes sure whose chat this is: a linked chat goes straight on; otherwise the
customer gives a plate and the phone on record. Only that customer's appointments are shown or
changed; someone else's reference is answered exactly like a reference that does not exist.
"""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import (
    PROBLEM_PROMPTS,
    AskBookingSlot,
    day_asked,
    entities,
    entity,
    intent,
    now,
    offer_text,
    payload,
    slot_buttons,
    utter,
    wall_clock,
)
from actions.context import CustomerAction, language, saved_or_told, sessions
from aftersales import appointments, capacity, contact_log, customers
from aftersales import booking_text as text
from aftersales.db import transaction
from aftersales.models import Store
from nlu.components import time_parser
from nlu.components.patterns import last_four, loose_phone, loose_plate

CHANGE_SLOTS = ("identity_plate", "identity_phone", "change_reference", "change_time", "change_confirmed",
                "change_turn", "change_offered")


class ChangeTurn:
    """One customer message in an appointment form, read against the database."""

    def __init__(self, session, dispatcher, tracker: Tracker):
        self.session = session
        self.dispatcher = dispatcher
        self.tracker = tracker
        self.lang = language(tracker)
        self.slots: Dict[str, Any] = {}
        self.customer = customers.customer_of(session, tracker.sender_id)

    def get(self, name: str) -> Any:
        return self.slots[name] if name in self.slots else self.tracker.get_slot(name)

    def message(self) -> str:
        return (self.tracker.latest_message or {}).get("text") or ""

    def say(self, key: str, buttons=None, **values) -> None:
        utter(self.dispatcher, self.lang, text.say(key, self.lang, **values), buttons)

    def identify(self) -> bool:
        """Reads plate and phone until the chat is linked to a customer; True when it took something."""
        if self.customer is not None:
            self.slots["identity_plate"] = self.get("identity_plate") or "on_file"
            self.slots["identity_phone"] = self.get("identity_phone") or "on_file"
            return False
        message = self.message()
        requested = self.tracker.get_slot("requested_slot")
        plate = entity(self.tracker, "plate_number") or (
            loose_plate(message) if requested == "identity_plate" else None)
        phone = entity(self.tracker, "phone") or (
            (loose_phone(message) or last_four(message)) if requested == "identity_phone" else None)
        if plate:
            self.slots["identity_plate"] = plate
        plate = self.get("identity_plate")
        if phone and plate:
            identity = customers.link(self.session, self.tracker.sender_id, plate, phone, now(), self.lang)
            if identity.customer is None:
                self.say(PROBLEM_PROMPTS[identity.problem])
                self.slots["identity_phone"] = None
            else:
                self.customer = identity.customer
                self.slots["identity_phone"] = phone
        return bool(plate or phone)

    def upcoming(self):
        return appointments.upcoming(self.session, self.customer.id, now()) if self.customer else []

    def reference(self) -> bool:
        """The appointment meant: a reference given, or the only one there is."""
        given = entity(self.tracker, "order_id")
        if given and given.startswith("AP-"):
            try:
                appointments.own_appointment(self.session, self.customer.id, given)
            except appointments.BookingError:
                self.say("not_found")
                return True
            self.slots["change_reference"] = given
            return True
        if self.get("change_reference") is None and self.customer is not None:
            upcoming = self.upcoming()
            if len(upcoming) == 1:
                self.slots["change_reference"] = upcoming[0].reference
            elif not upcoming:
                self.say("none")
                self.slots["requested_slot"] = None
                self.slots["change_reference"] = "none"
                self.slots["change_time"] = self.slots["change_confirmed"] = "none"
        return False

    def events(self) -> List[Dict[str, Any]]:
        turn = (self.tracker.get_slot("change_turn") or 0) + 1
        self.slots.setdefault("change_offered", None)
        return [SlotSet(k, v) for k, v in self.slots.items()] + [SlotSet("change_turn", turn)]


class ValidateChangeForm(Action, metaclass=ABCMeta):
    @property
    @abstractmethod
    def form(self) -> str:
        """The form this validates (a subclass sets it as a class attribute)."""

    def name(self) -> Text:
        return f"validate_{self.form}"

    @saved_or_told
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        requested = tracker.get_slot("requested_slot")
        with transaction(sessions()) as session:
            turn = ChangeTurn(session, dispatcher, tracker)
            took = self.before_identity(turn, requested)
            took |= turn.identify()
            if turn.customer is not None:
                took |= self.step(turn, requested)
        if not took and requested is not None and intent(tracker) not in ("inform", "affirm", "deny"):
            return []
        return turn.events()

    def before_identity(self, turn: ChangeTurn, requested: Optional[str]) -> bool:
        """What the form takes from a message even before it knows whose chat it is."""
        return False

    def step(self, turn: ChangeTurn, requested: Optional[str]) -> bool:
        return False


class ValidateAppointmentsForm(ValidateChangeForm):
    form = "appointments_form"


class ValidateRescheduleForm(ValidateChangeForm):
    form = "reschedule_form"

    def step(self, turn: ChangeTurn, requested: Optional[str]) -> bool:
        took = turn.reference()
        found = entities(turn.tracker, "time")
        reference = turn.get("change_reference")
        if not found and (no_such_time := time_parser.impossible(turn.message())):
            turn.say("no_such_time", when=no_such_time)
            return True
        if not found or not reference or reference == "none":
            return took
        appointment = appointments.own_appointment(turn.session, turn.customer.id, reference)
        store = turn.session.get(Store, appointment.store_id)
        request = found[-1]
        minutes = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
        asked = day_asked(request, store)
        if asked:
            self.offer(turn, capacity.check_day(turn.session, store, minutes, asked[0], now(), asked[1]), store)
            return True
        try:
            with turn.session.begin_nested():
                moved = appointments.reschedule(
                    turn.session, customer_id=turn.customer.id, reference=reference,
                    start=wall_clock(request["value"], store), now=now(),
                )
        except appointments.BookingError as refused:
            if refused.reason.startswith("already"):
                turn.say("too_late_to_change")
                turn.slots.update(change_time="none", requested_slot=None)
                return True
            self.offer(turn, refused.availability or capacity.Availability(None, refused.reason), store)
            return True
        turn.say("moved", reference=moved.reference, when=text.when(moved.starts_at, store, turn.lang))
        turn.slots["change_time"] = moved.starts_at.isoformat()
        return True

    @staticmethod
    def offer(turn: ChangeTurn, answer: capacity.Availability, store: Store) -> None:
        utter(turn.dispatcher, turn.lang, offer_text(answer, store, turn.lang),
              slot_buttons(answer.alternatives, store, turn.lang))
        turn.slots["change_offered"] = True


class ValidateCancelForm(ValidateChangeForm):
    form = "cancel_form"

    def step(self, turn: ChangeTurn, requested: Optional[str]) -> bool:
        took = turn.reference()
        reference = turn.get("change_reference")
        if requested != "change_confirmed" or not reference or reference == "none":
            return took
        if intent(turn.tracker) == "affirm":
            try:
                appointments.cancel(turn.session, customer_id=turn.customer.id, reference=reference, now=now())
            except appointments.BookingError:
                turn.say("too_late_to_change")
            else:
                turn.say("cancelled", reference=reference)
            turn.slots["change_confirmed"] = "yes"
            return True
        if intent(turn.tracker) in ("deny", "stop"):
            turn.say("kept")
            turn.slots["change_confirmed"] = "no"
            return True
        return False


class AskChangeSlot(AskBookingSlot):
    """Asks for one slot of the appointment forms, knowing whose chat it is."""

    def ask(self, session, dispatcher, tracker, lang):
        return self.ask_customer(session, dispatcher, tracker, lang, customers.customer_of(session, tracker.sender_id))

    @abstractmethod
    def ask_customer(self, session, dispatcher, tracker, lang, customer) -> None:
        """Says the question, knowing the customer (or None)."""


class AskIdentityPlate(AskChangeSlot):
    slot = "identity_plate"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        utter(dispatcher, lang, text.say("identify_first", lang))


class AskIdentityPhone(AskChangeSlot):
    slot = "identity_phone"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        utter(dispatcher, lang, text.say("ask_phone_owner", lang))


class AskChangeReference(AskChangeSlot):
    slot = "change_reference"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        upcoming = appointments.upcoming(session, customer.id, now()) if customer else []
        buttons = []
        for appointment in upcoming:
            store = session.get(Store, appointment.store_id)
            buttons.append({"title": text.appointment_line(appointment, store, lang),
                            "payload": payload("inform", order_id=appointment.reference)})
        utter(dispatcher, lang, text.say("which_appointment", lang), buttons)


class AskChangeTime(AskChangeSlot):
    slot = "change_time"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        if tracker.get_slot("change_offered"):
            return
        utter(dispatcher, lang, text.say("ask_new_time", lang))


class AskChangeConfirmed(AskChangeSlot):
    slot = "change_confirmed"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        appointment = appointments.own_appointment(session, customer.id, tracker.get_slot("change_reference"))
        store = session.get(Store, appointment.store_id)
        en = text.english(lang)
        utter(dispatcher, lang, text.say("confirm_cancel", lang, reference=appointment.reference,
                                         when=text.when(appointment.starts_at, store, lang)),
              [{"title": "Yes, cancel it" if en else "确认取消", "payload": payload("affirm")},
               {"title": "No, keep it" if en else "不取消", "payload": payload("deny")}])


class ListAppointments(CustomerAction):
    """The customer's upcoming appointments, each with buttons to move or cancel it."""

    def name(self) -> Text:
        return "action_list_appointments"

    def answer(self, session, dispatcher, tracker, lang, customer):
        upcoming = appointments.upcoming(session, customer.id, now()) if customer else []
        if not upcoming:
            utter(dispatcher, lang, text.say("none", lang))
            return [SlotSet(slot, None) for slot in CHANGE_SLOTS]
        lines = [text.say("your_appointments", lang)]
        for appointment in upcoming:
            lines.append(text.appointment_line(appointment, session.get(Store, appointment.store_id), lang))
        en = text.english(lang)
        buttons = [{"title": "Move one" if en else "改约", "payload": payload("reschedule_appointment")},
                   {"title": "Cancel one" if en else "取消预约", "payload": payload("cancel_appointment")}]
        utter(dispatcher, lang, "\n".join(lines), buttons)
        return [SlotSet(slot, None) for slot in CHANGE_SLOTS]


class ResetChange(Action):
    def name(self) -> Text:
        return "action_change_reset"

    def run(self, dispatcher, tracker, domain):
        return [SlotSet(slot, None) for slot in CHANGE_SLOTS]


class OptOutReminders(CustomerAction):
    """“退订” / “stop reminders”: honoured at once and recorded with its time."""

    def name(self) -> Text:
        return "action_opt_out_reminders"

    def answer(self, session, dispatcher, tracker, lang, customer):
        if customer is not None:
            customers.opt_out_of_reminders(session, customer, now())
        utter(dispatcher, lang, text.say("opt_out", lang))


class ValidateProgressForm(ValidateChangeForm):
    form = "progress_form"


class RepairProgress(CustomerAction):
    """check_repair_progress: each open order's stage, timeline, ETA, advisor and bill so far."""

    def name(self) -> Text:
        return "action_repair_progress"

    def answer(self, session, dispatcher, tracker, lang, customer):
        from aftersales import progress

        orders = progress.open_orders(session, customer.id) if customer else []
        if not orders:
            utter(dispatcher, lang, "You have no car in our workshop right now." if text.english(lang)
                  else "您目前没有在店维修的车辆。")
        for order in orders:
            utter(dispatcher, lang, progress.describe(session, order, lang), progress.approval_buttons(order, lang))
        return [SlotSet(slot, None) for slot in ("identity_plate", "identity_phone", "change_turn")]


class DecideExtraWork(CustomerAction):
    """The customer's Approve / Decline on extra work, recorded with time and channel."""

    def name(self) -> Text:
        return "action_decide_extra_work"

    def answer(self, session, dispatcher, tracker, lang, customer):
        from aftersales import progress

        item_id = entity(tracker, "approve_item")
        approve = intent(tracker) == "affirm"
        en = text.english(lang)
        try:
            item, order = progress.decide(session, customer.id if customer else -1, int(item_id), approve, now(),
                                          contact_log.channel_of(tracker.sender_id))
        except (progress.ApprovalError, TypeError, ValueError):
            utter(dispatcher, lang, "That item is not waiting for your decision." if en else "这个项目不需要您确认了。")
            return []
        name = (item.description_en or item.description) if en else item.description
        if en:
            said = f"Noted: {name} {'approved' if approve else 'declined'} for {order.reference}."
        else:
            said = f"已记录：{order.reference} 的“{name}”{'同意维修' if approve else '不做'}。"
        utter(dispatcher, lang, said)
        return []
