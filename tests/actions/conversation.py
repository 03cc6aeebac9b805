"""Driving the booking actions turn by turn, as Rasa's form would, against a real database.

The NLU's output for each message is given (intent and entities), so these tests pin down what
the actions do with it; the model's own understanding is tested in tests/nlu and end to end.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.appointment_changes as changes
import actions.booking as booking
import actions.complaints as complaints
import actions.survey as survey
from actions.prices import AnswerPrice

ASKERS = {cls.slot: cls for cls in (
    booking.AskServices, booking.AskVehicle, booking.AskPhone, booking.AskStore, booking.AskTime,
    booking.AskConfirmed, changes.AskIdentityPlate, changes.AskIdentityPhone,
    changes.AskChangeReference, changes.AskChangeTime, changes.AskChangeConfirmed,
    complaints.AskComplaintDescription, complaints.AskComplaintCategory, complaints.AskComplaintOrder,
    complaints.AskComplaintRemedy, complaints.AskComplaintOutcome,
    *(getattr(survey, f"Ask_{slot}") for slot in survey.SURVEY_SLOTS),
)}
FORMS = {
    "booking_form": (booking.ValidateBookingForm, ["booking_services", "booking_vehicle", "booking_phone",
                                                   "booking_store", "booking_time", "booking_confirmed"]),
    "appointments_form": (changes.ValidateAppointmentsForm, ["identity_plate", "identity_phone"]),
    "progress_form": (changes.ValidateProgressForm, ["identity_plate", "identity_phone"]),
    "reschedule_form": (changes.ValidateRescheduleForm, ["identity_plate", "identity_phone",
                                                         "change_reference", "change_time"]),
    "cancel_form": (changes.ValidateCancelForm, ["identity_plate", "identity_phone",
                                                 "change_reference", "change_confirmed"]),
    "complaint_form": (complaints.ValidateComplaintForm, [
        "identity_plate", "identity_phone", "complaint_description", "complaint_category", "complaint_order",
        "complaint_remedy", "complaint_outcome", "complaint_reference"]),
    "survey_form": (survey.ValidateSurveyForm, list(survey.SURVEY_SLOTS)),
}


def time_entity(iso: str, grain: str = "hour", **interval) -> dict:
    info = {"grain": grain, "value": iso, **interval}
    return {"entity": "time", "value": iso, "additional_info": info}


def ent(name: str, value: Any) -> dict:
    return {"entity": name, "value": value}


class Conversation:
    """One customer's chat: slots carried between turns, and what the bot said."""

    def __init__(self, sender: str = "web:test", language: str = "zh-Hans"):
        self.sender = sender
        self.slots: dict[str, Any] = {"language": language}
        self.form: str | None = None
        self.said: list[dict] = []
        self.events: list[dict] = []  # the questions asked, as Rasa's tracker records them

    def tracker(self, intent: str, entities: list[dict], text: str) -> Tracker:
        message = {"intent": {"name": intent}, "entities": entities, "text": text}
        loop = {"name": self.form} if self.form else {}
        return Tracker(self.sender, dict(self.slots), message, list(self.events), False, None, loop, "action_listen")

    def apply(self, events: list[dict]) -> None:
        self.events += events
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]

    def run(self, action, tracker: Tracker) -> list[dict]:
        dispatcher = CollectingDispatcher()
        events = action().run(dispatcher, tracker, {}) or []
        self.said += dispatcher.messages
        self.apply(events)
        return events

    def say(self, intent: str, text: str = "", entities: list[dict] | None = None, form: str | None = None):
        """One customer message; returns what the bot answered (texts, with their buttons)."""
        start = len(self.said)
        if form and not self.form:
            self.form = form
            self.slots["requested_slot"] = None
        if self.form:
            self._form_turn(intent, entities or [], text)
        return self.said[start:]

    def ask(self, action, intent: str, text: str = "", entities: list[dict] | None = None):
        """A message answered by one action (a rule's answer outside the forms)."""
        start = len(self.said)
        self.run(action, self.tracker(intent, entities or [], text))
        return self.said[start:]

    def _form_turn(self, intent: str, entities: list[dict], text: str) -> None:
        validator, required = FORMS[self.form]
        events = self.run(validator, self.tracker(intent, entities, text))
        if not events and self.slots.get("requested_slot") is not None:
            self.rejected = True
            if intent == "ask_price":
                self.run(AnswerPrice, self.tracker(intent, entities, text))
        requested = next((s for s in required if self.slots.get(s) is None), None)
        if any(e.get("name") == "requested_slot" and e.get("value") is None for e in events):
            requested = None
        self.slots["requested_slot"] = requested
        if requested is None:
            self.form = None
            return
        self.events.append({"event": "action", "name": ASKERS[requested]().name()})
        self.run(ASKERS[requested], self.tracker(intent, entities, text))

    def texts(self, replies) -> str:
        return "\n".join(r.get("text") or "" for r in replies)
