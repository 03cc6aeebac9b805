"""`make run`'s launcher end to end: three real processes, real answers, a clean stop."""
from __future__ import annotations

import re
import signal
import time

import pytest
from sqlalchemy import select

from aftersales.db import make_engine, make_sessionmaker
from aftersales.models import ContactLog, Store
from tests.e2e.stack import Stack, post_json, processes_in_groups

pytestmark = pytest.mark.e2e
CJK = re.compile(r"[\u4e00-\u9fff]")


def _ask(stack: Stack, sender: str, message: str) -> list[str]:
    replies = post_json(stack.url("RASA_PORT", "/webhooks/rest/webhook"), {"sender": sender, "message": message})
    return [reply.get("text", "") for reply in replies]


def test_a_chinese_greeting_is_answered_in_chinese(stack):
    texts = _ask(stack, "t1", "你好")
    assert texts and CJK.search(texts[0])


def test_an_english_greeting_is_answered_in_english(stack):
    texts = _ask(stack, "t2", "hello")
    assert texts and "Hello" in texts[0] and not CJK.search(" ".join(texts))


def test_store_information_comes_from_the_service_database(stack):
    engine = make_engine(f"sqlite:///{stack.env['VAR_DIR']}/aftersales.db")
    with make_sessionmaker(engine)() as session:
        stores = session.execute(select(Store)).scalars().all()
    engine.dispose()
    texts = " ".join(_ask(stack, "t3", "你们店地址在哪里？电话多少"))
    assert stores and all(store.phone in texts for store in stores)


def test_model_parse_finds_the_contract_entities(stack):
    parsed = post_json(stack.url("RASA_PORT", "/model/parse"), {"text": "我想明天下午三点给粤B·12345做个小保养"})
    entities = {e["entity"]: e for e in parsed["entities"]}
    assert parsed["intent"]["name"] == "book_appointment"
    assert entities["plate_number"]["value"] == "粤B12345"
    assert entities["service_type"]["value"] == "minor_service"
    assert entities["time"]["value"].endswith("T15:00:00.000+08:00")
    assert entities["time"]["additional_info"]["grain"] == "hour"


def test_web_turns_go_through_the_front_door_and_are_logged(stack):
    body = post_json(stack.url("WEB_PORT", "/api/chat"), {"session": "abc", "message": "hello"})
    assert body["session"] == "abc" and "Hello" in body["replies"][0]["text"]
    engine = make_engine(f"sqlite:///{stack.env['VAR_DIR']}/aftersales.db")
    with make_sessionmaker(engine)() as session:
        rows = session.execute(
            select(ContactLog.direction, ContactLog.text).where(ContactLog.conversation_key == "web:abc")
        ).all()
    engine.dispose()
    assert rows[0] == ("in", "hello")
    assert ("out", body["replies"][0]["text"]) in rows


def test_traditional_chinese_is_answered_in_traditional(stack):
    texts = " ".join(_ask(stack, "hant", "您好，請問你們週六營業嗎"))
    assert "營業" in texts or "門店" in texts or "您好" in texts
    assert "营业" not in texts and "门店" not in texts and "维修" not in texts


def test_a_requested_language_sticks_even_when_the_customer_writes_chinese(stack):
    switched = " ".join(_ask(stack, "switch", "请用英文回复"))
    assert "English" in switched and not CJK.search(switched)
    later = " ".join(_ask(stack, "switch", "你好"))
    assert "Hello" in later and not CJK.search(later)


def test_two_misunderstandings_in_a_row_offer_a_person_first(stack):
    first = post_json(stack.url("RASA_PORT", "/webhooks/rest/webhook"), {"sender": "lost", "message": "asdkjh qwpeoi zxmcn"})
    second = post_json(stack.url("RASA_PORT", "/webhooks/rest/webhook"), {"sender": "lost", "message": "qqq wwwz ppplk"})
    assert "still" not in first[0]["text"] and any("/request_human" in str(r.get("buttons")) for r in first)
    assert "talk to a member of our service team" in second[0]["text"]
    assert second[0]["buttons"][0]["payload"] == "/request_human"


def test_ctrl_c_stops_every_process(stack):
    pids = stack.child_pids()
    assert len(pids) == 3 and not stack.process.poll()
    assert stack.stop(signal.SIGINT) == 0
    time.sleep(0.5)
    assert processes_in_groups(pids + [stack.process.pid]) == []
