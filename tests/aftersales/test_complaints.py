"""Complaint rules: deadlines in working time, category and severity from the words."""
from __future__ import annotations

import pytest

from aftersales import complaints
from aftersales.db import transaction
from tests.aftersales.small_dealer import local, make_store


@pytest.fixture
def store(sessions):
    with transaction(sessions) as session:
        yield make_store(session)


@pytest.mark.parametrize("start, due", [
    (local(23, 10), local(23, 12)),  # Monday morning: two hours later
    (local(23, 17), local(24, 9, 30)),  # an hour today, an hour from Tuesday's opening
    (local(28, 17, 30), local(30, 10)),  # Saturday evening: Sunday is closed
    (local(23, 20), local(24, 10, 30)),  # after closing: from the next opening
    (local(1, 17, month=12), local(3, 9, 30, month=12)),  # the holiday on Wednesday 2 Dec is skipped
])
def test_first_response_is_due_two_working_hours_later(store, start, due):
    assert complaints.add_working_minutes(store, start, 120) == due


def test_resolution_is_due_at_the_close_of_the_third_open_day(store):
    assert complaints.add_working_days(store, local(27, 10), 3) == local(1, 18, month=12)  # Sat, Mon, Tue


@pytest.mark.parametrize("words, category", [
    ("修完还是有异响，根本没修好", "repair_quality"),
    ("收费太贵了，比报价多收了好几百", "price"),
    ("等了三个小时都没人管", "waiting_time"),
    ("接待的顾问态度很差", "advisor"),
    ("休息区厕所太脏了", "facilities"),
    ("you overcharged me, the invoice is wrong", "price"),
    ("the car came back with the same problem, not fixed", "repair_quality"),
    ("rude staff at the front desk", "advisor"),
    ("我想投诉", None),
])
def test_the_category_is_guessed_from_the_words(words, category):
    assert complaints.infer_category(words) == category


@pytest.mark.parametrize("words, describes", [
    ("我要投诉", False), ("投诉", False), ("我想投诉一下", False), ("complaint", False), ("I want to complain", False),
    ("I would like to make a complaint please", False),
    ("发票比报价贵了两百块", True),  # short, and says it all
    ("顾问态度差", True), ("刹车失灵", True), ("the advisor was rude", True),
    ("我要投诉！！！", False),  # angry (high severity), but what happened is still to be asked
    ("I want to complain again", False), ("I still want to make a complaint", False),
    ("Hello there, I'd like to lodge a complaint", False),
    ("I have an issue with my bill", True), ("brakes squeal", True),
])
def test_a_first_message_that_says_what_happened_is_the_description(words, describes):
    assert complaints.says_what_happened(words) is describes


@pytest.mark.parametrize("words, severity", [
    ("刚修完刹车就失灵了", "high"),
    ("再不处理我就打12315", "high"),
    ("什么破店，垃圾服务", "high"),
    ("I'm calling my lawyer", "high"),
    ("there's a fuel smell since the service", "high"),
    ("等的时间有点长", "normal"),
    ("the coffee machine was broken", "normal"),
    ("the brakes squeal after the service", "high"),
    ("I have an issue with the invoice", "normal"),  # "sue" is not in "issue"
    ("the staff were not very courteous", "normal"),  # nor "court" in "courteous"
])
def test_safety_threats_and_anger_make_a_complaint_high(words, severity):
    assert complaints.infer_severity(words) == severity
