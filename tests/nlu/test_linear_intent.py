"""The linear intent model scores the same after it is prepared for fast scoring at load."""
from __future__ import annotations

import numpy as np

from nlu.components.linear_intent import _fast, build_model

EXAMPLES = [("我想预约保养", "book_appointment"), ("帮我约个保养", "book_appointment"),
            ("book a service please", "book_appointment"), ("i want to book an oil change", "book_appointment"),
            ("我要投诉", "file_complaint"), ("服务太差了我要投诉", "file_complaint"),
            ("i want to complain", "file_complaint"), ("this is a complaint", "file_complaint")]


def features(text: str):
    return text, text.split()


def test_prepared_weights_give_the_same_probabilities():
    model = build_model(10.0).fit([features(t) for t, _ in EXAMPLES], [i for _, i in EXAMPLES])
    queries = [features(t) for t in ("预约保养", "complain about the advisor", "帮我book个保养")]
    before = model.predict_proba(queries)
    prepared = _fast(model)
    assert prepared.steps[-1][1].coef_.flags.f_contiguous
    assert np.allclose(prepared.predict_proba(queries), before)
    assert list(prepared.predict(queries)) == ["book_appointment", "file_complaint", "book_appointment"]
