"""Repair progress, in zh and en: one order, two orders, none, not identified, wrong last 4."""
from __future__ import annotations

from datetime import timedelta

import pytest

import actions.appointment_changes as changes
import actions.booking as booking
import actions.context as context
from aftersales import customers
from aftersales.db import transaction
from aftersales.models import RepairOrder, RepairOrderEvent, RepairOrderItem, Staff
from tests.actions.conversation import Conversation
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


@pytest.fixture
def dealer(sessions, monkeypatch):
    for module in (context, booking, changes):
        monkeypatch.setattr(module, "sessions", lambda: sessions)
    monkeypatch.setattr(changes, "now", lambda: NOW)
    with transaction(sessions) as session:
        store = make_store(session)
        advisor = session.query(Staff).filter_by(username="T1-a1").one()
        for k, (plate, phone, chat, orders) in enumerate((("粤B12345", "13812345678", "web:one", 1),
                                                          ("粤B22222", "13822222222", "web:two", 2),
                                                          ("粤B33333", "13833333333", "web:none", 0))):
            vehicle = make_customer(session, plate, phone)
            customers.link(session, chat, plate, phone, NOW)
            for n in range(orders):
                order = RepairOrder(reference=f"RO-2026112{3 - n}-0{k}0{n + 1}", store_id=store.id,
                                    customer_id=vehicle.customer_id, vehicle_id=vehicle.id, advisor_id=advisor.id,
                                    status="in_repair", opened_at=local(23, 9) - timedelta(days=n),
                                    eta=local(23, 17))
                order.events = [RepairOrderEvent(status=s, at=local(23, 9 + i) - timedelta(days=n), actor="staff")
                                for i, s in enumerate(("received", "diagnosing", "in_repair"))]
                order.items = [
                    RepairOrderItem(kind="labour", description="更换刹车片工时", description_en="Brake pad labour",
                                    unit_cents=20000),
                    RepairOrderItem(kind="part", description="前刹车片", description_en="Front brake pads",
                                    unit_cents=58000),
                    RepairOrderItem(kind="part", description="刹车盘", description_en="Brake discs",
                                    unit_cents=90000, approval="pending"),
                ]
                session.add(order)


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def progress(chat, text="我的车修好了吗"):
    replies = chat.say("check_repair_progress", text, form="progress_form")
    if chat.form is None:
        replies += chat.ask(changes.RepairProgress, "check_repair_progress", text)
    return replies


def test_one_order_in_chinese(dealer):
    said = texts(progress(Conversation("web:one")))
    assert "RO-20261123-0001 · 粤B12345 · 维修中（第5/9步）" in said
    assert "预计完工：11月23日（周一）17:00" in said and "服务顾问：李敏" in said
    assert "目前费用：工时费 ¥200 + 配件费 ¥580 = ¥780" in said and "待您确认：刹车盘 ¥900" in said


def test_one_order_in_english(dealer):
    said = texts(progress(Conversation("web:one", language="en"), "where is my car"))
    assert "RO-20261123-0001" in said and "in repair (step 5 of 9)" in said
    assert "So far: labour ¥200 + parts ¥580 = ¥780" in said and "Brake discs ¥900" in said


@pytest.mark.parametrize("language, text, stage, cost", [
    ("en", "is my car ready", "in repair (step 5 of 9)", "So far: labour ¥200 + parts ¥580 = ¥780"),
    ("zh-Hans", "我两台车修得怎么样了", "维修中（第5/9步）", "目前费用：工时费 ¥200 + 配件费 ¥580 = ¥780"),
])
def test_two_orders_each_get_their_own_answer(dealer, language, text, stage, cost):
    replies = progress(Conversation("web:two", language=language), text)
    assert len(replies) == 2
    assert [reply["text"].split(" ")[0] for reply in replies] == ["RO-20261122-0102", "RO-20261123-0101"]  # oldest first
    assert all(stage in reply["text"] and cost in reply["text"] for reply in replies)


@pytest.mark.parametrize("language, text, answer", [
    ("zh-Hans", "我的车修好了吗", "您目前没有在店维修的车辆。"),
    ("en", "is my car done yet", "You have no car in our workshop right now."),
])
def test_no_open_order(dealer, language, text, answer):
    said = texts(progress(Conversation("web:none", language=language), text))
    assert answer in said and "RO-" not in said


@pytest.mark.parametrize("language, text, ask_plate, ask_last4, mismatch", [
    ("zh-Hans", "我的车修好了吗", "车牌号", "后4位", "不一致"),
    ("en", "how is my repair going", "plate", "last 4 digits", "doesn't match"),
])
def test_not_identified_is_asked_and_a_wrong_last_four_is_refused(dealer, language, text, ask_plate, ask_last4,
                                                                   mismatch):
    chat = Conversation("web:who", language=language)
    replies = chat.say("check_repair_progress", text, form="progress_form")
    assert ask_plate in texts(replies)
    replies = chat.say("inform", "粤B12345")
    assert ask_last4 in texts(replies)
    replies = chat.say("inform", "0000")
    assert mismatch in texts(replies) and "RO-" not in texts(replies)
    chat.say("inform", "5678")
    assert chat.form is None
    assert "RO-20261123-0001" in texts(chat.ask(changes.RepairProgress, "check_repair_progress", ""))


def test_extra_work_is_approved_or_declined_by_button_and_recorded(dealer, sessions):
    from sqlalchemy import select

    chat = Conversation("web:one")
    [reply] = progress(chat)
    approve, decline = reply["buttons"]
    assert approve["title"] == "同意：刹车盘" and decline["title"] == "不做：刹车盘"
    item_id = int(approve["payload"].split(":")[1].strip(" }"))
    replies = chat.ask(changes.DecideExtraWork, "affirm", approve["payload"], [{"entity": "approve_item", "value": item_id}])
    assert "已记录：RO-20261123-0001 的“刹车盘”同意维修" in texts(replies)
    with transaction(sessions) as session:
        item = session.get(RepairOrderItem, item_id)
        assert item.approval == "approved" and item.decided_via == "web" and item.decided_at == NOW
    replies = chat.ask(changes.DecideExtraWork, "deny", decline["payload"], [{"entity": "approve_item", "value": item_id}])
    assert "不需要您确认了" in texts(replies)  # decided once
    other = Conversation("web:two")  # someone else's item cannot be decided
    replies = other.ask(changes.DecideExtraWork, "affirm", "", [{"entity": "approve_item", "value": item_id}])
    assert "不需要您确认了" in texts(replies)
    with transaction(sessions) as session:
        assert session.execute(select(RepairOrderItem.approval).where(RepairOrderItem.id == item_id)).scalar() == "approved"
