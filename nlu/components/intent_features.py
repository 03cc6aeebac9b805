"""The linear intent classifier's features and its scores turned into confidences.

One place for both the Rasa component (linear_intent.py) and the quick check in scripts/, so
the quick check measures what the pipeline runs. No Rasa imports.

Every message arrives as (normalised lower-case text, its words). The features:
- words, and pairs of neighbouring English words ("in touch", "drop it", "be late"): English
  meaning sits in phrases whose words alone say little. Pairs of Jieba words made Chinese worse
  (measured, docs/decisions.md "sixth round"), so only Latin-letter pairs are made;
- character n-grams of 1 to 3 inside words (typos, Chinese compounds Jieba splits otherwise),
  made apart for Chinese characters and for the rest, and 4-grams of English words only
  (4-grams of Chinese runs made Chinese worse);
- the share of unseen words (novelty.py), for out_of_scope;
- for English messages, the sentence vector of all-MiniLM-L6-v2 (sentence_vectors.py): a
  model pretrained on a billion sentence pairs has met more ways of saying a thing than 11,000
  examples show; English macro-F1 rose by 1.6 points (docs/decisions.md "twelfth round"). A
  message with Chinese characters gets zeros: the model is English-only.

Each group is scaled to unit length and then weighted (BLOCK_WEIGHTS): words count for more
than English character n-grams, and Chinese character n-grams for more than words. Chinese and
English want different weights, hence Chinese characters in a group of their own (measured,
docs/decisions.md "tenth round").

Before all of them, words from the lists in nlu/lexicon become their class token: customers'
names and cars ("<people>", "<vehicles>") are endless, and unseen ones were taken for
out_of_scope (docs/decisions.md "seventh round"); appliances, other businesses, health and
chat topics ("<things>", "<places>", "<health>", "<topics>") are just as endless, and an unseen
one in a dealer's frame ("the dishwasher won't start") was taken for that task (ninth round).
Every digit becomes 0 in the text and the words: which number a customer types (a booking
reference, a plate, a time) says nothing about the intent, its shape does (eighth round).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, Tuple

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.components.script import CHINESE_RANGES

TextAndWords = Tuple[str, List[str]]

_LATIN_WORD = re.compile(r"^[a-z0-9][a-z0-9'\-]*$")
_LATIN_RUN = re.compile(r"[a-z0-9']+")
_CHINESE = re.compile(f"[{CHINESE_RANGES}]")
_NOT_CHINESE = re.compile(f"[^{CHINESE_RANGES}]+")

# Weight of each feature group after it is scaled to unit length (docs/decisions.md "tenth round").
BLOCK_WEIGHTS = {"words": 1.3, "chinese_characters": 1.7, "other_characters": 1.0, "english_four_grams": 1.0,
                 "novelty": 1.0, "english_sentence_vectors": 1.0}


def chinese_text(message: TextAndWords) -> str:
    """The Chinese characters of the text, every other run a space."""
    return _NOT_CHINESE.sub(" ", message[0])


def other_text(message: TextAndWords) -> str:
    """The text without its Chinese characters."""
    return _CHINESE.sub(" ", message[0])


def words_and_latin_pairs(message: TextAndWords) -> List[str]:
    words = message[1]
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:]) if _LATIN_WORD.match(a) and _LATIN_WORD.match(b)]
    return words + pairs


def latin_four_grams(message: TextAndWords) -> List[str]:
    grams = []
    for word in _LATIN_RUN.findall(message[0]):
        padded = f" {word} "
        grams += [padded[i:i + 4] for i in range(len(padded) - 3)]
    return grams


_LEXICON = Path(__file__).resolve().parents[1] / "lexicon"
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


def word_classes() -> Dict[str, str]:
    """Word -> its class token, from the lists in nlu/lexicon (not nlu/dictionary: JiebaTokenizer
    loads every file there as a Jieba dictionary). A list's class is its name without the
    language: people_en.txt gives <people>, things_en.txt and things_zh.txt both give <things>."""
    classes = {}
    for path in sorted(_LEXICON.glob("*.txt")):
        token = f"<{path.stem.rsplit('_', 1)[0]}>"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                classes[line.strip()] = token
    return classes


class WordClasses(BaseEstimator, TransformerMixin):
    """Words of the lexicon replaced by their class: a name never seen in training is still a name
    ("Priya Nguyen" answers like "Sophie Martin"), and not unseen wording for novelty.py; a
    kettle never seen is still an appliance, whose faults this desk does not serve.
    Digits become 0: "AP-20261209-0007" and "AP-20261130-0005" are the same shape, so a reference
    never seen in training reads like the ones that were. The lists are read when fitting and
    kept in the trained model."""

    def fit(self, messages=None, intents=None):
        self.classes_ = word_classes()
        return self

    def transform(self, messages: List[TextAndWords]) -> List[TextAndWords]:
        return [(text.translate(_DIGITS_AS_ZERO), [self.classes_.get(w, w).translate(_DIGITS_AS_ZERO) for w in words])
                for text, words in messages]


class TfidfOrNothing(TfidfVectorizer):
    """TF-IDF that gives no columns, rather than an error, when a dealer's examples hold nothing
    for it (no Chinese at all, or no English word for the four-grams)."""

    def fit(self, raw_documents, y=None):
        self.fit_transform(raw_documents)
        return self

    def fit_transform(self, raw_documents, y=None):
        analyse = self.build_analyzer()
        self.nothing_ = not any(analyse(document) for document in raw_documents)
        if self.nothing_:
            return sparse.csr_matrix((len(raw_documents), 0))
        return super().fit_transform(raw_documents)

    def transform(self, raw_documents):
        if self.nothing_:
            return sparse.csr_matrix((len(raw_documents), 0))
        return super().transform(raw_documents)


class EnglishSentenceVectors(BaseEstimator, TransformerMixin):
    """The unit sentence vector of an English message; zeros for a message with Chinese characters."""

    def fit(self, messages=None, intents=None):
        return self

    def transform(self, messages: List[TextAndWords]) -> np.ndarray:
        from nlu.components.sentence_vectors import DIMENSIONS, vectors

        rows = np.zeros((len(messages), DIMENSIONS), dtype=np.float32)
        english = [i for i, (text, _) in enumerate(messages) if not _CHINESE.search(text)]
        if english:
            rows[english] = vectors([messages[i][0] for i in english])
        return rows


def _characters(part) -> TfidfOrNothing:
    """Character n-grams of 1 to 3 inside words, of the part of the text ``part`` keeps."""
    return TfidfOrNothing(analyzer="char_wb", ngram_range=(1, 3), preprocessor=part, sublinear_tf=True)


def features():
    """Word classes, then the feature union, fitted on (text, words) pairs."""
    from sklearn.pipeline import FeatureUnion, make_pipeline

    from nlu.components.novelty import NoveltyFeatures

    return make_pipeline(WordClasses(), FeatureUnion([
        ("words", TfidfOrNothing(analyzer=words_and_latin_pairs, sublinear_tf=True)),
        ("chinese_characters", _characters(chinese_text)),
        ("other_characters", _characters(other_text)),
        ("english_four_grams", TfidfOrNothing(analyzer=latin_four_grams, sublinear_tf=True)),
        ("novelty", NoveltyFeatures()),
        ("english_sentence_vectors", EnglishSentenceVectors()),
    ], transformer_weights=BLOCK_WEIGHTS))


def classifier(c: float):
    """A linear SVM: measured better than logistic regression on this data, and faster to fit."""
    from sklearn.svm import LinearSVC

    return LinearSVC(C=c)


def confidences(scores: np.ndarray, margin_scale: float) -> np.ndarray:
    """The SVM's per-intent margins as a softmax over ``margin_scale * margin`` (rows sum to 1).

    The scale sets how sure a clear margin looks to the FallbackClassifier; it is chosen with
    the threshold by measurement (make eval-nlu prints F1 and rejection per threshold).
    """
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 1:  # two intents: one margin, for the second
        scores = np.column_stack([-scores, scores])
    scaled = margin_scale * scores
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)
