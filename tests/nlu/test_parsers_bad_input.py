"""The time, plate, VIN and phone parsers on anything a customer can type: they never raise, their
offsets point into the text, what they return is well formed, and impossible dates give nothing."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlu.components import patterns, time_parser
from tests.reliability import corpus, tally

pytestmark = pytest.mark.reliability

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
EXAMPLES = settings(max_examples=300, deadline=None)
# Text with the characters these parsers care about, so hypothesis reaches their branches.
NEAR_MISS = st.text(st.sampled_from(list("0123456789:-/ 年月日号点半上下午明后天周一二三四五六七八九十粤京沪ABCDEFGHJKLMNPRSTUVWXYZ"
                                         "IOQ+amp\u3000\uff10\uff11\u202e\x00")), max_size=40)
ANY = st.text(st.characters(blacklist_categories=()), max_size=200)
PLATE = re.compile(r"[\u4e00-\u9fff][A-Z][A-Z0-9]{5,6}")
VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")


def _check(text: str, seen: Counter) -> None:
    seen["bad_inputs"] += 1
    for entity in time_parser.parse(text, NOW) + patterns.extract(text):
        assert 0 <= entity["start"] < entity["end"] <= len(text)
        assert text[entity["start"]:entity["end"]] == entity["text"] or entity["entity"] != "time"
        if entity["entity"] == "time":
            datetime.fromisoformat(entity["value"].replace(".000", ""))
        if entity["entity"] == "plate_number":
            assert PLATE.fullmatch(entity["value"]), entity
        if entity["entity"] == "vin":
            assert VIN.fullmatch(entity["value"]), entity
    for normalise, shape in ((patterns.normalize_plate, PLATE), (patterns.normalize_vin, VIN)):
        value = normalise(text)
        assert value is None or shape.fullmatch(value), (text, value)
    phone = patterns.normalize_phone(text)
    assert phone is None or phone.isdigit(), (text, phone)
    named = time_parser.impossible(text)
    assert named is None or named in text, (text, named)  # named as the customer wrote it


@pytest.mark.parametrize("strategy", [NEAR_MISS, ANY], ids=["near-miss", "any"])
def test_the_parsers_take_any_text_without_raising_and_return_well_formed_values(strategy):
    seen = Counter()

    @EXAMPLES
    @given(strategy)
    def check(text):
        _check(text, seen)

    try:
        check()
    finally:
        tally("parsers on hypothesis text", **seen)


def test_the_parsers_take_the_fuzz_corpus():
    seen = Counter()
    try:
        for _category, text in corpus():
            _check(text, seen)
    finally:
        tally("parsers on the corpus", **seen)


@pytest.mark.parametrize("text", ["2月30日上午十点", "明天25:00", "13月45日", "2026-02-30", "31 June at 10am", "4月31号"])
def test_an_impossible_date_or_time_gives_no_time_at_all(text):
    assert time_parser.parse(text, NOW) == []


@pytest.mark.parametrize("text, year", [("book a service on 1 January 3000", 3000), ("Jan 5 3000", 3000),
                                        ("2099年1月1日保养", 2099)])
def test_a_far_future_year_is_kept_so_the_booking_can_refuse_it(text, year):
    (found,) = time_parser.parse(text, NOW)
    assert found["value"].startswith(f"{year}-")


@pytest.mark.parametrize("text", ["粤B1", "ABC", "粤Z999999999"])
def test_an_invalid_plate_is_not_taken_for_one(text):
    assert patterns.normalize_plate(text) is None


@pytest.mark.parametrize("text", ["123", "LSVAU2180N2I2345O", "LSVAU2180N212345"])
def test_an_invalid_vin_is_not_taken_for_one(text):
    assert patterns.normalize_vin(text) is None


@pytest.mark.parametrize("text", ["1234", "000000000000000000000", "+86 999 9999 9999"])
def test_an_invalid_phone_is_not_taken_for_one(text):
    assert patterns.normalize_phone(text, mobile_only=True) is None


@pytest.mark.parametrize("text, named", [
    ("我想2月30日上午10点做保养", "2月30日"), ("二月三十日上午十点", "二月三十日"), ("十三月一日", "十三月一日"),
    ("5月0日", "5月0日"), ("Feb 30 at 2pm", "Feb 30"), ("april 31st", "april 31st"), ("31 April", "31 April"),
    ("2/30", "2/30"), ("2026-02-30", "2026-02-30"), ("25:00", "25:00"), ("10:75", "10:75"), ("明天25点", "25点"), ("二十五点", "二十五点"),
])
def test_a_date_or_clock_time_that_does_not_exist_is_named_as_written(text, named):
    assert time_parser.impossible(text) == named


@pytest.mark.parametrize("text", [
    "2月28日", "2月29日", "十二月三十一日", "明天上午10点", "下午3点半", "24:00", "see you at 9:30", "12/31",
    "3/4 of the tank", "2026-12-31", "粤B12345", "13812345678", "30,000 km", "我有100点积分", "有一点贵", "", "I may need 40 minutes",
])
def test_real_dates_times_and_other_numbers_are_not_called_impossible(text):
    assert time_parser.impossible(text) is None
