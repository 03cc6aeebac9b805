"""Scale-out: two Rasa replicas and two action servers sharing the PostgreSQL tracker store and
the Redis lock store (RASA_REPLICAS=2, ACTIONS_REPLICAS=2). A conversation's turns go to the
replicas alternately and at once, as a load balancer would send them; its form and slots stay
coherent and no event is lost or written twice."""
from __future__ import annotations

import json
import re
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from aftersales.db import make_engine, make_sessionmaker
from aftersales.models import Appointment
from tests.e2e.stack import Stack, post_json
from tests.e2e.test_booking_rest import bookable_phrase
from tests.services import create_database, drop_database, require_postgres, require_redis

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]
REFERENCE = re.compile(r"AP-\d{8}-\d{4}")
TIMES = [f"下周{day}{hour}" for day in "一二三四五六" for hour in ("上午10点", "下午3点")]


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, trained_model):
    admin_url, redis_url = require_postgres(), require_redis()
    name = f"scale_test_{uuid.uuid4().hex[:10]}"
    url = create_database(admin_url, name)
    env = {"DATABASE_URL": url, "REDIS_URL": redis_url, "RASA_REPLICAS": "2", "ACTIONS_REPLICAS": "2"}
    stack = Stack(tmp_path_factory.mktemp("var"), env, replicas=2)
    engine = None
    try:
        stack.start()
        engine = make_engine(url)
        yield stack, make_sessionmaker(engine)
    finally:
        stack.kill()
        if engine is not None:
            engine.dispose()
        drop_database(admin_url, name)


def say(stack: Stack, replica: int, sender: str, message: str) -> str:
    replies = post_json(stack.url("RASA_PORT", "/webhooks/rest/webhook", replica),
                        {"sender": sender, "message": message})
    return "\n".join(reply.get("text", "") for reply in replies)


def tracker(stack: Stack, replica: int, sender: str) -> dict:
    url = stack.url("RASA_PORT", f"/conversations/{sender}/tracker", replica)
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def user_texts(events: list[dict]) -> list[str]:
    return [event["text"] for event in events if event["event"] == "user"]


def test_both_replicas_and_both_action_servers_answer(replicas):
    stack, _ = replicas
    names = set(stack.children())
    assert {"rasa server", "rasa server 2", "action server", "action server 2"} <= names
    assert re.search(r"[\u4e00-\u9fff]", say(stack, 0, "scale-hello", "你好"))
    assert say(stack, 1, "scale-hello-en", "hello")


def book_across_replicas(stack: Stack, sender: str, first: int, phrase: str, plate: str) -> str:
    """One booking whose turns alternate between the replicas, starting on `first`."""
    assert "手机号" in say(stack, first, sender, f"我想{phrase}给{plate}做个小保养")
    assert "请确认预约信息" in say(stack, 1 - first, sender, f"1371234{plate[-4:]}")
    done = say(stack, first, sender, "/affirm")
    assert "预约成功" in done, done
    return REFERENCE.search(done).group()


def test_bookings_whose_turns_alternate_between_replicas_are_coherent(replicas):
    stack, database = replicas
    phrases = []
    for _ in range(4):  # four bookable times, each a different slot so none is full
        phrase, _ = bookable_phrase(database, "GZ-TH", [t for t in TIMES if t not in phrases])
        phrases.append(phrase)
    plates = [f"粤A{n}1{n}2{n}" for n in range(4)]
    senders = [f"scale-book-{n}" for n in range(4)]
    with ThreadPoolExecutor(4) as pool:
        references = list(pool.map(lambda n: book_across_replicas(stack, senders[n], n % 2, phrases[n], plates[n]),
                                   range(4)))
    assert len(set(references)) == 4
    with database() as session:
        for reference in references:
            count = session.execute(select(func.count()).select_from(Appointment)
                                    .where(Appointment.reference == reference)).scalar_one()
            assert count == 1  # booked once, by whichever action server got the turn
    for n, sender in enumerate(senders):
        events = tracker(stack, n % 2, sender)["events"]
        assert len(user_texts(events)) == 3  # every turn, once
        loops = [event["name"] for event in events if event["event"] == "active_loop"]
        assert loops and loops[-1] is None  # the form ran and is closed


def test_turns_sent_to_both_replicas_at_once_are_taken_one_after_the_other(replicas):
    stack, _ = replicas
    sender = "scale-at-once"
    messages = [f"{word} {k}" for k in range(6) for word in ("你好", "hello")]
    with ThreadPoolExecutor(len(messages)) as pool:
        list(pool.map(lambda k: say(stack, k % 2, sender, messages[k]), range(len(messages))))
    events = tracker(stack, 0, sender)["events"]
    texts = user_texts(events)
    assert sorted(texts) == sorted(messages)  # none lost, none twice
    # The lock store makes the turns take their turn: each one (a user message and all that
    # followed it) began after the one before it had finished. Overlapping turns interleave
    # their timestamps, or lose events (above).
    turns = split_into_turns(events)
    assert len(turns) == len(messages)
    for earlier, later in zip(turns, turns[1:]):
        assert later[0]["timestamp"] >= max(event["timestamp"] for event in earlier), (earlier, later)
    assert all(any(event["event"] == "bot" for event in turn) for turn in turns)  # each answered


def split_into_turns(events: list[dict]) -> list[list[dict]]:
    """The events from each user message up to the next one."""
    turns: list[list[dict]] = []
    for event in events:
        if event["event"] == "user":
            turns.append([])
        if turns:
            turns[-1].append(event)
    return turns
