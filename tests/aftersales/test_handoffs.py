"""Supervisors taking over, handing back and resolving; the SLA clock escalating exactly once."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales import complaints, handoffs
from aftersales.db import transaction
from aftersales.handoffs import HandoffError
from aftersales.models import Complaint, Escalation, Staff
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


@pytest.fixture
def ticket(sessions):
    with transaction(sessions) as session:
        store = make_store(session)
        for n, name in enumerate(("王经理", "刘经理"), start=1):
            session.add(Staff(username=f"sup{n}", display_name=name, role="supervisor", store_id=store.id,
                              telegram_user_id=1000 + n))
        vehicle = make_customer(session, "粤B12345", "13812345678")
        complaint = complaints.file(session, store=store, customer=vehicle.owner, description="等太久了",
                                    category="waiting_time", now=NOW, channel="web", conversation_key="web:abc")
        return complaint.reference


def supervisor(session, n):
    return handoffs.supervisor(session, telegram_user_id=1000 + n)


def test_the_first_supervisor_holds_the_conversation_and_the_second_learns_who(sessions, ticket):
    with transaction(sessions) as session:
        complaint = handoffs.complaint_by_reference(session, ticket)
        handoffs.take_over(session, complaint, supervisor(session, 1), NOW)
        assert handoffs.holder_of(session, "web:abc").display_name == "王经理"
        with pytest.raises(HandoffError) as refused:
            handoffs.take_over(session, complaint, supervisor(session, 2), NOW)
        assert refused.value.reason == "already_taken" and refused.value.holder.display_name == "王经理"
        assert complaint.status == "taken" and complaint.first_response_at == NOW


def test_someone_not_a_supervisor_is_refused(sessions, ticket):
    with transaction(sessions) as session:
        with pytest.raises(HandoffError, match="not_a_supervisor"):
            handoffs.supervisor(session, telegram_user_id=555)


def test_resolve_hands_back_to_the_bot_and_the_timeline_holds_every_step(sessions, ticket):
    with transaction(sessions) as session:
        complaint = handoffs.complaint_by_reference(session, ticket)
        boss = supervisor(session, 1)
        handoffs.take_over(session, complaint, boss, NOW)
        handoffs.record_message(session, complaint, "in", "customer", "还要等多久", NOW + timedelta(minutes=1))
        handoffs.record_message(session, complaint, "out", boss.username, "马上给您处理", NOW + timedelta(minutes=2))
        handoffs.resolve(session, complaint, boss, "赠送一次免费洗车并道歉", NOW + timedelta(minutes=5))
        assert handoffs.holder_of(session, "web:abc") is None
        assert [e.kind for e in complaint.events] == [
            "created", "acknowledged", "taken", "message_in", "message_out", "resolved"]
        assert complaint.status == "resolved" and complaint.resolution == "赠送一次免费洗车并道歉"


def test_only_the_holder_can_release(sessions, ticket):
    with transaction(sessions) as session:
        complaint = handoffs.complaint_by_reference(session, ticket)
        handoffs.take_over(session, complaint, supervisor(session, 1), NOW)
        with pytest.raises(HandoffError, match="not_held"):
            handoffs.release(session, complaint, supervisor(session, 2), NOW)
        handoffs.release(session, complaint, supervisor(session, 1), NOW)
        assert handoffs.holder_of(session, "web:abc") is None and complaint.status == "escalated"


def test_the_sla_deadline_escalates_exactly_once(sessions, ticket):
    with transaction(sessions) as session:
        due = handoffs.complaint_by_reference(session, ticket).first_response_due
        assert due == local(23, 12)  # two working hours after Monday 10:00
        assert handoffs.overdue(session, due - timedelta(minutes=1)) == []
    for clock in (due, due + timedelta(minutes=5), due + timedelta(hours=3)):  # the scheduler's rounds
        with transaction(sessions) as session:
            handoffs.overdue(session, clock)
    with transaction(sessions) as session:
        reasons = session.execute(select(Escalation.reason)).scalars().all()
        assert reasons == ["sla_breach"]
        assert session.execute(select(Complaint.status)).scalar() == "escalated"


def test_a_ticket_answered_in_time_does_not_escalate(sessions, ticket):
    with transaction(sessions) as session:
        complaint = handoffs.complaint_by_reference(session, ticket)
        handoffs.take_over(session, complaint, supervisor(session, 1), NOW + timedelta(minutes=30))
        assert handoffs.overdue(session, NOW + timedelta(days=1)) == []


def test_two_supervisors_pressing_take_over_at_once_give_one_holder(sessions, ticket):
    barrier = threading.Barrier(2)

    def press(n):
        barrier.wait()
        try:
            with transaction(sessions) as session:
                handoffs.take_over(session, handoffs.complaint_by_reference(session, ticket), supervisor(session, n), NOW)
            return n
        except HandoffError:
            return None

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(press, (1, 2)))
    assert sorted(r is not None for r in results) == [False, True]
    with transaction(sessions) as session:
        assert handoffs.holder_of(session, "web:abc") is not None


def test_it_configures_who_may_act_from_telegram_and_moves_an_id_to_its_new_owner(sessions, ticket):
    assert handoffs.parse_telegram_ids("sup1=2001, sup2 = 2002,bad,x=y,=5") == {"sup1": 2001, "sup2": 2002}
    with transaction(sessions) as session:
        assert handoffs.link_telegram_ids(session, {"sup2": 1001, "ghost": 7}) == ["ghost"]
    with transaction(sessions) as session:
        assert handoffs.supervisor(session, telegram_user_id=1001).username == "sup2"
        assert session.execute(select(Staff.telegram_user_id).where(Staff.username == "sup1")).scalar() is None
        with pytest.raises(HandoffError):
            handoffs.supervisor(session, telegram_user_id=1002)
