"""ask_dealer_info: the stores' addresses, phones, hours and closures from the database."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import language, sessions
from aftersales import stores
from aftersales.language import in_script


class ActionDealerInfo(Action):
    def name(self) -> Text:
        return "action_dealer_info"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        lang = language(tracker)
        with sessions()() as session:
            texts = [in_script(stores.describe(store, lang), lang) for store in stores.all_stores(session)]
        for text in texts:
            dispatcher.utter_message(text=text)
        return []
