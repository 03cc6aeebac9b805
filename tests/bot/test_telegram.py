"""The pure pieces of the Telegram front door: splitting, escaping, duplicates, wording."""
from __future__ import annotations

import pytest

from bot import telegram_text
from bot.telegram import SeenUpdates, as_html, file_url, split_text


def test_a_short_text_is_one_piece():
    assert split_text("您好！请问有什么可以帮您？") == ["您好！请问有什么可以帮您？"]
    assert split_text("") == [] and split_text(" \n ") == []


def test_a_long_text_is_cut_at_line_breaks_and_loses_nothing_but_the_breaks():
    lines = [f"第{n}行：检查刹车片厚度，更换机油和机滤。" for n in range(400)]
    text = "\n".join(lines)
    pieces = split_text(text, limit=1000)
    assert len(pieces) > 1 and all(len(piece) <= 1000 for piece in pieces)
    assert [line for piece in pieces for line in piece.split("\n")] == lines  # every cut was a line break


def test_a_paragraph_break_in_the_second_half_wins_over_a_later_line_break():
    text = "a" * 60 + "\n\n" + "b" * 30 + "\n" + "c" * 30
    assert split_text(text, limit=100) == ["a" * 60, "b" * 30 + "\n" + "c" * 30]


def test_without_line_breaks_a_chinese_text_is_cut_after_a_sentence():
    text = "这是第一句话。" * 30  # 210 characters, no spaces or line breaks
    pieces = split_text(text, limit=100)
    assert all(piece.endswith("。") and len(piece) <= 100 for piece in pieces)
    assert "".join(pieces) == text


def test_english_is_cut_at_a_space_and_one_endless_word_anywhere():
    words = " ".join(["brake"] * 50)
    assert all(len(p) <= 40 and not p.startswith(" ") for p in split_text(words, limit=40))
    assert " ".join(split_text(words, limit=40)) == words
    assert split_text("x" * 95, limit=40) == ["x" * 40, "x" * 40, "x" * 15]


def test_the_limit_is_counted_as_telegram_counts_in_utf16_units():
    pieces = split_text("🚗" * 30, limit=40)  # each car is 2 units
    assert [len(p) for p in pieces] == [20, 10]


def test_telegrams_real_limit_is_4096():
    pieces = split_text("行" * 5000)
    assert [len(p) for p in pieces] == [4096, 904]


def test_text_is_shown_as_written_not_as_markup():
    assert as_html("<b>粤A·12345</b> & 'x' \"y\"") == "&lt;b&gt;粤A·12345&lt;/b&gt; &amp; 'x' \"y\""


def test_an_update_is_handled_once_and_memory_is_bounded():
    seen = SeenUpdates(capacity=3)
    assert [seen.first_time(i) for i in (1, 2, 1, 3, 2)] == [True, True, False, True, False]
    seen.first_time(4)  # 1 falls out of memory
    assert seen.first_time(1) is True and seen.first_time(4) is False


def test_files_come_from_the_bot_api_servers_file_path():
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert file_url("https://api.example.com/bot/") == "https://api.example.com/file/bot"


@pytest.mark.parametrize("code, language", [
    ("en", "en"), ("en-GB", "en"), ("zh-hans", "zh-Hans"), ("zh", "zh-Hans"), ("zh-hant", "zh-Hant"),
    ("zh-TW", "zh-Hant"), (None, "zh-Hans"), ("de", "en"),
])
def test_the_telegram_apps_language_is_read_as_one_of_ours(code, language):
    assert telegram_text.language_of_client(code) == language


def test_wording_in_each_language():
    assert telegram_text.say("contact_locked", "en").endswith("in 15 minutes.")
    assert "15分钟" in telegram_text.say("contact_locked", "zh-Hans")
    assert "驗證" in telegram_text.say("contact_locked", "zh-Hant")
    assert "粤A1P6X3" in telegram_text.say("contact_linked", "zh-Hans", plates="粤A1P6X3")
