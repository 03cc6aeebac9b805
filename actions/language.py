"""The `language` slot, every turn: what the customer writes, unless they asked for a language."""
from __future__ import annotations

from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction

from aftersales.language import next_language


def _entity(tracker: Tracker, name: str) -> str | None:
    entities = (tracker.latest_message or {}).get("entities") or []
    return next((e.get("value") for e in entities if e.get("entity") == name), None)


class ValidateSlotMappings(ValidationAction):
    """Rasa runs `action_validate_slot_mappings` after every user message."""

    def name(self) -> Text:
        return "action_validate_slot_mappings"

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> Dict[Text, Any]:
        choice = next_language(
            current=tracker.get_slot("language"),
            locked=bool(tracker.get_slot("language_locked")),
            detected=_entity(tracker, "language"),
            requested=_entity(tracker, "language_request"),
        )
        return {"language": choice.language, "language_locked": choice.locked}
