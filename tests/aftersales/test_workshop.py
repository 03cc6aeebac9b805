"""The workshop's stage machine and bill lines, and the same rules from the command line."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales import progress, workshop, workshop_cli
from aftersales.db import transaction
from aftersales.models import RepairOrder, RepairOrderEvent, RepairOrderItem, Staff, Vehicle
from aftersales.workshop import WorkshopError
from tests.aftersales.small_dealer import NOW, make_customer, make_store


@pytest.fixture
def order_ref(sessions):
    with transaction(sessions) as session:
        store = make_store(session)
        session.add(Staff(username="liu", display_name="刘师傅", role="workshop", store_id=store.id))
        vehicle = make_customer(session, "粤B12345", "13812345678")
        order = RepairOrder(reference="RO-20261123-0001", store_id=store.id, customer_id=vehicle.customer_id,
                            vehicle_id=vehicle.id, status="received", mileage_in_km=40_000, opened_at=NOW)
        order.events.append(RepairOrderEvent(status="received", at=NOW, actor="李敏"))
        session.add(order)
    return "RO-20261123-0001"


def act(sessions, reference, fn):
    with transaction(sessions) as session:
        order = workshop.order_by_reference(session, reference)
        return fn(session, order)


def stages(sessions, reference):
    with sessions() as session:
        order = workshop.order_by_reference(session, reference)
        return order.status, [(e.status, e.actor) for e in order.events]


def test_an_order_goes_through_every_stage_to_delivery_with_each_step_on_the_timeline(sessions, order_ref):
    path = ["diagnosing", "awaiting_approval", "waiting_parts", "in_repair", "quality_check", "washing", "ready",
            "delivered"]
    for n, stage in enumerate(path, start=1):
        act(sessions, order_ref, lambda s, o: workshop.advance(s, o, stage, "刘师傅", NOW + timedelta(minutes=n)))
    status, events = stages(sessions, order_ref)
    assert status == "delivered"
    assert [e[0] for e in events] == ["received"] + path and events[-1][1] == "刘师傅"
    with sessions() as session:
        order = workshop.order_by_reference(session, order_ref)
        assert order.delivered_at == NOW + timedelta(minutes=8)
        vehicle = session.get(Vehicle, order.vehicle_id)
        assert vehicle.last_service_date == NOW.date() and vehicle.last_service_km == 40_000


def test_a_stage_that_does_not_follow_is_refused_and_nothing_changes(sessions, order_ref):
    with pytest.raises(WorkshopError) as refused:
        act(sessions, order_ref, lambda s, o: workshop.advance(s, o, "ready", "刘师傅", NOW))
    assert refused.value.reason == "not_allowed"
    assert stages(sessions, order_ref) == ("received", [("received", "李敏")])


def test_a_failed_quality_check_goes_back_to_repair_and_a_delivered_order_is_closed(sessions, order_ref):
    for stage in ("in_repair", "quality_check", "in_repair", "quality_check", "ready", "delivered"):
        act(sessions, order_ref, lambda s, o: workshop.advance(s, o, stage, "刘师傅", NOW))
    for stage in ("cancelled", "received"):
        with pytest.raises(WorkshopError) as refused:
            act(sessions, order_ref, lambda s, o: workshop.advance(s, o, stage, "刘师傅", NOW))
        assert refused.value.reason == "closed"


def test_an_open_order_can_be_cancelled_with_a_note(sessions, order_ref):
    act(sessions, order_ref, lambda s, o: workshop.advance(s, o, "cancelled", "刘师傅", NOW, "客户取消"))
    with sessions() as session:
        order = workshop.order_by_reference(session, order_ref)
        assert order.status == "cancelled" and order.events[-1].note == "客户取消" and order.delivered_at is None


def test_extra_work_waits_for_the_customer_and_the_order_cannot_move_on_until_they_decide(sessions, order_ref):
    act(sessions, order_ref, lambda s, o: workshop.advance(s, o, "diagnosing", "刘师傅", NOW))
    item = act(sessions, order_ref, lambda s, o: workshop.add_item(
        s, o, "part", "前刹车片", 1, 68_000, True, "刘师傅", NOW, description_en="Front brake pads"))
    status, events = stages(sessions, order_ref)
    assert status == "awaiting_approval" and events[-1] == ("awaiting_approval", "刘师傅")
    with pytest.raises(WorkshopError) as refused:
        act(sessions, order_ref, lambda s, o: workshop.advance(s, o, "in_repair", "刘师傅", NOW))
    assert refused.value.reason == "pending_approval"
    with sessions() as session:
        assert workshop.next_stages(workshop.order_by_reference(session, order_ref)) == ("cancelled",)
    with transaction(sessions) as session:
        order = workshop.order_by_reference(session, order_ref)
        assert "待您确认：前刹车片 ¥680" in progress.describe(session, order, "zh-Hans")
        progress.decide(session, order.customer_id, item.id, True, NOW, "web")
    assert stages(sessions, order_ref)[0] == "in_repair"


def test_a_plain_line_is_billed_at_once_and_leaves_the_stage_alone(sessions, order_ref):
    act(sessions, order_ref, lambda s, o: workshop.add_item(s, o, "labour", "故障诊断", 1, 20_000, False, "刘师傅", NOW))
    with sessions() as session:
        order = workshop.order_by_reference(session, order_ref)
        assert order.status == "received" and [i.approval for i in order.items] == ["not_needed"]
        assert "工时费 ¥200" in progress.describe(session, order, "zh-Hans")


@pytest.mark.parametrize("kind, description, quantity, cents", [
    ("paint", "x", 1, 100), ("part", " ", 1, 100), ("part", "x", 0, 100), ("labour", "x", 1, -1),
])
def test_a_wrong_line_is_refused(sessions, order_ref, kind, description, quantity, cents):
    with pytest.raises(WorkshopError) as refused:
        act(sessions, order_ref, lambda s, o: workshop.add_item(s, o, kind, description, quantity, cents, False,
                                                                 "刘师傅", NOW))
    assert refused.value.reason == "bad_item"


def test_the_command_line_lists_advances_and_adds_items(sessions, order_ref, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", str(sessions.kw["bind"].url.render_as_string(hide_password=False)))
    assert workshop_cli.main(["list"]) == 0
    assert "RO-20261123-0001  粤B12345  received  -> diagnosing, in_repair, cancelled" in capsys.readouterr().out
    assert workshop_cli.main(["advance", "ro-20261123-0001", "diagnosing", "--by", "liu", "--note", "检查刹车"]) == 0
    assert workshop_cli.main(["add-item", "RO-20261123-0001", "--kind", "part", "--description", "前刹车片",
                              "--price", "680", "--needs-approval", "--by", "liu"]) == 0
    assert "stage awaiting_approval" in capsys.readouterr().out
    assert workshop_cli.main(["advance", "RO-20261123-0001", "in_repair"]) == 1
    assert "refused: pending_approval" in capsys.readouterr().err
    assert workshop_cli.main(["advance", "RO-20261123-0001", "cancelled", "--by", "nobody"]) == 2
    with sessions() as session:
        order = session.execute(select(RepairOrder)).scalar_one()
        assert [(e.status, e.actor, e.note) for e in order.events][1] == ("diagnosing", "刘师傅", "检查刹车")
        item = session.execute(select(RepairOrderItem)).scalar_one()
        assert (item.unit_cents, item.approval) == (68_000, "pending")
