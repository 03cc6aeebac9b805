"""Status pushes: each stage change once, to opted-in customers, never in quiet hours; ready
says what is due and when the store is open; extra work comes with Approve / Decline."""
from __future__ import annotations

import pytest

from aftersales import customers, status_push
from aftersales.db import transaction
from aftersales.models import RepairOrder, RepairOrderEvent, RepairOrderItem
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


@pytest.fixture
def order(sessions):
    with transaction(sessions) as session:
        store = make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        customers.link(session, "tg:42", "粤B12345", "13812345678", NOW)
        order = RepairOrder(reference="RO-20261123-0001", store_id=store.id, customer_id=vehicle.customer_id,
                            vehicle_id=vehicle.id, status="received", opened_at=local(23, 9))
        order.items = [RepairOrderItem(kind="labour", description="小保养工时", unit_cents=30000),
                       RepairOrderItem(kind="part", description="机油机滤", unit_cents=45000)]
        for item in order.items:
            item.notified_at = NOW
        session.add(order)
    return sessions


def _advance(sessions, stage: str, at=NOW) -> None:
    with transaction(sessions) as session:
        order = session.query(RepairOrder).one()
        order.status = stage
        order.events.append(RepairOrderEvent(status=stage, at=at, actor="workshop"))


def _round(sessions, now=NOW) -> list[status_push.Push]:
    with transaction(sessions) as session:
        pushes = status_push.due(session, now)
        for push in pushes:
            status_push.mark(session, push, now)
        return pushes


def test_a_stage_change_is_pushed_once(order):
    _advance(order, "in_repair")
    pushes = _round(order)
    assert [(p.conversation_key, [m["text"] for m in p.messages]) for p in pushes] == [
        ("tg:42", ["您的爱车 粤B12345（RO-20261123-0001）最新进度：维修中。"])]
    assert _round(order) == []


def test_in_quiet_hours_it_waits_for_the_morning(order):
    _advance(order, "washing", local(23, 22))
    assert _round(order, local(23, 22, 30)) == []
    assert _round(order, local(24, 7, 30)) == []
    morning = _round(order, local(24, 9))
    assert "洗车中" in morning[0].messages[0]["text"]


def test_ready_for_pickup_says_the_amount_due_and_the_opening_hours(order):
    _advance(order, "ready")
    text = _round(order)[0].messages[0]["text"]
    assert "可以提车" in text and "¥750" in text and "天河路1号" in text and "08:30" in text


def test_a_customer_who_opted_out_gets_nothing_and_nothing_piles_up(order):
    with transaction(order) as session:
        session.query(RepairOrder).one()
        from aftersales.models import Customer

        session.query(Customer).one().status_updates_opt_in = False
    _advance(order, "in_repair")
    pushes = _round(order)
    assert [p.messages for p in pushes] == [[]]
    assert _round(order) == []


def test_extra_work_asks_for_approval_with_buttons_in_english(order):
    with transaction(order) as session:
        from aftersales.models import Customer

        session.query(Customer).one().language = "en"
        row = session.query(RepairOrder).one()
        row.items.append(RepairOrderItem(kind="part", description="刹车盘", description_en="Brake discs",
                                         unit_cents=90000, approval="pending"))
        row.status = "awaiting_approval"
        row.events.append(RepairOrderEvent(status="awaiting_approval", at=NOW, actor="workshop"))
    [push] = _round(order)
    [approval] = push.messages  # awaiting approval is said by the request itself, not twice
    assert "Brake discs × 1: ¥900" in approval["text"]
    item_id = push.item_ids[0]
    assert [b["payload"] for b in approval["buttons"]] == [f'/affirm{{"approve_item": {item_id}}}',
                                                            f'/deny{{"approve_item": {item_id}}}']
    assert _round(order) == []
