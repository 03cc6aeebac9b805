"""The survey in the conversation: after a resolved complaint (settled or not) and the follow-up
after delivery (a low score opens a complaint), in zh and en, skippable, asked once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import actions.booking as booking
import actions.context as context
import actions.survey as survey
from aftersales import complaints, customers, handoffs
from aftersales.db import transaction
from aftersales.models import Complaint, Escalation, RepairOrder, RepairOrderEvent, Staff, Survey
from tests.actions.conversation import Conversation, ent
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


@pytest.fixture
def dealer(sessions, monkeypatch):
    for module in (context, booking, survey):
        monkeypatch.setattr(module, "sessions", lambda: sessions, raising=False)
    monkeypatch.setattr(survey, "now", lambda: NOW)
    with transaction(sessions) as session:
        store = make_store(session)
        boss = Staff(username="wang", display_name="王经理", display_name_en="Manager Wang", role="supervisor",
                     store_id=store.id)
        session.add(boss)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        customers.link(session, "tg:100", "粤B12345", "13812345678", NOW)
        complaint = complaints.file(session, store=store, customer=vehicle.owner, description="等了三个小时没人理",
                                    category="waiting_time", now=NOW - timedelta(days=1), channel="telegram",
                                    conversation_key="tg:100")
        handoffs.take_over(session, complaint, boss, NOW - timedelta(hours=20))
        handoffs.resolve(session, complaint, boss, "已道歉并赠送一次免费洗车", NOW - timedelta(hours=1))
        order = RepairOrder(reference="RO-20261120-0001", store_id=store.id, customer_id=vehicle.customer_id,
                            vehicle_id=vehicle.id, status="delivered", opened_at=local(18, 9),
                            delivered_at=local(20, 17))
        order.events = [RepairOrderEvent(status="delivered", at=local(20, 17), actor="staff")]
        session.add(order)
    return sessions


def resolved(dealer, language="zh-Hans"):
    chat = Conversation("tg:100", language)
    with dealer() as session:
        reference = session.execute(select(Complaint.reference)).scalar()
    intro = chat.ask(survey.StartSurvey, "EXTERNAL_complaint_resolved", "", [ent("ticket_id", reference)])
    return chat, reference, intro + chat.say("EXTERNAL_complaint_resolved", "", form="survey_form")


def followup(dealer, language="zh-Hans"):
    from aftersales import surveys
    from aftersales.models import Customer

    with transaction(dealer) as session:
        order = session.execute(select(RepairOrder)).scalar()
        surveys.start(session, session.get(Customer, order.customer_id), NOW, order=order)
    chat = Conversation("tg:100", language)
    intro = chat.ask(survey.StartSurvey, "EXTERNAL_followup", "", [ent("order_id", "RO-20261120-0001")])
    return chat, intro + chat.say("EXTERNAL_followup", "", form="survey_form")


def test_settled_then_five_scores_at_once_are_stored_on_the_complaint_timeline(dealer):
    chat, reference, said = resolved(dealer)
    assert "王经理" in chat.texts(said) and "免费洗车" in chat.texts(said)
    assert "解决了吗" in chat.texts(said)
    assert "服务顾问" in chat.texts(chat.say("affirm", "解决了"))
    assert "还有什么" in chat.texts(chat.say("inform", "5 4 5 3 5"))
    assert chat.form == "survey_form"
    chat.say("deny", "没有")
    assert chat.form is None
    assert "感谢您的评价" in chat.texts(chat.ask(survey.SubmitSurvey, "deny", "没有"))
    with dealer() as session:
        stored = session.execute(select(Survey)).scalar_one()
        complaint = session.execute(select(Complaint)).scalar_one()
        assert (stored.advisor_score, stored.service_time_score, stored.repair_quality_score, stored.price_score,
                stored.facilities_score, stored.comment) == (5, 4, 5, 3, 5, None)
        assert stored.answered_at is not None
        assert complaint.events[-1].kind == "survey" and complaint.status == "resolved"


def test_not_settled_reopens_the_complaint_and_supervisors_hear_of_it_in_english(dealer):
    chat, reference, said = resolved(dealer, "en")
    assert "Is it settled" in chat.texts(said)
    chat.say("deny", "no it is not")
    assert chat.form is None  # no ratings asked of someone still unhappy
    told = chat.texts(chat.ask(survey.SubmitSurvey, "deny", "no it is not"))
    assert f"{reference} is open again" in told
    with dealer() as session:
        complaint = session.execute(select(Complaint)).scalar_one()
        assert complaint.status == "escalated" and complaint.first_response_at is None
        assert [e.kind for e in complaint.events][-2:] == ["reopened", "escalated"]
        reasons = session.execute(select(Escalation.reason)).scalars().all()
        assert "rejected_resolution" in reasons


def test_a_wrong_answer_gets_a_hint_and_any_question_can_be_skipped(dealer):
    chat, _, _ = resolved(dealer)
    chat.say("affirm", "是的")
    assert "1到5" in chat.texts(chat.say("out_of_scope", "还行吧"))
    chat.say("inform", "四分")
    chat.say("inform", "跳过")
    chat.say("inform", "★★★")
    chat.say("inform", "5")
    chat.say("inform", "skip")
    chat.say("inform", "休息区的咖啡很好喝")
    chat.ask(survey.SubmitSurvey, "inform", "")
    with dealer() as session:
        stored = session.execute(select(Survey)).scalar_one()
        assert (stored.advisor_score, stored.service_time_score, stored.repair_quality_score, stored.price_score,
                stored.facilities_score) == (4, None, 3, 5, None)
        assert stored.comment == "休息区的咖啡很好喝"


def test_the_survey_of_a_complaint_is_asked_once(dealer):
    resolved(dealer)
    chat, _, said = resolved(dealer)
    assert said == [] and chat.form is None


def test_a_low_followup_score_opens_a_complaint_and_says_who_will_call(dealer):
    chat, said = followup(dealer)
    assert "粤B12345" in chat.texts(said) and "回访" in chat.texts(said)
    assert "服务顾问" in chat.texts(said)  # straight to the first rating: nothing to settle
    chat.say("inform", "5 5 1 4 5")
    chat.say("inform", "刹车还是有异响")
    told = chat.texts(chat.ask(survey.SubmitSurvey, "inform", ""))
    assert "王经理" in told and "CP-" in told
    with dealer() as session:
        filed = session.execute(select(Complaint).where(Complaint.repair_order_id.is_not(None))).scalar_one()
        assert filed.category == "repair_quality" and filed.severity == "high"  # brakes: safety
        assert "刹车还是有异响" in filed.description


def test_a_good_followup_files_nothing_and_stop_ends_it_politely_in_english(dealer):
    chat, said = followup(dealer, "en")
    assert "How is the car" in chat.texts(said)
    chat.say("inform", "5")
    assert "won't ask more" in chat.texts(chat.say("stop", "stop"))
    assert chat.form is None
    assert chat.texts(chat.ask(survey.SubmitSurvey, "stop", "stop")) == ""
    with dealer() as session:
        assert session.execute(select(Complaint).where(Complaint.repair_order_id.is_not(None))).first() is None
        assert session.execute(select(Survey.advisor_score).where(Survey.answered_at.is_not(None))).scalar() == 5
