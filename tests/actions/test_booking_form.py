"""The booking conversation as the customer lives it: asked only what is missing, told why a
time does not work, offered free slots, and booked into the real database."""
from __future__ import annotations

import pytest
from sqlalchemy import select

import actions.appointment_changes as changes
import actions.booking as booking
import actions.context as context
import actions.prices as prices
from aftersales import appointments, customers
from aftersales.db import transaction
from aftersales.models import Appointment
from tests.actions.conversation import Conversation, ent, time_entity
from tests.aftersales.small_dealer import NOW, local, make_customer, make_store


@pytest.fixture
def dealer(sessions, monkeypatch):
    """The small test store, a known customer (linked chat web:known, one car) and the clock at NOW."""
    for module in (context, booking, changes, prices):
        monkeypatch.setattr(module, "sessions", lambda: sessions)
    monkeypatch.setattr(booking, "now", lambda: NOW)
    monkeypatch.setattr(changes, "now", lambda: NOW)
    with transaction(sessions) as session:
        make_store(session)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        customers.link(session, "web:known", "粤B12345", "13812345678", NOW)
        make_customer(session, "粤B99999", "13999999999")
        return vehicle.customer_id


def iso(day, hour, minute=0, month=11):
    return local(day, hour, minute, month).isoformat()


def booked(sessions, customer_id=None):
    with transaction(sessions) as session:
        query = select(Appointment).where(Appointment.status == "booked")
        if customer_id:
            query = query.where(Appointment.customer_id == customer_id)
        return list(session.execute(query).scalars())


def buttons(replies):
    return [b for r in replies for b in r.get("buttons") or []]


def test_one_sentence_needs_only_a_confirmation(dealer, sessions):
    chat = Conversation("web:known")
    replies = chat.say("book_appointment", "我想明天上午10点给粤B12345做个小保养", [
        ent("service_type", "minor_service"), ent("plate_number", "粤B12345"), time_entity(iso(24, 10)),
    ], form="booking_form")
    summary = chat.texts(replies)
    assert "11月24日（周二）10:00" in summary and "粤B12345" in summary
    assert "工时费：¥300" in summary and "配件费：¥450" in summary and "预计合计：¥750" in summary
    assert "服务顾问：李敏" in summary
    replies = chat.say("affirm", "确认")
    assert "预约成功！预约号 AP-20261124-0001" in chat.texts(replies)
    [appointment] = booked(sessions, dealer)
    assert appointment.starts_at == local(24, 10) and appointment.channel == "web"
    assert chat.form is None


def test_a_new_customer_is_asked_for_a_phone_and_registered(dealer, sessions):
    chat = Conversation("web:new")
    replies = chat.say("book_appointment", "明天上午10点给粤A77777做小保养", [
        ent("service_type", "minor_service"), ent("plate_number", "粤A77777"), time_entity(iso(24, 10)),
    ], form="booking_form")
    assert "联系手机号" in chat.texts(replies)
    replies = chat.say("inform", "13700001111", [ent("phone", "13700001111")])
    assert "请确认预约信息" in chat.texts(replies)
    chat.say("affirm", "好的")
    with transaction(sessions) as session:
        customer = customers.customer_of(session, "web:new")
        assert customer.phone == "13700001111" and [v.plate for v in customer.vehicles] == ["粤A77777"]
    assert len(booked(sessions)) == 1


def test_a_date_or_time_that_does_not_exist_is_named_and_the_time_asked_again(dealer, sessions):
    chat = Conversation("web:known")
    replies = chat.say("book_appointment", "我想2月30日上午10点给粤B12345做个小保养", [
        ent("service_type", "minor_service"), ent("plate_number", "粤B12345")], form="booking_form")
    said = chat.texts(replies)
    assert "“2月30日”这个时间不存在" in said and "请问想约什么时间" in said
    assert buttons(replies)  # the nearest free slots to pick from instead
    replies = chat.say("inform", "那就25:00吧")
    assert "“25:00”这个时间不存在" in chat.texts(replies)
    replies = chat.say("inform", "明天上午10点", [time_entity(iso(24, 10))])
    assert "11月24日（周二）10:00" in chat.texts(replies)  # a real time goes on to the summary
    assert booked(sessions) == []


def test_an_impossible_date_in_english_is_named_too(dealer, sessions):
    chat = Conversation("web:known", language="en")
    chat.say("book_appointment", "book a minor service for 粤B12345", [
        ent("service_type", "minor_service"), ent("plate_number", "粤B12345")], form="booking_form")
    replies = chat.say("inform", "April 31st at 10am")
    assert '"April 31st" is not a real date or time' in chat.texts(replies)


def test_step_by_step_in_english_with_a_day_then_a_slot_button(dealer, sessions):
    chat = Conversation("web:step", language="en")
    replies = chat.say("book_appointment", "I want to book a service", form="booking_form")
    assert "What would you like done?" in chat.texts(replies)
    assert {"title": "Minor service", "payload": '/inform{"service_type": "minor_service"}'} in buttons(replies)
    replies = chat.say("inform", "oil change", [ent("service_type", "minor_service")])
    assert "plate" in chat.texts(replies)
    replies = chat.say("inform", "粤A55555", [ent("plate_number", "粤A55555")])
    assert "mobile number" in chat.texts(replies)
    replies = chat.say("inform", "13755556666", [ent("phone", "13755556666")])
    assert "When would you like to come?" in chat.texts(replies)
    replies = chat.say("inform", "Wednesday", [time_entity(iso(25, 0), grain="day")])
    offered = buttons(replies)
    assert "Free slots on Wed Nov 25" in chat.texts(replies) and offered[0]["title"] == "Wed Nov 25 08:30"
    replies = chat.say("inform", offered[2]["payload"], [ent("time", iso(25, 9, 30))])
    assert "Time: Wed Nov 25, 09:30" in chat.texts(replies) and "Labour: ¥300" in chat.texts(replies)
    replies = chat.say("affirm", "/affirm", [ent("reminder", "yes")])
    assert "You're booked!" in chat.texts(replies) and "remind you the day before" in chat.texts(replies)
    [appointment] = booked(sessions)
    assert appointment.reminder_opt_in and appointment.starts_at == local(25, 9, 30)


def test_a_correction_at_the_summary_changes_the_time(dealer, sessions):
    chat = Conversation("web:known")
    chat.say("book_appointment", "明天10点小保养", [ent("service_type", "minor_service"), time_entity(iso(24, 10))],
             form="booking_form")
    afternoon = time_entity(iso(25, 12), **{"from": iso(25, 12), "to": iso(25, 18)})
    replies = chat.say("deny", "不对，改成后天下午", [afternoon])
    offered = buttons(replies)
    assert offered[0]["title"] == "11/25 周三 12:00"
    replies = chat.say("inform", offered[1]["payload"], [ent("time", iso(25, 12, 30))])
    assert "11月25日（周三）12:30" in chat.texts(replies)
    assert booked(sessions) == []  # nothing is booked before the confirmation


def test_a_price_question_mid_form_is_answered_and_the_question_repeated(dealer):
    chat = Conversation("web:known")
    chat.say("book_appointment", "约个小保养", [ent("service_type", "minor_service")], form="booking_form")
    assert chat.slots["requested_slot"] == "booking_time"
    replies = chat.say("ask_price", "大保养多少钱", [ent("service_type", "major_service")])
    text = chat.texts(replies)
    assert chat.slots["booking_services"] == ["minor_service"]  # the question did not change the booking
    assert "请问想约什么时间" in text and chat.slots["requested_slot"] == "booking_time"


@pytest.mark.parametrize("wanted, says", [
    (iso(29, 10), "那天门店休息"),  # Sunday
    (iso(2, 10, month=12), "那天是培训日，门店休息"),
    (iso(22, 10), "这个时间已经过去了"),
    (iso(23, 11), "需要至少提前2小时预约"),
    (iso(24, 20), "不在营业时间内"),
])
def test_a_time_that_does_not_work_is_explained_with_three_free_slots(dealer, wanted, says):
    chat = Conversation("web:known")
    replies = chat.say("book_appointment", "约小保养", [ent("service_type", "minor_service"), time_entity(wanted)],
                       form="booking_form")
    assert says in chat.texts(replies)
    assert len(buttons(replies)) == 3 and chat.slots["booking_time"] is None


def test_a_full_slot_offers_the_nearest_free_ones_and_the_race_loser_too(dealer, sessions):
    with transaction(sessions) as session:
        store_menu = None
        from aftersales.models import Store
        store = session.execute(select(Store)).scalar()
        store_menu = appointments.menu(session, store, ["minor_service"])
        for n in range(2):
            vehicle = make_customer(session, f"粤C0000{n}", f"1360000000{n}")
            appointments.book(session, store=store, vehicle=vehicle, services=store_menu, start=local(24, 10), now=NOW)
    chat = Conversation("web:known")
    replies = chat.say("book_appointment", "明天10点小保养", [ent("service_type", "minor_service"),
                                                        time_entity(iso(24, 10))], form="booking_form")
    assert "这个时间已约满" in chat.texts(replies)
    assert [b["title"] for b in buttons(replies)] == ["11/24 周二 09:00", "11/24 周二 11:00", "11/24 周二 08:30"]


def test_someone_elses_plate_is_refused(dealer):
    chat = Conversation("web:known")
    replies = chat.say("book_appointment", "给粤B99999约小保养", [ent("service_type", "minor_service"),
                                                          ent("plate_number", "粤B99999")], form="booking_form")
    assert "登记在别的客户名下" in chat.texts(replies)


def test_five_wrong_owner_phones_pause_the_chat_and_the_last_four_digits_suffice(dealer, sessions):
    chat = Conversation("web:stranger")
    replies = chat.say("book_appointment", "给粤B12345约小保养", [ent("service_type", "minor_service"),
                                                            ent("plate_number", "粤B12345")], form="booking_form")
    assert "后4位" in chat.texts(replies)
    for wrong in ("1111", "13000000002", "2222", "3333"):
        replies = chat.say("inform", wrong)
        assert "不一致" in chat.texts(replies)
    replies = chat.say("inform", "4444")
    assert "15分钟内不能再核对" in chat.texts(replies)
    chat.say("inform", "粤B12345", [ent("plate_number", "粤B12345")])
    replies = chat.say("inform", "5678")  # right, but paused
    assert "15分钟内不能再核对" in chat.texts(replies)
    owner = Conversation("web:owner")
    owner.say("book_appointment", "给粤B12345约小保养", [ent("service_type", "minor_service"),
                                                   ent("plate_number", "粤B12345")], form="booking_form")
    owner.say("inform", "5678")
    with transaction(sessions) as session:
        assert customers.customer_of(session, "web:owner").id == dealer


def test_a_new_plate_needs_a_whole_phone_number(dealer):
    chat = Conversation("web:new4")
    chat.say("book_appointment", "给粤A00001约小保养", [ent("service_type", "minor_service"),
                                                  ent("plate_number", "粤A00001")], form="booking_form")
    replies = chat.say("inform", "1234")
    assert "联系手机号" in chat.texts(replies) and chat.slots["booking_phone"] is None


def book_for_known(sessions, customer_id, start):
    with transaction(sessions) as session:
        from aftersales.models import Store, Vehicle
        store = session.execute(select(Store)).scalar()
        vehicle = session.execute(select(Vehicle).where(Vehicle.customer_id == customer_id)).scalar()
        return appointments.book(session, store=store, vehicle=vehicle,
                                 services=appointments.menu(session, store, ["minor_service"]),
                                 start=start, now=NOW).reference


def test_moving_the_only_appointment_keeps_its_reference(dealer, sessions):
    reference = book_for_known(sessions, dealer, local(24, 10))
    chat = Conversation("web:known")
    replies = chat.say("reschedule_appointment", "改到周五下午三点", [time_entity(iso(27, 15))], form="reschedule_form")
    assert f"已改约：{reference} 改到 11月27日（周五）15:00" in chat.texts(replies)
    [appointment] = booked(sessions)
    assert appointment.reference == reference and appointment.starts_at == local(27, 15)


def test_moving_to_a_date_that_does_not_exist_names_it_and_moves_nothing(dealer, sessions):
    reference = book_for_known(sessions, dealer, local(24, 10))
    chat = Conversation("web:known")
    replies = chat.say("reschedule_appointment", "改到2月30号", form="reschedule_form")
    assert "“2月30号”这个时间不存在" in chat.texts(replies)
    [appointment] = booked(sessions)
    assert appointment.reference == reference and appointment.starts_at == local(24, 10)


def test_cancelling_asks_first_and_then_frees_the_slot(dealer, sessions):
    reference = book_for_known(sessions, dealer, local(24, 10))
    chat = Conversation("web:known")
    replies = chat.say("cancel_appointment", "取消预约", form="cancel_form")
    assert f"确定要取消 {reference}" in chat.texts(replies)
    replies = chat.say("affirm", "是的")
    assert f"已取消预约 {reference}" in chat.texts(replies)
    assert booked(sessions) == []


def test_someone_elses_reference_is_not_found(dealer, sessions):
    reference = book_for_known(sessions, dealer, local(24, 10))
    with transaction(sessions) as session:
        customers.link(session, "web:other", "粤B99999", "13999999999", NOW)
    chat = Conversation("web:other")
    replies = chat.say("cancel_appointment", f"取消 {reference}", [ent("order_id", reference)], form="cancel_form")
    assert "没有找到您名下的这个预约号" in chat.texts(replies)
    assert len(booked(sessions)) == 1


def test_a_foreign_plate_and_phone_typed_as_answers_are_taken(dealer, sessions):
    chat = Conversation("web:us", language="en")
    chat.say("book_appointment", "book a minor service", [ent("service_type", "minor_service")], form="booking_form")
    replies = chat.say("inform", "plate is 7abc123")
    assert chat.slots["booking_vehicle"] == "7ABC123" and "mobile number" in chat.texts(replies)
    chat.say("inform", "(408) 555-0134")
    with transaction(sessions) as session:
        assert customers.customer_of(session, "web:us").phone == "14085550134"


def test_a_shared_location_picks_the_nearest_store(dealer, sessions):
    with transaction(sessions) as session:
        from aftersales.models import Store
        first = session.execute(select(Store)).scalar()
        first.latitude, first.longitude = 23.13, 113.34  # Guangzhou
        second = make_store(session, code="T2")
        second.latitude, second.longitude = 22.54, 114.06  # Shenzhen
    chat = Conversation("web:where")
    chat.say("book_appointment", "约小保养", [ent("service_type", "minor_service")], form="booking_form")
    chat.say("inform", "粤B55555", [ent("plate_number", "粤B55555")])
    replies = chat.say("inform", "13755555555", [ent("phone", "13755555555")])
    assert "去哪家店" in chat.texts(replies) and buttons(replies)[-1]["payload"] == booking.LOCATION
    chat.say("inform", "/inform{...}", [ent("latitude", 22.6), ent("longitude", 114.0)])
    assert chat.slots["booking_store"] == "T2"
