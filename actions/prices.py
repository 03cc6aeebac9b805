"""ask_price: the store's own menu prices, labour and parts apart (also mid-booking)."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import entities, utter
from actions.context import language, sessions
from aftersales import appointments, stores
from aftersales import booking_text as text
from aftersales.db import transaction

OVERVIEW = ("minor_service", "major_service", "brake_pads", "tyre_replacement", "wheel_alignment", "car_wash")


class AnswerPrice(Action):
    def name(self) -> Text:
        return "action_answer_price"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]):
        lang = language(tracker)
        codes = ([e["value"] for e in entities(tracker, "service_type")]
                 or tracker.get_slot("topic_services") or list(OVERVIEW))  # "那多少钱？" after an answer
        with transaction(sessions()) as session:
            all_stores = stores.all_stores(session)
            chosen = stores.by_code(all_stores, tracker.get_slot("booking_store"))
            for store in [chosen] if chosen else all_stores:
                lines = [text.store_name(store, lang)] + [
                    text.price_line(store, s, lang) for s in appointments.menu(session, store, codes)
                ]
                utter(dispatcher, lang, "\n".join(lines))
        return []
