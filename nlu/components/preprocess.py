"""Rasa components that run before tokenising: language detection and text normalisation."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.script import detect_language, normalize, requested_language


class StatelessComponent(GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(StatelessComponent, EntityExtractorMixin):
    """Adds `language` (the script written: zh-Hans, zh-Hant, zh, en) and `language_request`
    (a language asked for: "请用英文") entities; actions/language.py turns them into the slot.

    It must come first in the pipeline: after normalisation Traditional text is Simplified.
    """

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = [
                {"entity": name, "value": value, "start": 0, "end": len(text), "confidence": 1.0}
                for name, value in (
                    ("language", detect_language(text)),
                    ("language_request", requested_language(text)),
                )
                if value
            ]
            if found:
                entities = message.get(ENTITIES, []) + self.add_extractor_name(found)
                message.set(ENTITIES, entities, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextNormalizer(StatelessComponent):
    """Traditional -> Simplified (OpenCC), full-width -> half-width, whitespace collapsed.

    Training examples are normalised the same way, with their entity offsets carried over.
    """

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            if message.get(TEXT):
                self._normalize(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(TEXT):
                self._normalize(message)
        return messages

    @staticmethod
    def _normalize(message: Message) -> None:
        text, origin = normalize(message.get(TEXT))
        if text == message.get(TEXT):
            return
        entities = message.get(ENTITIES) or []
        for entity in entities:
            entity[ENTITY_ATTRIBUTE_START] = _new_index(origin, entity[ENTITY_ATTRIBUTE_START])
            entity[ENTITY_ATTRIBUTE_END] = _new_index(origin, entity[ENTITY_ATTRIBUTE_END] - 1) + 1
        message.set(TEXT, text)


def _new_index(origin: List[int], old: int) -> int:
    """The first normalised position that came from `old` or later."""
    for new, source in enumerate(origin):
        if source >= old:
            return new
    return max(len(origin) - 1, 0)
