"""The linear intent model: its features, its confidences, and fast scoring after load."""
from __future__ import annotations

import numpy as np

from nlu.components.intent_features import confidences, latin_four_grams, words_and_latin_pairs
from nlu.components.linear_intent import _fast, build_model

EXAMPLES = [("我想预约保养", "book_appointment"), ("帮我约个保养", "book_appointment"),
            ("book a service please", "book_appointment"), ("i want to book an oil change", "book_appointment"),
            ("我要投诉", "file_complaint"), ("服务太差了我要投诉", "file_complaint"),
            ("i want to complain", "file_complaint"), ("this is a complaint", "file_complaint")]


def features(text: str):
    return text, text.split()


def test_prepared_weights_give_the_same_scores():
    model = build_model(10.0).fit([features(t) for t, _ in EXAMPLES], [i for _, i in EXAMPLES])
    queries = [features(t) for t in ("预约保养", "complain about the advisor", "帮我book个保养")]
    before = model.decision_function(queries)
    prepared = _fast(model)
    assert prepared.steps[-1][1].coef_.flags.f_contiguous
    assert np.allclose(prepared.decision_function(queries), before)
    assert list(prepared.predict(queries)) == ["book_appointment", "file_complaint", "book_appointment"]


def test_english_neighbours_are_paired_and_chinese_words_are_not():
    english = words_and_latin_pairs(("i'll be in touch", ["i'll", "be", "in", "touch"]))
    assert "in touch" in english and "be in" in english
    chinese = words_and_latin_pairs(("帮我book个保养", ["帮", "我", "book", "个", "保养"]))
    assert chinese == ["帮", "我", "book", "个", "保养"]


def test_four_grams_come_from_english_words_only():
    assert latin_four_grams(("oil 机油更换", [])) == [" oil", "oil "]


def test_a_clearer_margin_is_a_surer_confidence():
    rows = confidences(np.array([[1.0, -1.0, -1.0], [0.1, 0.0, -1.0]]), margin_scale=4.0)
    assert np.allclose(rows.sum(axis=1), 1.0)
    assert rows[0, 0] > 0.9 and rows[1, 0] < 0.6


def test_two_intents_give_two_confidences():
    rows = confidences(np.array([2.0, -2.0]), margin_scale=1.0)
    assert rows.shape == (2, 2) and rows[0, 1] > 0.9 and rows[1, 0] > 0.9


def test_a_name_or_car_never_seen_in_training_is_still_an_answer():
    examples = [("sophie martin", "inform"), ("this is carlos", "inform"), ("it's a toyota camry", "inform"),
                ("a blue honda civic", "inform"), ("what is the capital of peru", "out_of_scope"),
                ("play me a song", "out_of_scope"), ("tell me a joke", "out_of_scope"),
                ("how tall is everest", "out_of_scope")]
    model = build_model(10.0).fit([features(t) for t, _ in examples], [i for _, i in examples])
    unseen = [features(t) for t in ("priya nguyen", "a kia sportage", "recipe for soup")]
    assert list(model.predict(unseen)) == ["inform", "inform", "out_of_scope"]


def test_references_that_differ_only_in_their_digits_look_the_same_to_the_model():
    from nlu.components.intent_features import features as feature_pipeline

    texts = ["check ap-20261130-0005 for me", "check ap-20270214-0391 for me", "check ab-20261130-0005 for me"]
    examples = EXAMPLES + [(t, "check_appointment") for t in texts]
    fitted = feature_pipeline().fit([features(t) for t, _ in examples], [i for _, i in examples])
    seen, unseen, other = fitted.transform([features(t) for t in texts])
    assert (seen != unseen).nnz == 0
    assert (seen != other).nnz > 0


def test_an_appliance_or_shop_never_seen_in_training_is_not_taken_for_the_dealer():
    examples = [("my car won't start", "report_symptom"), ("engine light keeps coming on", "report_symptom"),
                ("the car makes a noise when braking", "report_symptom"),
                ("what time do you open", "ask_dealer_info"), ("are you open on sunday", "ask_dealer_info"),
                ("my fridge won't start", "out_of_scope"), ("the boiler keeps making a noise", "out_of_scope"),
                ("what time does the bakery open", "out_of_scope"), ("is the gym open on sunday", "out_of_scope")]
    model = build_model(10.0).fit([features(t) for t, _ in examples], [i for _, i in examples])
    unseen = [features(t) for t in ("the dishwasher won't start", "what time does the pharmacy open",
                                    "the car keeps making a noise")]
    assert list(model.predict(unseen)) == ["out_of_scope", "out_of_scope", "report_symptom"]


def test_a_dealer_whose_examples_are_all_chinese_without_punctuation_still_gets_a_model():
    examples = [("我想预约保养", "book_appointment"), ("帮我约个保养", "book_appointment"),
                ("我要投诉", "file_complaint"), ("服务太差了我要投诉", "file_complaint")]
    model = build_model(10.0).fit([features(t) for t, _ in examples], [i for _, i in examples])
    assert list(model.predict([features("预约 保养"), features("投诉 服务 book")])) == \
        ["book_appointment", "file_complaint"]
