"""The survey in the conversation: after a supervisor resolves a complaint ("is it settled?",
then the five ratings) and 2-3 days after delivery (the follow-up, started by the front door's
care scheduler). Every question can be skipped, "stop" ends it, and a low follow-up opens a
complaint (aftersales/surveys.py decides; this only talks)."""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any, Dict, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import entity, intent, now, utter
from actions.complaints import local
from actions.context import CustomerAction, language, saved_or_told, sessions
from aftersales import complaints, contact_log, surveys
from aftersales.db import transaction
from aftersales.models import RepairOrder, Store, Vehicle
from aftersales.survey_text import say

SCORE_SLOTS = {"survey_advisor": "advisor", "survey_time": "time", "survey_quality": "quality",
               "survey_price": "price", "survey_facilities": "facilities"}
SURVEY_SLOTS = ("survey_settled", *SCORE_SLOTS, "survey_comment")
SKIP = surveys.SKIP
STOP_INTENTS = ("stop", "goodbye", "unsubscribe")


def _message(tracker: Tracker) -> str:
    return ((tracker.latest_message or {}).get("text") or "").strip()


def _reset() -> list:
    return [SlotSet(slot, None) for slot in (*SURVEY_SLOTS, "survey_reference")]


def _nothing_to_ask() -> list:
    return _reset() + [SlotSet(slot, SKIP) for slot in SURVEY_SLOTS]


class StartSurvey(CustomerAction):
    """EXTERNAL_complaint_resolved {ticket_id} / EXTERNAL_followup {order_id}: the introduction."""

    def name(self) -> Text:
        return "action_start_survey"

    def answer(self, session, dispatcher, tracker, lang, customer):
        reference = (entity(tracker, "ticket_id") or entity(tracker, "complaint_reference")
                     or entity(tracker, "order_id") or "").upper()
        if customer is None or not reference:
            return _nothing_to_ask()
        if tracker.get_slot("language") is None and customer.language:
            lang = customer.language
        said = self.complaint_intro(session, customer, reference, lang) if reference.startswith("CP-") else \
            self.followup_intro(session, customer, reference, lang)
        if said is None:
            return _nothing_to_ask()
        utter(dispatcher, lang, said)
        events = _reset() + [SlotSet("survey_reference", reference), SlotSet("language", lang)]
        if not reference.startswith("CP-"):
            events.append(SlotSet("survey_settled", "n/a"))
        return events

    @staticmethod
    def complaint_intro(session, customer, reference: str, lang: str) -> str | None:
        complaint = complaints.own_complaint(session, customer.id, reference)
        if complaint is None or complaint.status != "resolved":
            return None
        if surveys.start(session, customer, now(), complaint=complaint) is None:
            return None
        who = complaints.handler_name(session, complaint, lang == "en") or ""
        return say("resolved_intro", lang, name=who, reference=reference, resolution=complaint.resolution or "")

    @staticmethod
    def followup_intro(session, customer, reference: str, lang: str) -> str | None:
        if surveys.open_survey(session, customer.id, reference) is None:
            return None
        order = session.query(RepairOrder).filter_by(reference=reference).one()
        store = session.get(Store, order.store_id)
        days = max(1, (now() - order.delivered_at).days)
        return say("followup_intro", lang, name=customer.name, plate=session.get(Vehicle, order.vehicle_id).plate,
                   days=days, store=(store.name_en or store.name) if lang == "en" else store.name,
                   reference=reference) + "\n" + say("scale", lang)


class AskSurveySlot(Action, metaclass=ABCMeta):
    """One question of the survey, with its answer buttons (one subclass per slot, below)."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The survey slot this asks for (a subclass sets it as a class attribute)."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        lang = language(tracker)
        if self.slot == "survey_settled":
            utter(dispatcher, lang, say("settled", lang), [
                {"title": say("settled_yes", lang), "payload": "/affirm"},
                {"title": say("settled_no", lang), "payload": "/deny"},
            ])
        elif self.slot == "survey_comment":
            utter(dispatcher, lang, say("comment", lang), [{"title": say("no_comment", lang), "payload": "没有"}])
        else:
            skip = say("skip", lang)
            utter(dispatcher, lang, say(SCORE_SLOTS[self.slot], lang),
                  [{"title": str(n), "payload": str(n)} for n in range(5, 0, -1)] + [{"title": skip, "payload": skip}])
        return []


for _slot in SURVEY_SLOTS:  # action_ask_survey_settled, action_ask_survey_advisor, ...
    globals()[f"Ask_{_slot}"] = type(f"Ask_{_slot}", (AskSurveySlot,), {"slot": _slot})


class ValidateSurveyForm(Action):
    """Reads the answer to the question asked; a wrong answer gets a hint and the question again."""

    def name(self) -> Text:
        return "validate_survey_form"

    @saved_or_told
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        requested = tracker.get_slot("requested_slot")
        if requested not in SURVEY_SLOTS:
            return []
        lang, message = language(tracker), _message(tracker)
        if intent(tracker) in STOP_INTENTS:
            utter(dispatcher, lang, say("thanks_stopped", lang))
            return [SlotSet(slot, tracker.get_slot(slot) or SKIP) for slot in SURVEY_SLOTS] + \
                [SlotSet("survey_stopped", True)]
        if requested == "survey_settled":
            return self.settled(dispatcher, tracker, lang)
        if requested == "survey_comment":
            return [SlotSet("survey_comment", SKIP if surveys.no_comment(message) else message[:2000])]
        return self.score(dispatcher, requested, message, lang)

    @staticmethod
    def settled(dispatcher, tracker: Tracker, lang: str) -> list:
        said = intent(tracker)
        if said == "affirm":
            return [SlotSet("survey_settled", "yes")]
        if said in ("deny", "request_human", "file_complaint"):  # not settled: nothing more to rate now
            return [SlotSet("survey_settled", "no")] + [SlotSet(s, SKIP) for s in SURVEY_SLOTS[1:]]
        utter(dispatcher, lang, say("settled_hint", lang))
        return [SlotSet("survey_settled", None)]

    @staticmethod
    def score(dispatcher, requested: str, message: str, lang: str) -> list:
        if requested == "survey_advisor":
            all_five = surveys.parse_all_scores(message)
            if all_five:
                return [SlotSet(slot, value) for slot, value in zip(SCORE_SLOTS, all_five)]
        value = surveys.parse_score(message)
        if value is None:
            utter(dispatcher, lang, say("score_hint", lang))
        return [SlotSet(requested, value)]


class SubmitSurvey(CustomerAction):
    """Stores the answers; "not settled" reopens the complaint; a low follow-up files one."""

    def name(self) -> Text:
        return "action_survey_submit"

    def answer(self, session, dispatcher, tracker, lang, customer):
        reference = tracker.get_slot("survey_reference")
        if customer is None or not reference:
            return _reset()
        if tracker.get_slot("survey_settled") == "no":
            self.reopen(session, dispatcher, customer, reference, lang)
            return _reset()
        survey = surveys.open_survey(session, customer.id, reference)
        if survey is None:
            return _reset()
        filed = surveys.record(session, survey, self.answer_of(tracker), now(),
                               contact_log.channel_of(tracker.sender_id), tracker.sender_id)
        if filed is not None:
            self.tell_who_calls(session, dispatcher, filed, lang)
        elif not tracker.get_slot("survey_stopped"):
            utter(dispatcher, lang, say("thanks", lang))
        return _reset() + [SlotSet("survey_stopped", None)]

    @staticmethod
    def answer_of(tracker: Tracker) -> surveys.Answer:
        scores = {name: (value if isinstance(value, (int, float)) else None)
                  for name, value in ((n, tracker.get_slot(s)) for s, n in SCORE_SLOTS.items())}
        comment = tracker.get_slot("survey_comment")
        return surveys.Answer({k: int(v) if v is not None else None for k, v in scores.items()},
                              None if comment in (None, SKIP) else comment)

    @staticmethod
    def reopen(session, dispatcher, customer, reference: str, lang: str) -> None:
        complaint = complaints.own_complaint(session, customer.id, reference)
        if complaint is None:
            return
        surveys.reopen(session, complaint, now(), _said_no(lang))
        store = session.get(Store, complaint.store_id)
        utter(dispatcher, lang, say("reopened", lang, reference=complaint.reference,
                                    first=local(complaint.first_response_due, store, lang)))

    @staticmethod
    def tell_who_calls(session, dispatcher, complaint, lang: str) -> None:
        store = session.get(Store, complaint.store_id)
        manager = surveys.manager_of(session, store.id)
        if manager is None:
            who = say("who_anyone", lang)
        else:
            name = (manager.display_name_en or manager.display_name) if lang == "en" else manager.display_name
            who = say("who_manager", lang, name=name)
        utter(dispatcher, lang, say("low_filed", lang, reference=complaint.reference, who=who,
                                    first=local(complaint.first_response_due, store, lang)))


def _said_no(lang: str) -> str:
    return "customer says it is not settled" if lang == "en" else "客户表示问题未解决"
