"""Survey rules: reading scores as customers type them, when the follow-up is due, whom to
reach, and a complaint reopened twice reaching the supervisors twice."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales import complaints, customers, surveys
from aftersales.db import transaction
from aftersales.models import ChannelAccount, Escalation, RepairOrder
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


@pytest.mark.parametrize("said, score", [
    ("4", 4), ("4分", 4), ("给5分", 5), ("四", 4), ("两分", 2), ("★★★", 3), ("⭐⭐⭐⭐⭐", 5), ("满分", 5),
    ("5 stars", 5), ("3/5", 3), ("skip", surveys.SKIP), ("跳过", surveys.SKIP), ("Skip.", surveys.SKIP),
    ("6", None), ("0", None), ("还行", None), ("45", None), ("", None), ("🙂", None),
])
def test_a_score_is_read_as_customers_type_it(said, score):
    assert surveys.parse_score(said) == score


def test_five_scores_in_one_message():
    assert surveys.parse_all_scores("5 4 5 3 5") == [5, 4, 5, 3, 5]
    assert surveys.parse_all_scores("5,4，5、3/5") == [5, 4, 5, 3, 5]
    assert surveys.parse_all_scores("54535") == [5, 4, 5, 3, 5]
    assert surveys.parse_all_scores("5 4 5") is None
    assert surveys.parse_all_scores("5 4 5 3 5 but slow") is None


@pytest.mark.parametrize("comment, negative", [
    ("刹车还是有异响", True), ("很不满意", True), ("the noise is still there", True), ("too expensive", True),
    ("不差，挺好", False), ("都挺好", False), ("not bad at all", False), ("great job", False), (None, False),
])
def test_negative_comments(comment, negative):
    assert surveys.is_negative(comment) is negative


def _delivered(session, store, vehicle, days_ago: float) -> RepairOrder:
    order = RepairOrder(reference=f"RO-2026111{int(days_ago)}-0001", store_id=store.id,
                        customer_id=vehicle.customer_id, vehicle_id=vehicle.id, status="delivered",
                        opened_at=NOW - timedelta(days=days_ago + 1), delivered_at=NOW - timedelta(days=days_ago))
    session.add(order)
    session.flush()
    return order


def test_the_followup_is_due_after_the_stores_days_and_only_until_it_is_sent(sessions):
    with transaction(sessions) as session:
        store = make_store(session)
        store.followup_days = 3
        vehicle = make_customer(session, "粤B12345", "13812345678")
        early = _delivered(session, store, vehicle, 2)
        due = _delivered(session, store, vehicle, 3)
        assert surveys.followups_due(session, NOW) == [due]
        due.followup_sent_at = NOW
        assert surveys.followups_due(session, NOW) == []
        assert surveys.followups_due(session, NOW + timedelta(days=1)) == [early]


def test_the_customer_is_reached_on_telegram_before_the_web(sessions):
    with transaction(sessions) as session:
        make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        assert surveys.reach(session, vehicle.customer_id) is None
        customers.link(session, "web:abc", "粤B12345", "13812345678", NOW)
        assert surveys.reach(session, vehicle.customer_id) == "web:abc"
        customers.link(session, "tg:42", "粤B12345", "13812345678", NOW - timedelta(days=5))
        assert surveys.reach(session, vehicle.customer_id) == "tg:42"
        assert session.execute(select(ChannelAccount.channel)).scalars().all()


def test_each_reopening_escalates_again_with_a_fresh_deadline(sessions):
    with transaction(sessions) as session:
        store = make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        complaint = complaints.file(session, store=store, customer=vehicle.owner, description="洗车没洗干净",
                                    category="other", now=local(20, 10), channel="web", conversation_key="web:abc")
        complaints.resolve_by_bot(session, complaint, "重新洗车", local(20, 11))
        surveys.reopen(session, complaint, NOW)
        assert complaint.status == "escalated" and complaint.first_response_due == local(23, 12)
        complaint.status = "resolved"
        surveys.reopen(session, complaint, NOW + timedelta(hours=1))
        keys = session.execute(select(Escalation.notification_key)).scalars().all()
        assert sorted(keys) == [f"{complaint.reference}:rejected_resolution",
                                f"{complaint.reference}:rejected_resolution:2"]
