"""Booking through Rasa's REST webhook on the whole stack (`python -m bot.launcher`):
new customers book in Chinese and in English, the appointment is in the database at the
right local time, and "我的预约" / "my appointments" shows it."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from aftersales import appointments, capacity
from aftersales.models import Appointment, Store
from nlu.components.time_parser import parse
from tests.e2e.stack import Stack, post_json

pytestmark = pytest.mark.e2e
REFERENCE = re.compile(r"AP-\d{8}-\d{4}")


def chat(stack: Stack, sender: str, message: str) -> str:
    return "\n".join(reply.get("text", "") for reply in replies_to(stack, sender, message))


def replies_to(stack: Stack, sender: str, message: str) -> list[dict]:
    return post_json(stack.url("RASA_PORT", "/webhooks/rest/webhook"), {"sender": sender, "message": message})


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def bookable_phrase(database, store_code: str, phrases: list[str]) -> tuple[str, datetime]:
    """The first phrase whose time the store can take now, and that time in the store's zone."""
    with database() as session:
        store = session.execute(select(Store).where(Store.code == store_code)).scalar_one()
        minutes = capacity.bay_minutes(appointments.menu(session, store, ["minor_service"]))
        now = datetime.now(timezone.utc)
        for phrase in phrases:
            value = parse(phrase, now, "Asia/Shanghai")[0]["value"]
            wall = datetime.fromisoformat(value).replace(tzinfo=None)
            wanted = wall.replace(tzinfo=ZoneInfo(store.timezone))
            if capacity.check(session, store, minutes, wanted, now).ok:
                return phrase, wanted
    pytest.fail(f"none of {phrases} is bookable at {store_code}")


def stored(database, reference: str) -> Appointment:
    with database() as session:
        return session.execute(select(Appointment).where(Appointment.reference == reference)).scalar_one()


def test_a_new_customer_books_in_chinese_and_sees_the_booking(stack, database):
    phrase, wanted = bookable_phrase(database, "GZ-TH", ["下周二上午10点", "下周三上午10点", "下周四上午10点"])
    assert "手机号" in chat(stack, "web:zh-booker", f"我想{phrase}给粤A12321做个小保养")
    summary = chat(stack, "web:zh-booker", "13711112222")
    assert "请确认预约信息" in summary and "工时费" in summary and "配件费" in summary
    done = chat(stack, "web:zh-booker", "/affirm")
    assert "预约成功" in done
    reference = REFERENCE.search(done).group()
    appointment = stored(database, reference)
    assert appointment.starts_at.astimezone(ZoneInfo("Asia/Shanghai")) == wanted
    assert reference in chat(stack, "web:zh-booker", "我的预约")


def test_a_new_customer_books_in_english_at_the_us_store(stack, database):
    phrase, wanted = bookable_phrase(database, "SJ", ["next Tuesday at 10am", "next Wednesday at 10am",
                                                      "next Thursday at 10am"])
    assert "plate" in chat(stack, "web:en-booker", f"I'd like to book a minor service {phrase}")
    assert "mobile number" in chat(stack, "web:en-booker", "7ABC123")
    summary = chat(stack, "web:en-booker", "(408) 555-0134")
    assert "Please check your booking" in summary and "Labour: $" in summary
    replies = replies_to(stack, "web:en-booker", "/affirm")
    done = "\n".join(reply.get("text", "") for reply in replies)
    assert "You're booked!" in done
    reference = REFERENCE.search(done).group()
    [calendar] = [r["custom"]["calendar"] for r in replies if "custom" in r]
    status, body = fetch(stack.url("WEB_PORT", calendar["path"]))
    start = wanted.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    assert status == 200 and f"DTSTART:{start}" in body
    assert fetch(stack.url("WEB_PORT", calendar["path"][:-4] + "0000"))[0] == 404
    appointment = stored(database, reference)
    assert appointment.starts_at.astimezone(ZoneInfo("America/Los_Angeles")) == wanted
    assert reference in chat(stack, "web:en-booker", "my appointments")


@pytest.mark.parametrize("sender, message, expected", [
    ("web:k1", "30000公里要做什么保养", "30,000公里需要做：机油和机滤、轮胎换位"),
    ("web:k2", "what's due at 30k km", "At 30,000 km: Engine oil and filter, Tyre rotation."),
    ("web:k3", "三包期是多久", "三包有效期至少2年或5万公里"),
    ("web:k4", "发动机故障灯一直闪", "请不要继续驾驶"),
    ("web:k5", "my car won't start, just clicking", "flat battery"),
    ("web:k6", "后刹车片有货吗", "后刹车片"),
])
def test_knowledge_questions_are_answered_from_the_dealers_data(stack, sender, message, expected):
    assert expected in chat(stack, sender, message)


def test_a_complaint_through_the_webhook_is_recorded_and_a_high_one_escalated(stack, database):
    from aftersales.models import Complaint, Escalation

    sender = "web:complainer"
    first = chat(stack, sender, "刚在你们这修完刹车，现在刹车失灵了，差点出事故！")
    assert "车牌" in first  # who is writing: plate, then the phone on record
    assert "手机号" in chat(stack, sender, "粤A55555")
    chat(stack, sender, "13755556666")
    chat(stack, sender, "/affirm")  # the guessed category is right
    done = chat(stack, sender, "马上派人处理，给我一个说法")
    assert "已记录您的投诉，编号 CP-" in done and "已直接升级给主管处理" in done
    reference = re.search(r"CP-\d{4}-\d{5}", done).group()
    with database() as session:
        complaint = session.execute(select(Complaint).where(Complaint.reference == reference)).scalar_one()
        assert complaint.severity == "high" and complaint.description.startswith("刚在你们这修完刹车")
        assert session.execute(select(Escalation).where(Escalation.complaint_id == complaint.id)).scalar()
    assert reference in chat(stack, sender, "我的投诉怎么样了")


def test_a_demo_customer_sees_repair_progress_after_plate_and_last_four_digits(stack):
    sender = "web:progress"
    assert "车牌号" in chat(stack, sender, "我的车修好了吗")
    assert "后4位" in chat(stack, sender, "粤A1P6X3")
    assert "不一致" in chat(stack, sender, "0000")
    said = chat(stack, sender, "1560")
    assert "粤A1P6X3 · 已接车" in said and "服务顾问：李敏" in said
