"""Complaints and repair progress over Telegram, end to end, on the whole product against an
emulated Bot API (tests/e2e/telegram_api.py) and a clock the test moves (DEALER_CLOCK_FILE):

- a customer's complaint is escalated into the supervisor group as a card; someone who is not a
  supervisor is refused; 王经理 takes it over, the customer's messages reach the group and his
  replies reach the customer, he resolves it, and the customer answers the survey;
- the workshop moves a car through its stages from the CLI, the customer gets each push,
  approves extra work by button, and three days after delivery the follow-up's low score opens
  a complaint;
- a complaint nobody answers escalates exactly once when its deadline passes, a restarted front
  door included;
- a takeover goes on across a restart of each process (action server, Rasa, front door) and
  every message of it is on the ticket and in the contact log.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from aftersales.models import Complaint, ContactLog, Escalation, RepairOrder, Survey, Vehicle
from aftersales.settings import PROJECT_ROOT
from bot.launcher import answers
from tests.e2e.stack import Stack
from tests.e2e.telegram_api import BOT_USER, BotMessage, TelegramUser

pytestmark = pytest.mark.e2e
GROUP = -1007770001
WANG = TelegramUser(9001, "王经理")
STRANGER = TelegramUser(9666, "路人")
TICKET = re.compile(r"CP-\d{4}-\d{5}")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def daytime_offset(days: int = 0) -> float:
    """Seconds to add to now for the clock to read the next weekday, 10:30 in Guangzhou."""
    now = datetime.now(timezone.utc)
    day = now.astimezone(SHANGHAI).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    target = datetime(day.year, day.month, day.day, 10, 30, tzinfo=SHANGHAI) + timedelta(days=days)
    return (target - now).total_seconds()


@pytest.fixture(scope="module")
def clock_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("clock") / "offset"
    path.write_text(str(daytime_offset()))
    return path


@pytest.fixture(scope="module")
def stack(tmp_path_factory, trained_model, telegram, clock_file):
    env = {**telegram.env(), "SUPERVISOR_CHAT_ID": str(GROUP), "SUPERVISOR_TELEGRAM_IDS": f"wang={WANG.id}",
           "DEALER_CLOCK_FILE": str(clock_file), "SLA_INTERVAL_S": "1", "CARE_INTERVAL_S": "1",
           "FLOOD_MAX_MESSAGES": "40"}  # a test types faster than any customer
    stack = Stack(tmp_path_factory.mktemp("var"), extra_env=env)
    stack.start()
    yield stack
    stack.kill()


def say(telegram, user: TelegramUser, text: str, expect: str, timeout: float = 60) -> BotMessage:
    since = telegram.send_message(user, user.id, text)
    return telegram.wait_for(user.id, lambda m: expect in m.text, since=since, timeout=timeout)


def reply_in_group(telegram, user: TelegramUser, to: BotMessage, text: str) -> None:
    replied = {"message_id": to.message_id, "date": int(time.time()), "from": BOT_USER, "text": to.raw_text,
               "chat": {"id": GROUP, "type": "supergroup", "title": "supervisors"}}
    telegram.send_message(user, GROUP, text, reply_to_message=replied)


def card_of(telegram, reference: str) -> BotMessage:
    return telegram.wait_for(GROUP, lambda m: m.text.startswith("🔔") and reference in m.text)


def test_a_complaint_is_taken_over_from_the_supervisor_group_answered_resolved_and_rated(
        stack, telegram, database):
    alice = TelegramUser(7001, "Alice")
    say(telegram, alice, "我要投诉，上周保养完发动机还是有异响，根本没修好", "车牌")
    say(telegram, alice, "粤A77777", "手机号")
    say(telegram, alice, "13777778888", "对吗")  # the category guessed from the words, to confirm
    say(telegram, alice, "对", "怎么处理")
    filed = say(telegram, alice, "转人工", "CP-")
    reference = TICKET.search(filed.text).group()

    card = card_of(telegram, reference)
    assert "粤A77777" in card.text and "137****8888" in card.text and "13777778888" not in card.text
    assert "发动机还是有异响" in card.text and "First response due" in card.text

    telegram.press(STRANGER, GROUP, card.data_of("Take over"))
    time.sleep(2)
    assert not [m for m in telegram.bot_messages(alice.id) if "已接入" in m.text]
    assert any(f"refused for Telegram user {STRANGER.id}" in line for line in stack.lines)

    since = telegram.press(WANG, GROUP, card.data_of("Take over"))
    telegram.wait_for(alice.id, lambda m: "王经理（主管）已接入" in m.text)
    assert "王经理 已接手" in card_of(telegram, reference).text

    held = telegram.send_message(alice, alice.id, "明天上午能再帮我看看吗？")
    shown = telegram.wait_for(GROUP, lambda m: m.text.startswith("💬") and "明天上午能再帮我看看吗" in m.text,
                              since=since)
    assert not telegram.bot_messages(alice.id)[held:] or all(
        "已接入" in m.text for m in telegram.bot_messages(alice.id)[held:])  # the bot stays silent

    reply_in_group(telegram, WANG, shown, "可以，明天上午10点直接来店，我亲自安排技师复检。")
    telegram.wait_for(alice.id, lambda m: "我亲自安排技师复检" in m.text)

    since = telegram.press(WANG, GROUP, card.data_of("Resolve"))
    prompt = telegram.wait_for(GROUP, lambda m: m.text.startswith("📝") and reference in m.text, since=since)
    since_alice = len(telegram.bot_messages(alice.id))
    reply_in_group(telegram, WANG, prompt, "已安排明天免费复检并更换异响的皮带")
    settled = telegram.wait_for(alice.id, lambda m: "解决了吗" in m.text, since=since_alice)
    assert any("免费复检" in m.text for m in telegram.bot_messages(alice.id)[since_alice:])

    since = telegram.press(alice, alice.id, settled.data_of("解决了"))
    telegram.wait_for(alice.id, lambda m: "服务顾问" in m.text, since=since)
    comment = say(telegram, alice, "5 5 4 5 4", "还有什么")
    since = telegram.press(alice, alice.id, comment.data_of("没有了"))
    telegram.wait_for(alice.id, lambda m: "感谢您的评价" in m.text, since=since)

    with database() as session:
        complaint = session.execute(select(Complaint).where(Complaint.reference == reference)).scalar_one()
        kinds = [event.kind for event in complaint.events]
        survey = session.execute(select(Survey).where(Survey.complaint_id == complaint.id)).scalar_one()
    assert complaint.status == "resolved" and "更换异响的皮带" in complaint.resolution
    for kind in ("created", "acknowledged", "escalated", "taken", "message_in", "message_out", "resolved", "survey"):
        assert kind in kinds, kinds
    assert (survey.advisor_score, survey.repair_quality_score, survey.facilities_score) == (5, 4, 4)


def workshop(stack: Stack, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "aftersales.workshop_cli", *args], cwd=PROJECT_ROOT,
                          env={**stack.env, "DATABASE_URL": f"sqlite:///{stack.env['VAR_DIR']}/aftersales.db"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_workshop_moves_the_car_the_customer_follows_approves_and_the_low_followup_opens_a_complaint(
        stack, telegram, database, clock_file):
    luo = TelegramUser(7002, "罗文斌")
    since = telegram.share_contact(luo, luo.id, "+86 138 2879 1560")
    telegram.wait_for(luo.id, lambda m: "已确认您的身份" in m.text, since=since)
    with database() as session:
        order = session.execute(select(RepairOrder).join(Vehicle, Vehicle.id == RepairOrder.vehicle_id)
                                .where(Vehicle.plate == "粤A1P6X3")).scalar_one()
    reference = order.reference

    since = len(telegram.bot_messages(luo.id))
    workshop(stack, "advance", reference, "diagnosing")
    telegram.wait_for(luo.id, lambda m: reference in m.text and "检测诊断中" in m.text, since=since)

    workshop(stack, "add-item", reference, "--kind", "part", "--description", "前刹车片",
             "--description-en", "Front brake pads", "--price", "580", "--needs-approval")
    asked = telegram.wait_for(luo.id, lambda m: "需要您确认" in m.text and m.buttons, since=since)
    assert "前刹车片" in asked.text and "¥580" in asked.text
    since = telegram.press(luo, luo.id, asked.data_of("同意"))
    telegram.wait_for(luo.id, lambda m: "已记录" in m.text and "同意维修" in m.text, since=since)
    with database() as session:
        decided = session.get(RepairOrder, order.id).items[-1]
        assert (decided.approval, decided.decided_via) == ("approved", "telegram")

    for stage in ("quality_check", "washing", "ready"):
        workshop(stack, "advance", reference, stage)
    ready = telegram.wait_for(luo.id, lambda m: "可以提车" in m.text, since=since)
    assert "应付金额" in ready.text and "营业时间" in ready.text
    workshop(stack, "advance", reference, "delivered")
    telegram.wait_for(luo.id, lambda m: "已交车" in m.text, since=since)
    time.sleep(3)
    assert not [m for m in telegram.bot_messages(luo.id)[since:] if "回访" in m.text]  # not before 3 days

    since = len(telegram.bot_messages(luo.id))
    clock_file.write_text(str(daytime_offset(days=3)))
    asked = telegram.wait_for(luo.id, lambda m: "回访" in m.text, since=since)
    assert "粤A1P6X3" in asked.text
    telegram.wait_for(luo.id, lambda m: "服务顾问" in m.text, since=since)
    say(telegram, luo, "5 4 1 4 5", "还有什么")
    told = say(telegram, luo, "刹车还是有异响", "CP-")
    assert "王经理" in told.text
    with database() as session:
        filed = session.execute(select(Complaint).where(Complaint.repair_order_id == order.id)).scalar_one()
        assert filed.category == "repair_quality" and "刹车还是有异响" in filed.description
        assert session.get(RepairOrder, order.id).followup_sent_at is not None
    card_of(telegram, filed.reference)  # high (brakes): straight to the supervisors


def test_an_unanswered_complaint_escalates_once_when_its_deadline_passes_even_across_a_restart(
        stack, telegram, database, clock_file):
    bob = TelegramUser(7003, "Bob")
    say(telegram, bob, "我要投诉，你们休息区的空调一直不开，等车的时候特别闷", "车牌")
    say(telegram, bob, "粤A88888", "手机号")
    say(telegram, bob, "13788889999", "对吗")
    say(telegram, bob, "对", "怎么处理")
    filed = say(telegram, bob, "希望改善一下环境", "CP-")
    reference = TICKET.search(filed.text).group()
    time.sleep(3)
    assert not [m for m in telegram.bot_messages(GROUP) if reference in m.text]  # normal: not yet

    clock_file.write_text(str(daytime_offset(days=4)))
    card = card_of(telegram, reference)
    assert "First response due" in card.text and "deadline passed" in card.text
    # Killed between sending the card and recording it, the front door sends it again after the
    # restart (at least once: a lost escalation is worse than a repeated one); the restart under
    # test comes after the card is recorded.
    _wait_until_notified(database, reference)

    frontdoor = next(pid for pid in reversed(stack.child_pids()) if _is_frontdoor(pid))
    os.killpg(frontdoor, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while not any("restarting it" in line for line in stack.lines) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(8)  # the restarted front door's SLA rounds run
    cards = [m for m in telegram.bot_messages(GROUP) if m.text.startswith("🔔") and reference in m.text]
    assert len(cards) == 1
    with database() as session:
        escalations = session.execute(select(Escalation).join(Complaint, Complaint.id == Escalation.complaint_id)
                                      .where(Complaint.reference == reference)).scalars().all()
    assert [(e.reason, e.notified_at is not None) for e in escalations] == [("sla_breach", True)]
    say(telegram, bob, "你好", "")  # the restarted front door answers customers again


def _wait_until_notified(database, reference: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with database() as session:
            notified = session.execute(
                select(Escalation.notified_at).join(Complaint, Complaint.id == Escalation.complaint_id)
                .where(Complaint.reference == reference)).scalars().all()
        if notified and all(notified):
            return
        time.sleep(0.2)
    raise AssertionError(f"the escalation of {reference} was sent but never recorded as notified")


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ")
    except OSError:
        return b""


def _is_frontdoor(pid: int) -> bool:
    return b"bot.frontdoor" in _cmdline(pid)


PROCESSES = {  # what each child's command line says, and where it answers when it is up
    "action server": (b"run actions", "ACTIONS_PORT", "/health"),
    "rasa server": (b"--enable-api", "RASA_PORT", "/status"),
    "front door": (b"bot.frontdoor", "WEB_PORT", "/healthz"),
}


def kill_and_wait_for_restart(stack: Stack, name: str) -> None:
    marker, port, path = PROCESSES[name]
    pid = next(pid for pid in reversed(stack.child_pids()) if marker in _cmdline(pid))
    restarts = sum("restarting it" in line for line in stack.lines)
    os.killpg(pid, signal.SIGKILL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if sum("restarting it" in line for line in stack.lines) > restarts and answers(stack.url(port, path)):
            return
        time.sleep(0.5)
    raise AssertionError(f"the {name} did not come back:\n" + "".join(stack.lines[-40:]))


def test_a_takeover_survives_a_restart_of_each_process_and_nothing_is_lost(stack, telegram, database):
    carol = TelegramUser(7004, "Carol")
    say(telegram, carol, "我要投诉，交车的时候车上多了好几道划痕，你们要负责", "车牌")
    say(telegram, carol, "粤A99999", "手机号")
    say(telegram, carol, "13799990000", "")
    filed = say(telegram, carol, "转人工", "CP-")
    reference = TICKET.search(filed.text).group()
    since = telegram.press(WANG, GROUP, card_of(telegram, reference).data_of("Take over"))
    telegram.wait_for(carol.id, lambda m: "已接入" in m.text)

    for n, name in enumerate(PROCESSES):
        kill_and_wait_for_restart(stack, name)
        words = f"第{n + 1}条：照片我已经拍好了"
        telegram.send_message(carol, carol.id, words)
        shown = telegram.wait_for(GROUP, lambda m: m.text.startswith("💬") and words in m.text, since=since)
        reply_in_group(telegram, WANG, shown, f"收到第{n + 1}条，我们核对监控")
        telegram.wait_for(carol.id, lambda m: f"收到第{n + 1}条" in m.text)

    telegram.send_photo(carol, carol.id, b"\xff\xd8\xff\xe0 a scratched door", caption="这是划痕")
    photo = telegram.wait_for(GROUP, lambda m: m.text.startswith("📷") and reference in m.text, since=since)
    assert "这是划痕" in photo.text

    since_carol = len(telegram.bot_messages(carol.id))
    telegram.press(WANG, GROUP, card_of(telegram, reference).data_of("Release"))
    telegram.wait_for(carol.id, lambda m: "已离开" in m.text, since=since_carol)
    say(telegram, carol, "你们几点关门", "营业")  # the bot answers again

    with database() as session:
        complaint = session.execute(select(Complaint).where(Complaint.reference == reference)).scalar_one()
        details = [(e.kind, e.detail) for e in complaint.events]
        logged = [row.text for row in session.execute(
            select(ContactLog).where(ContactLog.conversation_key == f"tg:{carol.id}")).scalars()]
    for n in range(1, 4):
        assert ("message_in", f"第{n}条：照片我已经拍好了") in details
        assert ("message_out", f"收到第{n}条，我们核对监控") in details
        assert f"第{n}条：照片我已经拍好了" in logged and f"收到第{n}条，我们核对监控" in logged


def test_no_process_logged_an_error_through_all_of_this(stack):
    errors = [line for line in stack.lines if " ERROR " in line or line.startswith("Traceback")]
    assert errors == [], "".join(errors)
