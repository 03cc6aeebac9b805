"""Normalisation before tokenising, and telling the customer's language from their script."""
import pytest

from nlu.components.script import detect_language, normalize, requested_language


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("我的車什麼時候能修好？", "我的车什么时候能修好?"),
        ("ＲＯ－２０２６１１２０－０００７", "RO-20261120-0007"),
        ("  帮我   book\t个\n保养  ", "帮我 book 个 保养"),
        ("禮拜三　下午三點", "礼拜三 下午三点"),
        ("hello there", "hello there"),
        ("", ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw)[0] == expected


def test_normalize_maps_each_character_back_to_its_origin():
    raw = "  粤B  12345"
    text, origin = normalize(raw)
    assert text == "粤B 12345"
    assert [raw[i] for i in origin] == ["粤", "B", " ", "1", "2", "3", "4", "5"]


@pytest.mark.parametrize(
    "text, language",
    [
        ("你好", "zh"),  # the same characters in both scripts
        ("明天上午", "zh"),
        ("我想预约保养", "zh-Hans"),
        ("我想預約保養，請問禮拜六有空嗎", "zh-Hant"),
        ("hello", "en"),
        ("hi", "en"),
        ("where is my car RO-20261120-0007", "en"),
        ("帮我book个保养", "zh-Hans"),
        ("ok", None),
        ("13812345678", None),
        ("😀👍", None),
        ("RO-20261120-0007", None),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize(
    "text, language",
    [
        ("请用英文回复", "en"),
        ("可以用英語嗎", "en"),
        ("English please", "en"),
        ("can you reply in english?", "en"),
        ("说中文", "zh-Hans"),
        ("speak Chinese please", "zh-Hans"),
        ("請用繁體中文", "zh-Hant"),
        ("traditional chinese please", "zh-Hant"),
        ("Do you have English-speaking advisors?", None),
        ("我想预约保养", None),
        ("hello", None),
    ],
)
def test_requested_language(text, language):
    assert requested_language(text) == language
