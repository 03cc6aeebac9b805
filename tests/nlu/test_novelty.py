"""Unseen wording is what unrelated messages share; the feature must see it, and not overrate it."""
from __future__ import annotations

from nlu.components.novelty import NoveltyFeatures

TASKS = [(("预约 保养", ["预约", "保养"]), "book_appointment"),
         (("保养 多少钱", ["保养", "多少钱"]), "ask_price"),
         (("book a service", ["book", "a", "service"]), "book_appointment"),
         (("weather today", ["weather", "today"]), "out_of_scope")]


def binned(model, words):
    return model.bin(words)


def test_known_words_fall_in_the_first_bin_and_unseen_ones_in_the_last():
    model = NoveltyFeatures().fit([m for m, _ in TASKS], [i for _, i in TASKS])
    assert binned(model, ["保养", "多少钱"]) == 0
    assert binned(model, ["鲸鱼", "是", "鱼"]) == 5
    assert binned(model, ["保养", "鲸鱼"]) == 3  # half unseen: over 40%, not over 60%


def test_words_only_out_of_scope_uses_count_as_unseen():
    model = NoveltyFeatures().fit([m for m, _ in TASKS], [i for _, i in TASKS])
    assert binned(model, ["weather"]) == 5


def test_numbers_and_punctuation_are_not_judged():
    model = NoveltyFeatures().fit([m for m, _ in TASKS], [i for _, i in TASKS])
    assert binned(model, ["13612345678", "?"]) == 0


def test_training_leaves_each_task_example_out_of_its_own_count():
    messages, intents = [m for m, _ in TASKS], [i for _, i in TASKS]
    rows = NoveltyFeatures().fit_transform(messages, intents).toarray()
    # "预约" and "book", "a" occur in one task example each: unseen once that example is left out.
    assert rows[0].argmax() == 3  # 预约 unseen, 保养 seen in the price example: half
    assert rows[2].argmax() == 5  # book, a, service all occur only here
    assert rows[3].argmax() == 5  # out_of_scope is never counted
    served = NoveltyFeatures().fit(messages, intents).transform(messages).toarray()
    assert served[:3].argmax(axis=1).tolist() == [0, 0, 0]  # at serving time the words are known
