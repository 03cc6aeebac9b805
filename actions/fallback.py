"""Noticing when the customer was not understood twice in a row (then a person is offered first)."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

MISUNDERSTOOD = {"nlu_fallback", "out_of_scope"}


def user_intents(tracker: Tracker) -> List[str]:
    return [
        (event.get("parse_data") or {}).get("intent", {}).get("name")
        for event in tracker.events
        if event.get("event") == "user"
    ]


class ActionNoteMisunderstanding(Action):
    def name(self) -> Text:
        return "action_note_misunderstanding"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        intents = user_intents(tracker)
        twice = len(intents) >= 2 and intents[-2] in MISUNDERSTOOD
        return [SlotSet("misunderstood_twice", twice)]
