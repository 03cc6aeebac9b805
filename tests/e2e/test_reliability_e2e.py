"""The whole product (`python -m bot.launcher`) under faults and bad input: the fuzz corpus through
Rasa's REST webhook and the front door's /api/chat; the action server hung and killed; Rasa
restarted in the middle of a booking. The customer always gets an answer, nothing they sent is
lost, nothing is stored that should not be, and the conversation carries on once parts are back."""
from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest
from sqlalchemy import func, select

from aftersales import contact_log, customer_text
from aftersales.models import Appointment, Complaint, Customer, Escalation, RepairOrder, Vehicle
from tests.e2e.stack import Stack, post_json
from tests.e2e.test_booking_rest import bookable_phrase
from tests.reliability import corpus, tally

pytestmark = [pytest.mark.e2e, pytest.mark.reliability]

APOLOGY_ZH, APOLOGY_EN = "消息已记录", "Your message is saved"


@pytest.fixture(scope="module")
def stack(tmp_path_factory, trained_model):
    """The stack, waiting at most 8 s for Rasa before the front door apologises."""
    stack = Stack(tmp_path_factory.mktemp("var"), {"RASA_REPLY_TIMEOUT_S": "8"})
    stack.start()
    yield stack
    stack.kill()


def pid_of(stack: Stack, name: str) -> int:
    """The newest process the launcher started under this name (a restart logs a new one)."""
    lines = [line for line in stack.lines if f"started {name} (pid " in line]
    return int(lines[-1].rsplit("pid ", 1)[1].rstrip(")\n"))


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def wait_for(url: str, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while not answers(url):
        assert time.monotonic() < deadline, f"{url} did not come back"
        time.sleep(1)


def send(url: str, body: dict, timeout_s: float = 60) -> tuple[int, object]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def chat(stack: Stack, session: str, message: str) -> str:
    status, body = send(stack.url("WEB_PORT", "/api/chat"), {"session": session, "message": message})
    assert status == 200, status
    return "\n".join(reply.get("text", "") for reply in body["replies"])


def logged_in(database, key: str) -> list[str]:
    with database() as session:
        return [e.text for e in contact_log.history(session, key) if e.direction == "in"]


def counts(database) -> dict:
    with database() as session:
        return {model.__name__: session.execute(select(func.count()).select_from(model)).scalar()
                for model in (Customer, Vehicle, Appointment, Complaint)}


def someone_elses_order(database) -> tuple[str, str, str]:
    """A demo customer's repair order: its reference, their plate and their name."""
    with database() as session:
        order = session.execute(select(RepairOrder).order_by(RepairOrder.id)).scalars().first()
        vehicle, customer = session.get(Vehicle, order.vehicle_id), session.get(Customer, order.customer_id)
        return order.reference, vehicle.plate, customer.name


def test_the_fuzz_corpus_is_answered_through_rasa_and_the_front_door_and_stores_nothing(stack, database):
    reference, plate, name = someone_elses_order(database)
    before = counts(database)
    seen, unanswered = Counter(), []
    try:
        for n, (category, message) in enumerate(corpus(other=reference)):
            seen["bad_inputs"] += 2
            status, replies = send(stack.url("RASA_PORT", "/webhooks/rest/webhook"), {"sender": f"rest:fz{n}", "message": message})
            seen["server_errors"] += status >= 500
            assert status == 200, (category, message[:80], status)
            status, body = send(stack.url("WEB_PORT", "/api/chat"), {"session": f"fz{n}", "message": message})
            seen["server_errors"] += status >= 500
            assert status == 200, (category, message[:80], status)
            said = " ".join(reply.get("text", "") for reply in body["replies"])
            if not said.strip():
                unanswered.append((category, message[:40]))
            assert plate not in said and name not in said, (message, said)  # nothing of the other customer
            expected = customer_text.clean(message)
            kept = logged_in(database, f"web:fz{n}")
            seen["lost"] += bool(expected) and kept != [expected]
            assert kept == ([expected] if expected else []), (category, message[:40], kept)
    finally:
        tally("corpus through the real stack", **seen)
    assert unanswered == []
    assert counts(database) == before


def test_a_hung_action_server_gets_an_apology_a_person_is_asked_and_the_chat_goes_on(stack, database):
    actions = pid_of(stack, "action server")
    os.kill(actions, signal.SIGSTOP)
    try:
        started = time.monotonic()
        said = chat(stack, "hung", "你们店地址在哪里？电话多少")
        waited = time.monotonic() - started
    finally:
        os.kill(actions, signal.SIGCONT)
    kept = logged_in(database, "web:hung")
    tally("action server hung (SIGSTOP)", faults=1, lost=int("你们店地址在哪里？电话多少" not in kept))
    assert APOLOGY_ZH in said and "人工" in said and waited < 30
    assert kept == ["你们店地址在哪里？电话多少"]
    with database() as session:
        assert session.execute(select(Escalation.reason).where(Escalation.conversation_key == "web:hung")).scalar() == "bot_unavailable"
    time.sleep(3)  # Rasa finishes the turn it was waiting on
    again = chat(stack, "hung", "你们店地址在哪里？电话多少")
    assert APOLOGY_ZH not in again and again.strip()


def test_a_dead_action_server_gets_an_apology_and_after_its_restart_the_chat_goes_on(stack, database):
    launcher = stack.process.pid
    os.kill(launcher, signal.SIGSTOP)  # hold the restart, so the outage lasts while we look
    try:
        os.killpg(pid_of(stack, "action server"), signal.SIGKILL)
        time.sleep(1)
        said = chat(stack, "dead", "what are your opening hours?")
    finally:
        os.kill(launcher, signal.SIGCONT)
    kept = logged_in(database, "web:dead")
    tally("action server killed", faults=1, lost=int("what are your opening hours?" not in kept))
    assert APOLOGY_EN in said and "a person" in said and kept == ["what are your opening hours?"]
    wait_for(stack.url("ACTIONS_PORT", "/health"))
    again = chat(stack, "dead", "what are your opening hours?")
    assert APOLOGY_EN not in again and again.strip()


def test_rasa_restarted_in_the_middle_of_a_booking_resumes_where_it_was(stack, database):
    phrase, _wanted = bookable_phrase(database, "GZ-TH", ["下周二上午10点", "下周三上午10点", "下周四上午10点"])
    assert "手机号" in chat(stack, "midform", f"我想{phrase}给粤A55555做个小保养")
    os.killpg(pid_of(stack, "rasa server"), signal.SIGKILL)
    time.sleep(1)
    during = chat(stack, "midform", "13755556666")
    assert APOLOGY_ZH in during
    wait_for(stack.url("RASA_PORT", "/status"), timeout_s=240)
    summary = chat(stack, "midform", "13755556666")
    done = chat(stack, "midform", "/affirm")
    kept = logged_in(database, "web:midform")
    tally("Rasa restarted mid-form", faults=1, lost=int(kept.count("13755556666") != 2))
    assert "请确认预约信息" in summary, summary
    assert kept.count("13755556666") == 2  # the one sent while Rasa was down is in the log too
    assert "预约成功" in done
    with database() as session:
        owners = session.execute(select(Customer).where(Customer.phone == "13755556666")).scalars().all()
        assert len(owners) == 1
        assert session.execute(select(func.count()).select_from(Appointment)
                               .where(Appointment.customer_id == owners[0].id)).scalar() == 1
