"""The linear intent classifier's features and its scores turned into confidences.

One place for both the Rasa component (linear_intent.py) and the quick check in scripts/, so
the quick check measures what the pipeline runs. No Rasa imports.

Every message arrives as (normalised lower-case text, its words). The features:
- words, and pairs of neighbouring English words ("in touch", "drop it", "be late"): English
  meaning sits in phrases whose words alone say little. Pairs of Jieba words made Chinese worse
  (measured, docs/decisions.md "sixth round"), so only Latin-letter pairs are made;
- character n-grams of 1 to 3 inside words (typos, Chinese compounds Jieba splits otherwise),
  and 4-grams of English words only (4-grams of Chinese runs made Chinese worse);
- the share of unseen words (novelty.py), for out_of_scope.

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
from sklearn.base import BaseEstimator, TransformerMixin

TextAndWords = Tuple[str, List[str]]

_LATIN_WORD = re.compile(r"^[a-z0-9][a-z0-9'\-]*$")
_LATIN_RUN = re.compile(r"[a-z0-9']+")


def text_of(message: TextAndWords) -> str:
    return message[0]


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


def features():
    """Word classes, then the feature union, fitted on (text, words) pairs."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union

    from nlu.components.novelty import NoveltyFeatures

    return make_pipeline(WordClasses(), make_union(
        TfidfVectorizer(analyzer=words_and_latin_pairs, sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), preprocessor=text_of, sublinear_tf=True),
        TfidfVectorizer(analyzer=latin_four_grams, sublinear_tf=True),
        NoveltyFeatures(),
    ))


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
