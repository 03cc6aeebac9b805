"""What the console shows and allows, without HTTP: the queue, a ticket, the actions, the
dashboard figures and the workshop's list; who may see what."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales import complaints, console_queries as cq, contact_log, handoffs
from aftersales.console_queries import ConsoleError
from aftersales.db import transaction
from aftersales.handoffs import HandoffError
from aftersales.models import (
    ChannelAccount,
    Complaint,
    ContactLog,
    RepairOrder,
    RepairOrderEvent,
    Staff,
    Survey,
)
from aftersales.workshop import WorkshopError
from tests.aftersales.small_dealer import NOW, make_customer, make_store

LATER = NOW + timedelta(minutes=5)


@pytest.fixture
def world(sessions):
    """Store T1 (supervisor wang, supervisor zhao, workshop liu) and store T2 (supervisor maria),
    an admin of the whole group; a T1 customer who complained last week and today on web:abc."""
    with transaction(sessions) as session:
        t1, t2 = make_store(session, "T1"), make_store(session, "T2")
        session.add_all([
            Staff(username="wang", display_name="王经理", display_name_en="Manager Wang", role="supervisor",
                  store_id=t1.id),
            Staff(username="zhao", display_name="赵经理", role="supervisor", store_id=t1.id),
            Staff(username="liu", display_name="刘师傅", role="workshop", store_id=t1.id),
            Staff(username="maria", display_name="Maria", role="supervisor", store_id=t2.id),
            Staff(username="root", display_name="Admin", role="admin"),
        ])
        vehicle = make_customer(session, "粤B12345", "13812345678")
        customer = vehicle.owner
        session.add(ChannelAccount(channel="web", external_id="abc", customer_id=customer.id, language="zh-Hant"))
        order = RepairOrder(reference="RO-20261120-0001", store_id=t1.id, customer_id=customer.id,
                            vehicle_id=vehicle.id, status="in_repair", opened_at=NOW - timedelta(days=3))
        order.events.append(RepairOrderEvent(status="in_repair", at=NOW - timedelta(days=3), actor="刘师傅"))
        session.add(order)
        session.flush()
        earlier = complaints.file(session, store=t1, customer=customer, description="上周等了三个小时",
                                  category="waiting_time", now=NOW - timedelta(days=7), channel="web",
                                  conversation_key="web:old")
        earlier.first_response_at = NOW - timedelta(days=7) + timedelta(minutes=30)
        contact_log.record(session, "web:abc", "web", "in", "customer", "我的电话13812345678，修完还有异响", at=NOW)
        contact_log.record(session, "web:abc", "web", "out", "bot", "已记录", at=NOW)
        today = complaints.file(session, store=t1, customer=customer, description="修完还有异响，电话13812345678",
                                category="repair_quality", now=NOW, channel="web", conversation_key="web:abc",
                                repair_order_id=order.id)
        session.add(Survey(customer_id=customer.id, repair_order_id=order.id, advisor_score=5, price_score=2,
                           sent_at=NOW - timedelta(days=2), answered_at=NOW - timedelta(days=1)))
        return {"today": today.reference, "earlier": earlier.reference}


def staff(session, username):
    return session.execute(select(Staff).where(Staff.username == username)).scalar_one()


def run(sessions, username, fn, *args, at=LATER):
    with transaction(sessions) as session:
        return fn(session, staff(session, username), *args, at)


def refs(rows):
    return [row["reference"] for row in rows]


def test_the_queue_has_views_new_escalated_mine_and_overdue(sessions, world):
    today, earlier = world["today"], world["earlier"]
    assert refs(run(sessions, "wang", cq.queue, "new")) == [earlier, today]
    assert run(sessions, "wang", cq.queue, "escalated") == []
    overdue = run(sessions, "wang", cq.queue, "overdue")
    assert refs(overdue) == [earlier] and overdue[0]["overdue"]  # its resolution was due days ago
    run(sessions, "wang", cq.take_over, today)
    assert refs(run(sessions, "wang", cq.queue, "mine")) == [today]
    assert run(sessions, "zhao", cq.queue, "mine") == []
    assert refs(run(sessions, "wang", cq.queue, "new")) == [earlier]
    row = run(sessions, "zhao", cq.queue, "open")[1]
    assert (row["holder"], row["held_by_me"], row["phone"]) == ("王经理", False, "138****5678")
    assert "13812345678" not in row["summary"]


def test_the_first_response_deadline_is_late_once_passed_unanswered(sessions, world):
    three_hours = NOW + timedelta(hours=3)
    assert world["today"] in refs(run(sessions, "wang", cq.queue, "overdue", at=three_hours))
    assert world["today"] not in refs(run(sessions, "wang", cq.queue, "overdue", at=NOW + timedelta(hours=1)))


def test_high_severity_comes_first(sessions, world):
    with transaction(sessions) as session:
        session.execute(select(Complaint).where(Complaint.reference == world["today"])).scalar_one().severity = "high"
    assert refs(run(sessions, "wang", cq.queue, "open"))[0] == world["today"]


def test_another_stores_supervisor_sees_nothing_and_the_admin_sees_everything(sessions, world):
    assert run(sessions, "maria", cq.queue, "open") == []
    with pytest.raises(ConsoleError) as refused:
        run(sessions, "maria", cq.ticket, world["today"])
    assert refused.value.reason == "no_such_ticket"
    assert len(run(sessions, "root", cq.queue, "open")) == 2


def test_workshop_staff_have_no_complaint_side(sessions, world):
    with pytest.raises(ConsoleError) as refused:
        run(sessions, "liu", cq.queue, "open")
    assert refused.value.reason == "forbidden"


def test_a_ticket_shows_the_contact_log_timeline_customer_cars_orders_and_earlier_complaints(sessions, world):
    view = run(sessions, "wang", cq.ticket, world["today"])
    assert [(e["direction"], e["author"]) for e in view["contact_log"]] == [("in", "customer"), ("out", "bot")]
    assert "138****5678" in view["contact_log"][0]["text"] and "13812345678" not in str(view)
    assert [e["kind"] for e in view["timeline"]] == ["created", "acknowledged"]
    assert view["customer_detail"]["phone"] == "138****5678"
    assert [v["plate"] for v in view["vehicles"]] == ["粤B12345"]
    assert view["order"]["reference"] == "RO-20261120-0001"
    assert view["order"]["stage"] == {"zh": "维修中", "en": "in repair"}
    assert [c["reference"] for c in view["earlier_complaints"]] == [world["earlier"]]
    assert view["language"] == "zh-Hant" and view["actions"] == ["take_over", "reply", "note"]
    assert view["first_response_due"]["local"] == "2026-11-23 12:00"


def test_replying_takes_over_once_records_the_message_and_refuses_a_second_supervisor(sessions, world):
    first = run(sessions, "wang", cq.reply, world["today"], "您好，我是王经理")
    assert first.joined and first.conversation_key == "web:abc" and first.language == "zh-Hant"
    assert not run(sessions, "wang", cq.reply, world["today"], "车辆明天可以复检").joined
    with sessions() as session:
        with pytest.raises(HandoffError) as refused:
            cq.reply(session, staff(session, "zhao"), world["today"], "我来", LATER)
        assert refused.value.reason == "already_taken" and refused.value.holder.display_name == "王经理"
    view = run(sessions, "wang", cq.ticket, world["today"])
    assert [(e["kind"], e["actor"]) for e in view["timeline"][2:]] == [
        ("taken", "wang"), ("message_out", "wang"), ("message_out", "wang")]
    assert view["actions"] == ["reply", "release", "resolve", "note"]
    assert run(sessions, "zhao", cq.ticket, world["today"])["actions"] == ["note"]


def test_an_empty_reply_or_note_is_refused(sessions, world):
    for fn in (cq.reply, cq.add_note):
        with pytest.raises(ConsoleError) as refused:
            run(sessions, "wang", fn, world["today"], "  ")
        assert refused.value.reason == "empty"


def test_a_note_is_on_the_timeline_and_never_in_the_conversation(sessions, world):
    run(sessions, "zhao", cq.add_note, world["today"], "客户上次也投诉过等待时间")
    view = run(sessions, "wang", cq.ticket, world["today"])
    assert view["timeline"][-1] == {"kind": "note", "at": view["timeline"][-1]["at"], "actor": "zhao",
                                    "detail": "客户上次也投诉过等待时间"}
    with sessions() as session:
        assert not session.execute(select(ContactLog).where(ContactLog.text.contains("上次也投诉"))).first()


def test_resolving_needs_the_conversation_and_a_resolution_and_closes_the_ticket(sessions, world):
    with pytest.raises(HandoffError):
        run(sessions, "wang", cq.resolve, world["today"], "已复检")  # not held yet
    run(sessions, "wang", cq.take_over, world["today"])
    with pytest.raises(ConsoleError):
        run(sessions, "wang", cq.resolve, world["today"], "")
    run(sessions, "wang", cq.resolve, world["today"], "免费复检，异响已消除")
    view = run(sessions, "wang", cq.ticket, world["today"])
    assert view["status"] == "resolved" and view["resolution"] == "免费复检，异响已消除"
    assert view["timeline"][-1]["kind"] == "resolved" and view["actions"] == ["note"]
    with sessions() as session:
        assert handoffs.holder_of(session, "web:abc") is None
    with pytest.raises(ConsoleError) as refused:
        run(sessions, "wang", cq.take_over, world["today"])
    assert refused.value.reason == "closed"


def test_releasing_hands_the_conversation_back_to_the_bot(sessions, world):
    run(sessions, "wang", cq.take_over, world["today"])
    delivery = run(sessions, "wang", cq.release, world["today"])
    assert delivery.conversation_key == "web:abc"
    view = run(sessions, "wang", cq.ticket, world["today"])
    assert view["status"] == "escalated" and view["holder"] is None and view["timeline"][-1]["kind"] == "released"


def test_a_ticket_without_a_conversation_cannot_be_taken_over(sessions, world):
    with transaction(sessions) as session:
        session.execute(select(Complaint).where(Complaint.reference == world["today"])).scalar_one() \
            .conversation_key = None
    with pytest.raises(ConsoleError) as refused:
        run(sessions, "wang", cq.take_over, world["today"])
    assert refused.value.reason == "no_conversation"
    assert run(sessions, "wang", cq.ticket, world["today"])["actions"] == ["note"]


def test_the_dashboard_counts_categories_per_week_sla_repeats_and_satisfaction(sessions, world):
    with transaction(sessions) as session:
        t2_customer = make_customer(session, "粤B99999", "13900000000").owner
        t2 = session.execute(select(Staff).where(Staff.username == "maria")).scalar_one().store_id
        from aftersales.models import Store
        complaints.file(session, store=session.get(Store, t2), customer=t2_customer, description="价格太贵",
                        category="price", now=NOW, channel="web", conversation_key="web:t2")
    figures = run(sessions, "wang", cq.dashboard, 4, at=NOW + timedelta(hours=3))
    assert figures["weeks"] == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert [w["counts"] for w in figures["by_category"]] == [{}, {}, {"waiting_time": 1}, {"repair_quality": 1}]
    # Last week's was answered within 30 minutes; today's is unanswered past its 12:00 deadline.
    assert (figures["sla"]["met"], figures["sla"]["missed"], figures["sla"]["rate"]) == (1, 1, 0.5)
    assert figures["repeat"]["rate"] == 0.0 and figures["total"] == 2
    dims = figures["satisfaction"]["dimensions"]
    assert dims["advisor"] == {"average": 5.0, "answers": 1} and dims["price"]["average"] == 2.0
    assert dims["facilities"] == {"average": None, "answers": 0}
    assert run(sessions, "maria", cq.dashboard, 4)["satisfaction"]["surveys"] == 0
    assert run(sessions, "root", cq.dashboard, 4)["total"] == 3


def test_a_repeat_complaint_counts_in_the_repeat_rate(sessions, world):
    with transaction(sessions) as session:
        from aftersales.models import Customer, Store
        wang = staff(session, "wang")
        complaints.file(session, store=session.get(Store, wang.store_id),
                        customer=session.execute(select(Customer)).scalar(), description="又等了很久",
                        category="waiting_time", now=NOW, channel="web", conversation_key="web:abc")
    figures = run(sessions, "wang", cq.dashboard, 2)
    assert figures["repeat"]["repeats"] == 1 and figures["repeat"]["total"] == 3
    assert figures["repeat"]["by_week"][-1]["rate"] == 0.5


def test_the_workshop_list_shows_the_stores_open_orders_with_their_next_stages(sessions, world):
    def orders(username):
        with sessions() as session:
            return cq.orders(session, staff(session, username))

    rows = orders("liu")
    assert [r["reference"] for r in rows] == ["RO-20261120-0001"]
    assert [s["stage"] for s in rows[0]["next_stages"]] == ["quality_check", "waiting_parts", "awaiting_approval",
                                                            "cancelled"]
    assert rows[0]["phone"] == "138****5678"
    assert orders("maria") == []
    with pytest.raises(WorkshopError):
        with sessions() as session:
            cq.visible_order(session, staff(session, "maria"), "RO-20261120-0001")
