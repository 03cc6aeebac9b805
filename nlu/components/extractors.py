"""Rasa wrappers of the rule-based extractors: `time` (time_parser) and the structured
entities plate_number, vin, phone, mileage, order_id, ticket_id (patterns).

The rules themselves are pure functions, unit-tested without Rasa; these classes only hand
them the message text, the dealer's timezone and the current time.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from aftersales.settings import dealer_timezone
from nlu.components import patterns, time_parser
from nlu.components.preprocess import StatelessComponent


class _RuleExtractor(StatelessComponent, EntityExtractorMixin):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.find(text)
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def find(self, text: str) -> List[Dict[Text, Any]]:
        raise NotImplementedError


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class TimeExtractor(_RuleExtractor):
    """The `time` entity in Duckling's shape, resolved in DEALER_TZ and preferring the future."""

    def find(self, text: str) -> List[Dict[Text, Any]]:
        return time_parser.parse(text, datetime.now(timezone.utc), dealer_timezone())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class PatternEntityExtractor(_RuleExtractor):
    """Plates, VINs, phones, mileage and references, each with one canonical value."""

    def find(self, text: str) -> List[Dict[Text, Any]]:
        return [{**entity, "confidence": 1.0} for entity in patterns.extract(text)]
