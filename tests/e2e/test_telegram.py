"""Customers on Telegram, end to end: the whole product (`python -m bot.launcher`) long-polls an
emulated Telegram Bot API (tests/e2e/telegram_api.py) and the tests write as Telegram users:
commands, button presses, a shared contact, a photo, long answers and a flood."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from aftersales.models import Appointment, Attachment, ContactLog, Symptom
from bot.relay import SLOW_DOWN
from tests.e2e.stack import Stack
from tests.e2e.telegram_api import BotMessage, TelegramUser

pytestmark = pytest.mark.e2e
CJK = re.compile(r"[\u4e00-\u9fff]")
DEMO_PHONE = "+86 138 2879 1560"  # 罗文斌 of the demo dealer, owner of 粤A1P6X3 (in the workshop)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, trained_model, telegram):
    stack = Stack(tmp_path_factory.mktemp("var"), extra_env=telegram.env())
    stack.start()
    yield stack
    stack.kill()


def any_message(_: BotMessage) -> bool:
    return True


def test_start_greets_offers_both_languages_and_a_button_to_share_the_phone_number(stack, telegram):
    user = TelegramUser(6001, "小陈", language_code="zh-hans")
    since = telegram.send_message(user, user.id, "/start")
    greeting = telegram.wait_for(user.id, lambda m: "售后服务助手" in m.text, since=since)
    languages = telegram.wait_for(user.id, lambda m: m.buttons, since=since)
    assert [title for title, _ in languages.buttons] == ["中文", "English"]
    assert languages.data_of("English") == '/switch_language{"language_request":"en"}'
    share = telegram.wait_for(user.id, lambda m: m.reply_keyboard, since=since)
    assert share.reply_keyboard[0]["request_contact"] is True
    assert greeting.parse_mode == "HTML" and "typing" in telegram.chat_actions(user.id)


def test_help_human_and_stop_commands_are_the_intents_of_the_same_names(stack, telegram):
    user = TelegramUser(6007, "小周", language_code="zh-hans")
    since = telegram.send_message(user, user.id, "/help")
    menu = telegram.wait_for(user.id, lambda m: "我可以帮您" in m.text, since=since)
    assert menu.data_of("维修进度") == "/check_repair_progress"
    since = telegram.send_message(user, user.id, "/human")
    telegram.wait_for(user.id, lambda m: "服务人员来接手" in m.text, since=since)
    since = telegram.send_message(user, user.id, "/stop")
    telegram.wait_for(user.id, lambda m: "已取消" in m.text, since=since)


def test_a_booking_in_chinese_with_button_presses_ends_with_a_calendar_file(stack, telegram, database):
    user = TelegramUser(6002, "张先生", language_code="zh-hans")
    since = telegram.send_message(user, user.id, "我想预约小保养")
    telegram.wait_for(user.id, lambda m: "车牌号" in m.text, since=since)
    since = telegram.send_message(user, user.id, "粤A12388")
    telegram.wait_for(user.id, lambda m: "手机号" in m.text, since=since)
    since = telegram.send_message(user, user.id, "13711118888")
    times = telegram.wait_for(user.id, lambda m: m.buttons, since=since)  # the soonest free slots
    title, data = times.buttons[0]
    since = telegram.press(user, user.id, data)
    summary = telegram.wait_for(user.id, lambda m: "请确认预约信息" in m.text, since=since)
    assert "粤A12388" in summary.text and "工时费" in summary.text and title.split()[-1] in summary.text
    [offered] = [m for m in telegram.bot_messages(user.id) if m.message_id == times.message_id]
    assert offered.keyboard_closed  # a keyboard is used once
    since = telegram.press(user, user.id, summary.data_of("确认并提醒我"))
    done = telegram.wait_for(user.id, lambda m: "预约成功" in m.text, since=since)
    reference = re.search(r"AP-\d{8}-\d{4}", done.text).group()
    calendar = telegram.wait_for(user.id, lambda m: m.document is not None, since=since)
    assert calendar.document["file_name"] == f"{reference}.ics"
    assert b"BEGIN:VCALENDAR" in calendar.document["content"]
    with database() as session:
        booked = session.execute(select(Appointment).where(Appointment.reference == reference)).scalar_one()
        assert booked.reminder_opt_in and booked.status == "booked"


def test_lang_then_english_and_answers_stay_in_english(stack, telegram):
    user = TelegramUser(6003, "Sam", language_code="zh-hans")
    since = telegram.send_message(user, user.id, "/lang")
    choice = telegram.wait_for(user.id, lambda m: m.buttons, since=since)
    since = telegram.press(user, user.id, choice.data_of("English"))
    assert "English" in telegram.wait_for(user.id, any_message, since=since).text
    since = telegram.send_message(user, user.id, "三包期是多久")  # asked in Chinese
    answer = telegram.wait_for(user.id, any_message, since=since)
    assert "warranty" in answer.text and not CJK.search(answer.text)


def test_a_shared_contact_identifies_the_customer_and_progress_needs_no_plate(stack, telegram, database):
    user = TelegramUser(6004, "罗文斌", language_code="zh-hans")
    since = telegram.share_contact(user, user.id, DEMO_PHONE, contact_user_id=424242)  # someone else's card
    assert "您本人" in telegram.wait_for(user.id, any_message, since=since).text
    since = telegram.share_contact(user, user.id, DEMO_PHONE)
    linked = telegram.wait_for(user.id, any_message, since=since)
    assert "已确认您的身份" in linked.text and "粤A1P6X3" in linked.text
    since = telegram.send_message(user, user.id, "我的车修好了吗")
    progress = telegram.wait_for(user.id, lambda m: "RO-" in m.text, since=since)
    assert "粤A1P6X3 · 已接车" in progress.text and "服务顾问：李敏" in progress.text
    asked = [m.text for m in telegram.bot_messages(user.id)[since:]]
    assert not any("车牌号" in text or "后4位" in text for text in asked)
    order = re.search(r"RO-\d{8}-\d{4}", progress.text).group()

    photo = b"\xff\xd8\xff\xe0 dashboard with a warning light " + bytes(range(256)) * 20 + b"\xff\xd9"
    since = telegram.send_photo(user, user.id, photo, caption="仪表盘这个灯亮了")
    assert order in telegram.wait_for(user.id, any_message, since=since).text
    with database() as session:
        kept = session.execute(select(Attachment).where(Attachment.conversation_key == "tg:6004")).scalar_one()
    assert Path(stack.env["VAR_DIR"], kept.path).read_bytes() == photo and kept.caption == "仪表盘这个灯亮了"


def test_a_long_answer_arrives_in_pieces_cut_at_line_breaks(stack, telegram, database):
    lines = [f"{n}. 发动机故障灯常亮的可能原因之一：氧传感器、点火线圈、三元催化或油箱盖未拧紧，需读取故障码确认。"
             for n in range(1, 121)]
    with database() as session, session.begin():  # the dealer pastes a long explanation into its data
        session.execute(update(Symptom).where(Symptom.code == "engine_light_steady").values(causes="\n".join(lines)))
    user = TelegramUser(6005, "小李", language_code="zh-hans")
    since = telegram.send_message(user, user.id, "发动机故障灯亮了")
    telegram.wait_for(user.id, lambda m: "120. " in m.text, since=since)
    pieces = [m.text for m in telegram.bot_messages(user.id)[since:]]
    assert len(pieces) >= 2 and all(len(piece) <= 4096 for piece in pieces)
    said = "\n".join(pieces).split("\n")
    assert all(line in said for line in lines[1:-1])  # no line was cut in two


def test_a_flood_gets_one_slow_down_and_the_rest_is_not_answered(stack, telegram, database):
    user = TelegramUser(6006, "小王", language_code="zh-hans")
    since = telegram.send_message(user, user.id, "你好")
    telegram.wait_for(user.id, lambda m: "售后服务助手" in m.text, since=since)
    since = len(telegram.bot_messages(user.id))
    for _ in range(12):  # default limit: 8 messages in 10 seconds; the greeting above was one
        telegram.send_message(user, user.id, "你好")
    answers = [m.text for m in telegram.wait_quiet(user.id, quiet_s=4)[since:]]
    assert answers.count(SLOW_DOWN["zh"]) == 1
    assert len([text for text in answers if "售后服务助手" in text]) == 7
    with database() as session:
        said = session.execute(select(ContactLog.text).where(
            ContactLog.conversation_key == "tg:6006", ContactLog.direction == "in")).scalars().all()
    assert said == ["你好"] * 13  # every message is kept all the same
