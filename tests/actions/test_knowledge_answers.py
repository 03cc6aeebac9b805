"""Maintenance, warranty, parts and symptom answers in both languages, with follow-ups."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

import actions.booking as booking
import actions.context as context
import actions.knowledge as knowledge
import actions.prices as prices
from actions.knowledge import AnswerMaintenance, AnswerParts, AnswerWarranty, TriageSymptom
from actions.prices import AnswerPrice
from aftersales import customers
from aftersales.db import transaction
from aftersales.knowledge_load import load_all
from aftersales.models import ServiceCase
from tests.actions.conversation import Conversation, ent
from tests.aftersales.small_dealer import NOW, make_customer, make_store


@pytest.fixture
def dealer(sessions, monkeypatch):
    for module in (context, booking, prices):
        monkeypatch.setattr(module, "sessions", lambda: sessions)
    monkeypatch.setattr(knowledge, "today_at", lambda store: date(2026, 11, 23))
    with transaction(sessions) as session:
        make_store(session, code="GZ-TH")
        vehicle = make_customer(session, "粤B12345", "13812345678")
        vehicle.purchase_date, vehicle.mileage_km = date(2025, 1, 10), 28000
        vehicle.mileage_recorded_on = date(2026, 11, 23)
        vehicle.last_service_date, vehicle.last_service_km = date(2026, 6, 1), 20000
        customers.link(session, "web:known", "粤B12345", "13812345678", NOW)
    load_all(sessions)


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def test_what_is_due_at_30000_km_then_how_much(dealer):
    chat = Conversation("web:anon")
    replies = chat.ask(AnswerMaintenance, "ask_maintenance", "30000公里要做什么保养", [ent("mileage", 30000)])
    assert "30,000公里需要做：机油和机滤、轮胎换位" in texts(replies) and "刹车油每24个月" in texts(replies)
    assert replies[0]["buttons"][0]["payload"] == '/book_appointment{"service_type": ["minor_service", "tyre_rotation"]}'
    replies = chat.ask(AnswerPrice, "ask_price", "那多少钱？")
    assert "小保养：工时费 ¥300 + 配件费 ¥450 = ¥750" in texts(replies)


def test_whats_due_at_30k_in_english(dealer):
    chat = Conversation("web:anon-en", language="en")
    replies = chat.ask(AnswerMaintenance, "ask_maintenance", "what's due at 30k km", [ent("mileage", 30000)])
    assert "At 30,000 km: Engine oil and filter, Tyre rotation." in texts(replies)


def test_my_cars_next_service_from_its_history(dealer):
    chat = Conversation("web:known")
    replies = chat.ask(AnswerMaintenance, "ask_maintenance", "我的车下次什么时候保养")
    assert "粤B12345 估计目前约28,000公里" in texts(replies) and "约30,000公里" in texts(replies)


def test_is_my_car_still_under_warranty(dealer):
    chat = Conversation("web:known")
    replies = chat.ask(AnswerWarranty, "ask_warranty", "我的车还在保修期吗")
    said = texts(replies)
    assert "三包有效期：还剩48天、22,000公里" in said and "包修期：还剩" in said
    assert "三包有效期至少2年或5万公里" in said and "拖车费用由修理者承担" in said


def test_warranty_facts_in_english_and_the_wear_parts_follow_up(dealer):
    chat = Conversation("web:anon-en", language="en")
    chat.ask(TriageSymptom, "report_symptom", "brakes squeal when I stop")
    replies = chat.ask(AnswerWarranty, "ask_warranty", "and is it covered?")
    said = texts(replies)
    assert "at least 2 years or 50,000 km" in said and "wear parts" in said


def test_a_dangerous_symptom_says_stop_gives_roadside_and_opens_a_case(dealer, sessions):
    chat = Conversation("web:known")
    replies = chat.ask(TriageSymptom, "report_symptom", "发动机故障灯一直闪")
    said = texts(replies)
    assert "请不要继续驾驶" in said and "400-000-0000" in said
    with transaction(sessions) as session:
        [case] = session.execute(select(ServiceCase)).scalars().all()
        assert case.urgent and case.description == "发动机故障灯一直闪" and case.customer_id is not None


def test_a_routine_symptom_explains_and_offers_a_check_with_the_note(dealer, sessions):
    chat = Conversation("web:anon")
    replies = chat.ask(TriageSymptom, "report_symptom", "空调不制冷")
    assert "冷媒不足" in texts(replies) and "ac_service" in replies[0]["buttons"][0]["payload"]
    assert chat.slots["booking_note"] == "空调不制冷"
    with transaction(sessions) as session:
        assert session.execute(select(ServiceCase)).scalars().all() == []


def test_car_wont_start_in_english(dealer):
    chat = Conversation("web:anon-en", language="en")
    replies = chat.ask(TriageSymptom, "report_symptom", "car won't start, clicking")
    assert "flat battery" in texts(replies)


def test_part_availability_per_store(dealer):
    chat = Conversation("web:anon")
    replies = chat.ask(AnswerParts, "ask_parts", "后刹车片有货吗")
    assert "暂时缺货，预计2026年12月1日到货" in texts(replies)
    replies = Conversation("web:en", language="en").ask(AnswerParts, "ask_parts", "do you have spark plugs")
    assert "32 in stock" in texts(replies)


def test_a_price_in_english_keeps_labour_and_parts_apart(dealer):
    replies = Conversation("web:en", language="en").ask(AnswerPrice, "ask_price", "how much for brake pads",
                                                        [ent("service_type", "brake_pads")])
    assert "Brake pads: labour ¥200 + parts ¥600 = ¥800 (estimate, confirmed after inspection)" in texts(replies)


def test_an_edited_schedule_file_changes_the_answer_without_retraining(dealer, sessions, tmp_path):
    import shutil

    from aftersales.knowledge_load import knowledge_dir

    folder = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), folder)
    text = (folder / "maintenance.yml").read_text()
    (folder / "maintenance.yml").write_text(text.replace("name_en: Tyre rotation, km: 10000", "name_en: Tyre rotation, km: 15000"))
    load_all(sessions, folder)
    replies = Conversation("web:anon").ask(AnswerMaintenance, "ask_maintenance", "3万公里做什么", [ent("mileage", 30000)])
    assert "30,000公里需要做：机油和机滤、轮胎换位" in texts(replies)  # 30,000 is a multiple of 15,000 too
    replies = Conversation("web:anon").ask(AnswerMaintenance, "ask_maintenance", "1万公里做什么", [ent("mileage", 10000)])
    assert "10,000公里需要做：机油和机滤。" in texts(replies)  # rotation no longer due at 10,000
