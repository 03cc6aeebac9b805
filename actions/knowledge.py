"""Maintenance, warranty, parts and symptom answers, from the dealer's own data.

Every answer reads the knowledge tables (loaded from data/knowledge/*.yml), so an edited file
changes the answer without retraining. What an answer was about is kept in `topic_services`,
so "那多少钱？" / "how much is that?" right after it is priced without repeating the question.
"""
from __future__ import annotations

from abc import ABCMeta
from datetime import date, datetime, timezone
from typing import Dict, List, Optional, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.booking import entity, payload, utter
from actions.context import CustomerAction
from aftersales import maintenance, parts_stock, stores, triage, warranty
from aftersales import booking_text as text
from aftersales.knowledge_text import (
    maintenance_at_km,
    maintenance_general,
    maintenance_next_visit,
    part_lines,
    triage_text,
    warranty_for_car,
    warranty_facts,
)
from aftersales.models import Customer, Store, Vehicle


def today_at(store: Optional[Store]) -> date:
    zone = ZoneInfo(store.timezone) if store else timezone.utc
    return datetime.now(zone).date()


def book_button(lang: str, services: List[str]) -> Dict[str, str]:
    title = "Book these" if text.english(lang) else "预约这些项目"
    return {"title": title, "payload": payload("book_appointment", service_type=services)}


def stores_likely(all_stores: List[Store], customer: Optional[Customer], lang: str) -> Optional[Store]:
    plate = customer.vehicles[0].plate if customer and customer.vehicles else None
    return stores.likely(all_stores, plate, customer.home_store_id if customer else None, text.english(lang))


class KnowledgeAction(CustomerAction, metaclass=ABCMeta):
    """Shared: which store and car the answer is about."""

    @staticmethod
    def store(session, tracker: Tracker, customer: Optional[Customer], lang: str) -> Optional[Store]:
        """The store in play: the booking's, else the one likely for this customer."""
        all_stores = stores.all_stores(session)
        return stores.by_code(all_stores, tracker.get_slot("booking_store")) or stores_likely(
            all_stores, customer, lang)

    @staticmethod
    def vehicle(tracker: Tracker, customer: Optional[Customer]) -> Optional[Vehicle]:
        if customer is None or not customer.vehicles:
            return None
        plate = entity(tracker, "plate_number")
        return next((v for v in customer.vehicles if v.plate == plate), customer.vehicles[0])


class AnswerMaintenance(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_maintenance"

    def answer(self, session, dispatcher, tracker, lang, customer):
        vehicle = self.vehicle(tracker, customer)
        km = entity(tracker, "mileage")
        store = self.store(session, tracker, customer, lang)
        items = maintenance.schedule(session, vehicle.model_family if vehicle else None)
        if km:
            due = maintenance.due_at_km(items, int(km))
            message = maintenance_at_km(int(km), due, maintenance.time_only(items), lang)
        elif vehicle is not None:
            due = [d.item for d in maintenance.next_visit(vehicle, items, today_at(store))]
            message = maintenance_next_visit(vehicle, maintenance.next_visit(vehicle, items, today_at(store)),
                                             maintenance.estimated_km(vehicle, today_at(store)), lang)
        else:
            due = []
            message = maintenance_general(items, lang)
        services = sorted({i.service_code for i in due if i.service_code})
        utter(dispatcher, lang, message, [book_button(lang, services)] if services else None)
        return [SlotSet("topic_services", services or None)]


class AnswerWarranty(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_warranty"

    def answer(self, session, dispatcher, tracker, lang, customer):
        store = self.store(session, tracker, customer, lang)
        policy = warranty.policy_for(session, store) if store else None
        if policy is None:
            return []  # no terms on file for this store's country: the rules' help follows
        vehicle = self.vehicle(tracker, customer)
        if vehicle is not None and vehicle.purchase_date:
            km = maintenance.estimated_km(vehicle, today_at(store))
            basic, repair = warranty.coverage(policy, vehicle.purchase_date, km, today_at(store))
            utter(dispatcher, lang, warranty_for_car(vehicle, policy, basic, repair, km, lang))
        utter(dispatcher, lang, warranty_facts(policy, lang, topic=tracker.get_slot("topic_services")))
        return []


class AnswerParts(KnowledgeAction):
    def name(self) -> Text:
        return "action_answer_parts"

    def answer(self, session, dispatcher, tracker, lang, customer):
        store = self.store(session, tracker, customer, lang)
        message = (tracker.latest_message or {}).get("text") or ""
        found = parts_stock.find(session, store, message) if store else []
        utter(dispatcher, lang, part_lines(store, found, lang),
              [{"title": "Book a fitting" if text.english(lang) else "预约更换", "payload": payload("book_appointment")}]
              if found else None)
        return []


class TriageSymptom(KnowledgeAction):
    """Likely causes and urgency; "do not drive" with the roadside number and an urgent case when dangerous."""

    def name(self) -> Text:
        return "action_triage_symptom"

    def answer(self, session, dispatcher, tracker, lang, customer):
        said = (tracker.latest_message or {}).get("text") or ""
        store = self.store(session, tracker, customer, lang)
        matches = triage.match(session, said)
        top = matches[0].symptom if matches else None
        if top is not None and top.urgency == "stop":
            triage.open_urgent_case(session, tracker.sender_id, said, customer.id if customer else None,
                                    store.id if store else None)
        service = top.service_code if top else "diagnosis"
        button = {"title": "Book a check" if text.english(lang) else "预约检查",
                  "payload": payload("book_appointment", service_type=sorted({service, "diagnosis"}))}
        utter(dispatcher, lang, triage_text(top, store, lang), [button])
        return [SlotSet("booking_note", said[:500]), SlotSet("topic_services", [service])]
