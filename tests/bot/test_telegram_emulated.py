"""The customers' Telegram front door against the emulated Bot API (tests/e2e/telegram_api.py),
in this process, with no Rasa running: what Telegram itself does, quickly. Conversations
with Rasa behind them are in tests/e2e/test_telegram.py."""
from __future__ import annotations

import asyncio
import threading
import urllib.error
import urllib.request

import pytest
from sqlalchemy import select

from aftersales import contact_log, customers
from aftersales.db import make_engine, make_sessionmaker, transaction
from aftersales.migrate import upgrade
from aftersales.models import Attachment
from bot import telegram
from bot.flood import FloodLimit
from bot.relay import APOLOGY, Relay
from tests.aftersales.small_dealer import make_customer
from tests.e2e.stack import free_port
from tests.e2e.telegram_api import TelegramEmulator, TelegramUser

SORRY = APOLOGY["en"]  # Rasa is not running: every turn gets the apology


@pytest.fixture(scope="module")
def emulator():
    with TelegramEmulator() as emulated:
        yield emulated


@pytest.fixture
def sessions(tmp_path):
    url = f"sqlite:///{tmp_path / 'aftersales.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield make_sessionmaker(engine)
    engine.dispose()


class RunningBot:
    """build_application + start in a thread with its own event loop, stopped on exit."""

    def __init__(self, emulator: TelegramEmulator, sessions):
        self.relay = Relay(f"http://127.0.0.1:{free_port()}", sessions, timeout_s=5,
                           flood=FloodLimit(max_messages=100, window_s=10))
        self.emulator = emulator
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> "RunningBot":
        self.thread.start()
        self.application = self.run(self._start())
        return self

    async def _start(self):
        application = telegram.build_application(self.emulator.token, self.relay)
        await telegram.start(application)
        return application

    def run(self, coroutine, timeout: float = 60):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def __exit__(self, *exc) -> None:
        self.run(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _stop(self) -> None:
        await self.application.updater.stop()
        await self.application.stop()
        await self.application.shutdown()
        await self.relay.close()


@pytest.fixture
def bot(emulator, sessions, monkeypatch):
    for name, value in emulator.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TELEGRAM_WEBHOOK_URL", raising=False)
    with RunningBot(emulator, sessions) as running:
        yield running


def test_a_message_is_answered_in_html_with_typing_shown_while_waiting_and_a_command_menu(emulator, bot):
    user = TelegramUser(7001, "Ann", language_code="en")
    since = emulator.send_message(user, user.id, "hello <there> & welcome")
    reply = emulator.wait_for(user.id, lambda m: True, since=since)
    assert reply.text == SORRY and reply.parse_mode == "HTML"
    assert emulator.chat_actions(user.id)[:1] == ["typing"]
    assert {c["command"] for c in emulator.commands[""]} == {"start", "help", "lang", "human", "stop"}
    assert emulator.commands["en"][0] == {"command": "start", "description": "Start"}


def test_an_update_delivered_twice_is_answered_once(emulator, bot, sessions):
    user = TelegramUser(7002, "Bob", language_code="en")
    since = emulator.send_message(user, user.id, "where is my car")
    emulator.wait_for(user.id, lambda m: True, since=since)
    emulator.redeliver()
    assert len(emulator.wait_quiet(user.id, quiet_s=2)[since:]) == 1
    with sessions() as session:
        said = [e.text for e in contact_log.history(session, "tg:7002") if e.direction == "in"]
    assert said == ["where is my car"]


def test_a_push_is_split_and_its_buttons_become_a_keyboard_that_closes_when_pressed(emulator, bot, sessions):
    user = TelegramUser(7003, "Cai", language_code="en")
    lines = [f"Line {n}: brake pads, oil, filters & <tyres>." for n in range(200)]
    buttons = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    assert bot.run(bot.relay.to_customer("tg:7003", [{"text": "\n".join(lines), "buttons": buttons}]))
    pieces = emulator.bot_messages(user.id)
    assert len(pieces) == 3 and all(len(p.text) <= 4096 for p in pieces)
    assert "\n".join(p.text for p in pieces) == "\n".join(lines)  # cut at line breaks, nothing lost
    assert "&lt;tyres&gt;" in pieces[0].raw_text  # shown as written, not read as markup
    assert [p.buttons for p in pieces[:-1]] == [[], []]
    assert pieces[-1].buttons == [("Yes", "/affirm"), ("No", "/deny")]
    emulator.press(user, user.id, "/affirm")
    emulator.wait_for(user.id, lambda m: m.text == SORRY, since=len(pieces))
    assert emulator.bot_messages(user.id)[2].keyboard_closed
    with sessions() as session:
        assert [e.text for e in contact_log.history(session, "tg:7003") if e.direction == "in"] == ["/affirm"]


def test_the_customers_own_contact_links_the_chat_and_someone_elses_is_refused(emulator, bot, sessions):
    with transaction(sessions) as session:
        make_customer(session, "粤A1P6X3", "13828791560")
    user = TelegramUser(7004, "罗", language_code="zh-hans")
    since = emulator.share_contact(user, user.id, "+8613828791560", contact_user_id=9999)
    assert "您本人" in emulator.wait_for(user.id, lambda m: True, since=since).text
    with transaction(sessions) as session:
        assert customers.customer_of(session, "tg:7004") is None
    since = emulator.share_contact(user, user.id, "+8613828791560")
    assert "粤A1P6X3" in emulator.wait_for(user.id, lambda m: True, since=since).text
    with transaction(sessions) as session:
        assert customers.customer_of(session, "tg:7004").phone == "13828791560"
        logged = [e.text for e in contact_log.history(session, "tg:7004") if e.direction == "in"]
    assert logged == ["[contact of someone else] 138****1560", "[contact] 138****1560"]


def test_an_unknown_number_is_told_so_in_english(emulator, bot):
    user = TelegramUser(7005, "Dan", language_code="en")
    since = emulator.share_contact(user, user.id, "+14085550199")
    assert "isn't on file" in emulator.wait_for(user.id, lambda m: True, since=since).text


def test_a_photo_is_downloaded_at_its_largest_size_and_kept(emulator, bot, sessions, tmp_path, monkeypatch):
    monkeypatch.setattr("aftersales.settings.VAR_DIR", tmp_path)
    user = TelegramUser(7006, "Eve", language_code="en")
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"
    since = emulator.send_photo(user, user.id, photo, caption="warning light")
    assert "Got your photo" in emulator.wait_for(user.id, lambda m: True, since=since).text
    with sessions() as session:
        row = session.execute(select(Attachment).where(Attachment.conversation_key == "tg:7006")).scalar_one()
    assert (tmp_path / row.path).read_bytes() == photo
    assert row.caption == "warning light" and row.size_bytes == len(photo)


def test_webhook_mode_takes_updates_that_carry_the_secret_and_refuses_others(emulator, sessions, monkeypatch):
    for name, value in emulator.env().items():
        monkeypatch.setenv(name, value)
    port = free_port()
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", f"http://127.0.0.1:{port}/telegram-hook")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_PORT", str(port))
    monkeypatch.setenv("TELEGRAM_WEBHOOK_LISTEN", "127.0.0.1")
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", "s3cret-from-the-environment")
    with RunningBot(emulator, sessions):
        user = TelegramUser(7007, "Fay", language_code="en")
        since = emulator.send_message(user, user.id, "hi by webhook")
        assert emulator.wait_for(user.id, lambda m: True, since=since).text == SORRY
        forged = urllib.request.Request(f"http://127.0.0.1:{port}/telegram-hook", data=b'{"update_id": 1}',
                                        headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged, timeout=10)
        assert refused.value.code == 403


def test_a_webhook_without_a_secret_is_refused_at_start(emulator, monkeypatch):
    monkeypatch.setenv("TELEGRAM_WEBHOOK_URL", "https://bot.example.com/telegram-hook")
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)
    application = telegram.build_application(emulator.token, Relay("http://127.0.0.1:1", None))
    with pytest.raises(RuntimeError, match="TELEGRAM_WEBHOOK_SECRET"):
        asyncio.run(telegram.start(application))
