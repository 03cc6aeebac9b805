"""Telegram refusing or not answering: python-telegram-bot's real Bot sends the bot's replies
(bot.telegram.show) to a small Bot API server here that answers 429, is not there yet, or
answers too late. What surely did not arrive is sent again; what may have arrived is not: the
customer sees every reply once."""
from __future__ import annotations

import asyncio
import time

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import TimedOut
from telegram.request import HTTPXRequest

from bot.telegram import show
from tests.e2e.stack import free_port
from tests.reliability import tally

pytestmark = pytest.mark.reliability
TOKEN = "123:TEST"


class BotApi:
    """sendMessage answered by `script` in turn ("429", "slow", "ok"); messages it took are kept."""

    def __init__(self, script: list[str]):
        self.script, self.delivered, self.calls = list(script), [], 0

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "getMe":
            return web.json_response({"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "bot",
                                                             "username": "bot", "can_join_groups": False,
                                                             "can_read_all_group_messages": False,
                                                             "supports_inline_queries": False}})
        self.calls += 1
        step = self.script.pop(0) if self.script else "ok"
        if step == "429":
            return web.json_response({"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                      "parameters": {"retry_after": 1}}, status=429)
        params = dict(await request.post()) or await request.json()
        self.delivered.append(params["text"])
        if step == "slow":
            await asyncio.sleep(2)  # it arrived, but the answer comes after the client gave up
        return web.json_response({"ok": True, "result": {"message_id": len(self.delivered), "date": int(time.time()),
                                                         "chat": {"id": 42, "type": "private"}, "text": params["text"]}})


async def _run(api: BotApi, messages: list[dict], start_after_s: float = 0.0) -> tuple[float, Exception | None]:
    port = free_port()
    app = web.Application()
    app.router.add_post(f"/bot{TOKEN}/{{method}}", api.handle)
    runner = web.AppRunner(app)

    async def serve():
        await asyncio.sleep(start_after_s)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()

    server = asyncio.create_task(serve())
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=HTTPXRequest(read_timeout=1, connect_timeout=1))
    started, failure = time.monotonic(), None
    try:
        await show(bot, None, 42, messages)
    except Exception as error:  # noqa: BLE001 - the test looks at it
        failure = error
    finally:
        await server
        await runner.cleanup()
        await bot.shutdown()
    return time.monotonic() - started, failure


def test_a_429_is_waited_out_and_the_reply_arrives_once():
    api = BotApi(["429", "429", "ok", "ok"])
    took, failure = asyncio.run(_run(api, [{"text": "您好"}, {"text": "第二条"}]))
    tally("Telegram 429 twice", faults=2, lost=2 - len(set(api.delivered)))
    assert failure is None and api.delivered == ["您好", "第二条"] and took >= 2


def test_telegram_unreachable_for_a_moment_gets_the_reply_sent_when_it_is_back():
    api = BotApi([])
    took, failure = asyncio.run(_run(api, [{"text": "hello"}], start_after_s=1.5))
    tally("Telegram unreachable 1.5 s", faults=1, lost=1 - len(api.delivered))
    assert failure is None and api.delivered == ["hello"]


def test_a_timeout_after_telegram_took_the_message_is_not_sent_again():
    api = BotApi(["slow"])
    _took, failure = asyncio.run(_run(api, [{"text": "only once"}]))
    tally("Telegram answer timed out", faults=1, lost=1 - len(api.delivered))
    assert isinstance(failure, TimedOut) and api.delivered == ["only once"] and api.calls == 1
