"""Complaint intake as the customer lives it, in zh and en: their words kept, the category
confirmed, a ticket given only once recorded; high-severity and repeat complaints escalated."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

import actions.appointment_changes as changes
import actions.booking as booking
import actions.context as context
import actions.complaints as complaints_actions
from actions.complaints import ComplaintStatus
from aftersales import customers
from aftersales.db import transaction
from aftersales.models import Complaint, Escalation
from tests.actions.conversation import Conversation, ent
from tests.aftersales.small_dealer import NOW, make_customer, make_store


@pytest.fixture
def dealer(sessions, monkeypatch):
    for module in (context, booking, changes, complaints_actions):
        monkeypatch.setattr(module, "sessions", lambda: sessions)
    monkeypatch.setattr(booking, "now", lambda: NOW)
    monkeypatch.setattr(changes, "now", lambda: NOW)
    monkeypatch.setattr(complaints_actions, "now", lambda: NOW)
    with transaction(sessions) as session:
        make_store(session, code="GZ-TH")
        make_customer(session, "粤B12345", "13812345678")
        customers.link(session, "web:known", "粤B12345", "13812345678", NOW - timedelta(days=1))


def texts(replies):
    return "\n".join(r.get("text") or "" for r in replies)


def stored(sessions):
    with transaction(sessions) as session:
        return session.execute(select(Complaint).order_by(Complaint.id)).scalars().all()


def test_intake_in_chinese_keeps_the_words_confirms_the_category_and_acknowledges(dealer, sessions):
    chat = Conversation("web:known")
    words = "上周在你们这做的保养，收费比报价多了300块，账单也看不懂"
    replies = chat.say("file_complaint", words, form="complaint_form")
    assert "我理解这是关于“价格或多收费”的问题，对吗" in texts(replies)
    replies = chat.say("affirm", "对")
    assert "您希望我们怎么处理" in texts(replies)  # no recent visits: not asked about one
    replies = chat.say("inform", "把多收的钱退给我")
    said = texts(replies)
    assert "已记录您的投诉，编号 CP-2026-00001" in said and "前由专人联系您" in said
    [complaint] = stored(sessions)
    assert complaint.description == words and complaint.category == "price"
    assert complaint.desired_outcome == "把多收的钱退给我" and complaint.severity == "normal"
    assert complaint.status == "new" and chat.form is None


def test_intake_in_english_with_a_bare_start_and_a_picked_category(dealer, sessions):
    chat = Conversation("web:known", language="en")
    replies = chat.say("file_complaint", "complaint", form="complaint_form")
    assert "Please tell me what happened" in texts(replies)
    replies = chat.say("inform", "The advisor was rude and ignored my questions")
    assert 'I understand this is about "Service advisor / staff"' in texts(replies)
    chat.say("inform", "/inform", [ent("complaint_category", "advisor")])
    replies = chat.say("inform", "an apology")
    assert "Your complaint is recorded as CP-2026-00001" in texts(replies)
    assert stored(sessions)[0].category == "advisor"


@pytest.mark.parametrize("lang, words, yes, outcome, expect", [
    ("zh-Hans", "刚修完刹车，现在刹车失灵差点出事故", "对", "马上给我处理", "情况紧急，已直接升级给主管处理"),
    ("en", "you just fixed my brakes and now they failed, I nearly had an accident", "yes", "sort it out now",
     "Because it is urgent, it has gone straight to a supervisor"),
])
def test_a_safety_complaint_is_high_and_escalated_at_once(dealer, sessions, lang, words, yes, outcome, expect):
    chat = Conversation("web:known", language=lang)
    chat.say("file_complaint", words, form="complaint_form")
    chat.say("affirm", yes)
    replies = chat.say("inform", outcome)
    assert expect in texts(replies)
    [complaint] = stored(sessions)
    assert complaint.severity == "high" and complaint.status == "escalated"
    with transaction(sessions) as session:
        escalations = session.execute(select(Escalation)).scalars().all()
        assert [e.reason for e in escalations] == ["high_severity"]
        [escalation] = escalations
        assert escalation.reason == "high_severity" and escalation.notification_key == "CP-2026-00001:high_severity"


@pytest.mark.parametrize("lang, complaints, yes, outcome, expect", [
    ("en", ["the invoice was higher than the quote", "you overcharged me again on the bill"], "yes", "refund",
     "Because it is a repeat complaint"),
    ("zh-Hans", ["发票比报价贵了两百块", "又多收我钱了，账单不对"], "对", "退钱", "这是重复投诉，已直接升级给主管处理"),
])
def test_a_second_complaint_in_the_same_category_is_a_repeat_and_escalates(dealer, sessions, lang, complaints, yes,
                                                                           outcome, expect):
    for words in complaints:
        chat = Conversation("web:known", language=lang)
        chat.say("file_complaint", words, form="complaint_form")
        chat.say("affirm", yes)
        replies = chat.say("inform", outcome)
    assert expect in texts(replies)
    first, second = stored(sessions)
    assert not first.is_repeat and second.is_repeat and second.status == "escalated"
    assert first.category == second.category == "price"


def test_status_of_a_complaint_to_its_customer_only(dealer, sessions):
    chat = Conversation("web:known")
    chat.say("file_complaint", "等了四个小时车还没弄好，太慢了", form="complaint_form")
    chat.say("affirm", "是")
    chat.say("inform", "以后别让我等这么久")
    replies = chat.ask(ComplaintStatus, "check_complaint", "我的投诉怎么样了")
    assert "投诉 CP-2026-00001（等待或维修时间）：已受理" in texts(replies)
    with transaction(sessions) as session:
        make_customer(session, "粤B99999", "13999999999")
        customers.link(session, "web:other", "粤B99999", "13999999999", NOW)
    replies = Conversation("web:other").ask(ComplaintStatus, "check_complaint", "CP-2026-00001 进度",
                                            [ent("ticket_id", "CP-2026-00001")])
    assert "没有找到您名下的投诉" in texts(replies)


def an_order(sessions):
    from aftersales.models import RepairOrder, RepairOrderItem, Store, Vehicle

    with transaction(sessions) as session:
        store = session.execute(select(Store)).scalar()
        vehicle = session.execute(select(Vehicle).where(Vehicle.plate == "粤B12345")).scalar()
        order = RepairOrder(reference="RO-20261120-0001", store_id=store.id, customer_id=vehicle.customer_id,
                            vehicle_id=vehicle.id, status="delivered", opened_at=NOW - timedelta(days=3))
        order.items = [
            RepairOrderItem(kind="labour", description="小保养工时", description_en="Minor service labour", unit_cents=30000),
            RepairOrderItem(kind="part", description="机油 4L", description_en="Engine oil 4L", unit_cents=45000),
            RepairOrderItem(kind="part", description="刹车片", description_en="Brake pads", unit_cents=60000,
                            approval="declined"),
        ]
        session.add(order)


@pytest.mark.parametrize("lang, words, yes, expect_bill, expect_done", [
    ("zh-Hans", "RO-20261120-0001 这单收费太贵了，看不懂", "对", "工时费 ¥300 + 配件费 ¥450 = ¥750", "已记录为已解决"),
    ("en", "the bill for my last service is way too expensive", "yes", "Labour ¥300 + parts ¥450 = ¥750",
     "Recorded as resolved"),
])
def test_the_itemised_bill_accepted_resolves_the_complaint(dealer, sessions, lang, words, yes, expect_bill, expect_done):
    an_order(sessions)
    chat = Conversation("web:known", language=lang)
    chat.say("file_complaint", words, form="complaint_form")
    chat.say("affirm", yes)  # the category guess (price) is right
    replies = chat.say("inform", "/inform", [ent("order_id", "RO-20261120-0001")])
    said = texts(replies)
    assert expect_bill in said and ("刹车片" not in said and "Brake pads" not in said)  # declined work is not billed
    replies = chat.say("affirm", "/affirm")
    assert expect_done in texts(replies)
    with transaction(sessions) as session:
        complaint = session.execute(select(Complaint)).scalar_one()
        assert complaint.status == "resolved" and [e.kind for e in complaint.events][-1] == "resolved"


@pytest.mark.parametrize("lang, words, yes, no, outcome, asked, expect", [
    ("zh-Hans", "上次保养乱收费，账单有问题", "是的", "没有，我要找主管", "退还多收的钱", "您希望我们怎么处理",
     "解释没能解决您的问题，已直接升级给主管处理"),
    ("en", "you overcharged me for my last service, the bill is wrong", "yes", "no, I want a supervisor",
     "refund the difference", "What would you like us to do", "As the explanation did not settle it"),
])
def test_the_itemised_bill_rejected_escalates(dealer, sessions, lang, words, yes, no, outcome, asked, expect):
    an_order(sessions)
    chat = Conversation("web:known", language=lang)
    chat.say("file_complaint", words, form="complaint_form")
    chat.say("affirm", yes)
    chat.say("inform", "/inform", [ent("order_id", "RO-20261120-0001")])
    replies = chat.say("deny", no)
    assert asked in texts(replies)
    replies = chat.say("inform", outcome)
    assert expect in texts(replies)
    [complaint] = stored(sessions)
    assert complaint.status == "escalated"
    with transaction(sessions) as session:
        assert session.execute(select(Escalation.reason)).scalars().all() == ["rejected_resolution"]


def with_goodwill(sessions, minutes=60):
    from aftersales.models import Store

    with transaction(sessions) as session:
        store = session.execute(select(Store)).scalar()
        store.goodwill_wait_minutes = minutes
        store.goodwill_offer, store.goodwill_offer_en = "一张免费洗车券", "a free car wash voucher"


def test_a_long_wait_is_met_with_the_stores_goodwill_and_accepting_it_resolves_the_complaint(dealer, sessions):
    with_goodwill(sessions)
    chat = Conversation("web:known", language="en")
    chat.say("file_complaint", "I waited three hours for a simple oil change, way too slow", form="complaint_form")
    replies = chat.say("affirm", "yes")  # waiting time, as guessed
    offered = texts(replies)
    assert "over 60 minutes, we offer a free car wash voucher" in offered and "Does this resolve it?" in offered
    assert "Recorded as resolved" in texts(chat.say("affirm", "/affirm"))
    [complaint] = stored(sessions)
    assert complaint.status == "resolved" and "free car wash voucher" in complaint.resolution


def test_goodwill_refused_escalates_and_a_store_without_a_policy_offers_none(dealer, sessions):
    chat = Conversation("web:known")
    chat.say("file_complaint", "保养等了三个小时，太慢了", form="complaint_form")
    assert "您希望我们怎么处理" in texts(chat.say("affirm", "对"))  # no policy: straight to the outcome
    with_goodwill(sessions)
    chat = Conversation("web:known")
    chat.say("file_complaint", "上次保养等了三个小时，太慢了", form="complaint_form")
    assert "等待超过60分钟，我们为您提供一张免费洗车券" in texts(chat.say("affirm", "对"))
    chat.say("deny", "不够，我要找主管")
    assert "已直接升级给主管处理" in texts(chat.say("inform", "要一个正式的道歉"))
    assert stored(sessions)[-1].status == "escalated"


@pytest.mark.parametrize("lang, words, lost, expect", [
    ("zh-Hans", "我要投诉你们店的服务", ["啊？", "随便吧"], "为免我理解有误，已直接升级给主管处理"),
    ("en", "complaint", ["huh?", "whatever"], "nothing gets lost in my misunderstanding"),
])
def test_two_answers_the_bot_cannot_place_escalate_the_complaint(dealer, sessions, lang, words, lost, expect):
    chat = Conversation("web:known", language=lang)
    chat.say("file_complaint", words, form="complaint_form")
    chat.say("inform", "上周保养的时候顾问态度很差，问什么都不耐烦" if lang != "en" else
             "the advisor was rude and ignored my questions last week")
    first = texts(chat.say("out_of_scope", lost[0]))
    assert "CP-" not in first and chat.form == "complaint_form"  # asked once more
    assert expect in texts(chat.say("nlu_fallback", lost[1]))
    [complaint] = stored(sessions)
    assert complaint.status == "escalated" and chat.form is None
    with transaction(sessions) as session:
        assert session.execute(select(Escalation.reason)).scalars().all() == ["misunderstanding"]
