"""The widget's Socket.IO endpoint with a real Socket.IO client, the real front-door app and
relay on a migrated database. Rasa's REST channel is played by a small aiohttp server that
answers with Rasa's own message shapes (the browser tests in tests/e2e use the real Rasa)."""
from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any, AsyncIterator

import aiohttp
import socketio
from aiohttp import web

from aftersales import contact_log
from bot.relay import Relay
from bot.web import make_app
from tests.e2e.stack import free_port

HEX32 = re.compile(r"[0-9a-f]{32}")
# python-engineio's client needs aiohttp >= 3.10 for WebSocket (Rasa pins 3.9); the browser tests
# use WebSocket, these use HTTP long polling, the same Socket.IO packets.
TRANSPORTS = ["polling"]


async def rasa_rest(request: web.Request) -> web.Response:
    """Rasa's REST webhook as the relay sees it: a list of messages per turn."""
    body = await request.json()
    request.app["turns"].append(body)
    text = body["message"]
    if text == "book":
        return web.json_response([
            {"recipient_id": body["sender"], "text": "You're booked! AP-20261201-0001"},
            {"recipient_id": body["sender"], "custom": {"calendar": {
                "reference": "AP-20261201-0001", "path": "/calendar/AP-20261201-0001.ics?t=abc"}}},
        ])
    if text == "which store":
        return web.json_response([{"recipient_id": body["sender"], "text": "Which store?", "buttons": [
            {"title": "Tianhe", "payload": '/inform{"store": "GZ-TH"}'},
            {"title": "📍 Nearest to me", "payload": "__location__"},
        ]}])
    return web.json_response([{"recipient_id": body["sender"], "text": f"echo: {text}"}])


class FrontDoor:
    def __init__(self, sessions):
        self.sessions = sessions
        self.rasa_turns: list[dict] = []
        self.url = ""
        self.relay: Relay | None = None

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator["FrontDoor"]:
        rasa = web.Application()
        rasa["turns"] = self.rasa_turns
        rasa.router.add_post("/webhooks/rest/webhook", rasa_rest)
        rasa_port, web_port = free_port(), free_port()
        self.relay = Relay(f"http://127.0.0.1:{rasa_port}", self.sessions, timeout_s=10)
        runners = [web.AppRunner(rasa), web.AppRunner(make_app(self.relay))]
        for runner, port in zip(runners, (rasa_port, web_port)):
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{web_port}"
        try:
            yield self
        finally:
            await self.relay.close()
            for runner in runners:
                await runner.cleanup()

    def logged(self, session_id: str) -> list[tuple[str, str, str]]:
        with self.sessions() as session:
            return [(e.direction, e.author, e.text) for e in contact_log.history(session, f"web:{session_id}")]


class Browser:
    """What rasa-webchat does on the wire: connect, ask for a session, send, collect bot_uttered."""

    def __init__(self, url: str):
        self.url = url
        self.client = socketio.AsyncClient()
        self.received: asyncio.Queue = asyncio.Queue()
        self.confirmed: asyncio.Queue = asyncio.Queue()
        self.client.on("bot_uttered", self.received.put)
        self.client.on("session_confirm", self.confirmed.put)

    async def open(self, session_id: Any = None) -> str:
        await self.client.connect(self.url, socketio_path="/socket.io/", transports=TRANSPORTS)
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), 10)

    async def say(self, message: Any, session_id: str | None = None) -> None:
        await self.client.emit("user_uttered", {"message": message, "session_id": session_id,
                                                "customData": {"store": "GZ-TH"}})

    async def next(self, timeout_s: float = 10) -> dict:
        return await asyncio.wait_for(self.received.get(), timeout_s)

    async def nothing_within(self, timeout_s: float = 1.0) -> bool:
        try:
            await asyncio.wait_for(self.received.get(), timeout_s)
        except asyncio.TimeoutError:
            return True
        return False

    async def close(self) -> None:
        """Sends the close packets without waiting out the client's own pending long poll."""
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.client.disconnect(), 0.3)


def run(sessions, scenario) -> Any:
    async def main():
        async with FrontDoor(sessions).running() as door:
            return await scenario(door)

    return asyncio.run(main())


def test_a_new_browser_gets_a_fresh_unguessable_session_and_a_returning_one_keeps_its_own(sessions):
    async def scenario(door: FrontDoor):
        first = Browser(door.url)
        new_id = await first.open(None)
        await first.close()
        again = Browser(door.url)
        kept = await again.open(new_id)
        await again.close()
        forged = []
        for asked in ["1", "../../etc", 12345, "A" * 32, {"x": 1}]:
            browser = Browser(door.url)
            forged.append(await browser.open(asked))
            await browser.close()
        return new_id, kept, forged

    new_id, kept, forged = run(sessions, scenario)
    assert HEX32.fullmatch(new_id) and kept == new_id
    assert all(HEX32.fullmatch(f) and f != new_id for f in forged)


def test_a_turn_goes_through_the_relay_to_rasa_and_back_and_is_logged(sessions):
    async def scenario(door: FrontDoor):
        browser = Browser(door.url)
        session_id = await browser.open()
        await browser.say("  你好 <b>hi</b> [x](javascript:alert(1))  ")
        answer = await browser.next()
        await browser.close()
        return session_id, answer, door.rasa_turns, door.logged(session_id)

    session_id, answer, rasa_turns, logged = run(sessions, scenario)
    said = "你好 <b>hi</b> [x](javascript:alert(1))"
    assert rasa_turns == [{"sender": f"web:{session_id}", "message": said}]
    # shown literally by the widget's Markdown renderer: no tag, no link
    assert answer == {"text": r"echo: 你好 &lt;b\>hi&lt;/b\> \[x\]\(javascript:alert\(1\)\)"}
    assert logged == [("in", "customer", said), ("out", "bot", f"echo: {said}")]


def test_buttons_become_quick_replies_and_a_booking_gets_a_calendar_link_to_the_front_door(sessions):
    async def scenario(door: FrontDoor):
        browser = Browser(door.url)
        await browser.open()
        await browser.say("which store")
        store_question = await browser.next()
        await browser.say("book")
        booked = [await browser.next(), await browser.next()]
        await browser.close()
        return door.url, store_question, booked

    url, store_question, booked = run(sessions, scenario)
    assert store_question == {"text": "Which store?", "quick_replies": [
        {"content_type": "text", "title": "Tianhe", "payload": '/inform{"store": "GZ-TH"}'},
    ]}  # the location button needs a phone's location: the browser shows the stores instead
    assert booked[0]["text"] == r"You're booked\! AP\-20261201\-0001"
    assert booked[1]["text"] == f"📅 [AP\\-20261201\\-0001.ics]({url}/calendar/AP-20261201-0001.ics?t=abc)"


def test_bad_input_is_ignored_and_the_connection_keeps_working(sessions):
    async def scenario(door: FrontDoor):
        browser = Browser(door.url)
        unconfirmed = Browser(door.url)
        await unconfirmed.client.connect(door.url, transports=TRANSPORTS)
        await unconfirmed.say("before any session_request")
        session_id = await browser.open()
        for bad in ["", "   ", None, 42, ["hi"], {"text": "hi"}]:
            await browser.say(bad)
        await browser.client.emit("user_uttered", "just a string")
        await browser.client.emit("user_uttered")
        await browser.client.emit("session_request", "not a dict")
        session_id = await asyncio.wait_for(browser.confirmed.get(), 10)
        silent = await browser.nothing_within(1.0) and await unconfirmed.nothing_within(0.1)
        await browser.say("x" * 10_000)
        long_answer = await browser.next()
        await browser.say("still there?")
        last = await browser.next()
        await unconfirmed.close()
        await browser.close()
        return silent, long_answer, last, door.rasa_turns

    silent, long_answer, last, rasa_turns = run(sessions, scenario)
    assert silent
    assert [len(t["message"]) for t in rasa_turns] == [4_000, len("still there?")]
    assert long_answer["text"] == "echo: " + "x" * 4_000 and last["text"] == "echo: still there?"


def test_an_oversized_packet_drops_only_that_connection(sessions):
    async def scenario(door: FrontDoor):
        flooder, other = Browser(door.url), Browser(door.url)
        await flooder.open()
        await other.open()
        await flooder.say("x" * 200_000)
        await asyncio.sleep(1)
        await other.say("hello")
        answer = await other.next()
        await other.close()
        await flooder.close()
        return answer, door.rasa_turns

    answer, rasa_turns = run(sessions, scenario)
    assert answer["text"] == "echo: hello" and [t["message"] for t in rasa_turns] == ["hello"]


def test_a_page_cannot_write_into_another_customers_conversation(sessions):
    async def scenario(door: FrontDoor):
        victim, intruder = Browser(door.url), Browser(door.url)
        victim_id = await victim.open()
        intruder_id = await intruder.open()
        await intruder.say("hello from elsewhere", session_id=victim_id)
        await intruder.next()
        untouched = await victim.nothing_within(0.5)
        await victim.close()
        await intruder.close()
        return untouched, door.logged(victim_id), door.logged(intruder_id)

    untouched, victim_log, intruder_log = run(sessions, scenario)
    assert untouched and victim_log == []
    assert ("in", "customer", "hello from elsewhere") in intruder_log


def test_pushes_reach_every_open_tab_of_a_session_and_report_when_nobody_is_there(sessions):
    async def scenario(door: FrontDoor):
        tab1 = Browser(door.url)
        session_id = await tab1.open()
        tab2 = Browser(door.url)
        await tab2.open(session_id)
        reached = await door.relay.to_customer(f"web:{session_id}", [{"text": "王经理 has joined"}],
                                               author="王经理")
        seen = [await tab1.next(), await tab2.next()]
        await tab1.close()
        await tab2.close()
        await asyncio.sleep(0.2)
        unreached = await door.relay.to_customer(f"web:{session_id}", [{"text": "are you there?"}])
        nobody = await door.relay.to_customer("web:" + "0" * 32, [{"text": "hello?"}])
        return session_id, reached, seen, unreached, nobody, door.logged(session_id)

    session_id, reached, seen, unreached, nobody, logged = run(sessions, scenario)
    assert reached and seen == [{"text": "王经理 has joined"}] * 2
    assert not unreached and not nobody
    assert logged == [("out", "王经理", "王经理 has joined"), ("out", "bot", "are you there?")]


def test_the_snippet_and_the_widget_bundle_are_served(sessions):
    async def scenario(door: FrontDoor):
        async with aiohttp.ClientSession() as http:
            fetched = {}
            for path in ("/widget.js", "/widget/rasa-webchat.js", "/"):
                async with http.get(door.url + path) as response:
                    fetched[path] = (response.status, response.content_type, await response.text(),
                                     response.headers)
            etag = fetched["/widget/rasa-webchat.js"][3]["ETag"]
            async with http.get(door.url + "/widget/rasa-webchat.js", headers={"If-None-Match": etag}) as again:
                fetched["again"] = again.status
            return fetched

    fetched = run(sessions, scenario)
    status, kind, body, _ = fetched["/widget.js"]
    assert status == 200 and kind.endswith("javascript") and "WebChat.default" in body
    status, kind, body, headers = fetched["/widget/rasa-webchat.js"]
    assert status == 200 and kind.endswith("javascript") and "session_request" in body
    assert headers["Content-Encoding"] == "gzip" and fetched["again"] == 304
    assert "fonts.googleapis.com" not in body  # a dealer's page makes no third-party request
    status, _, page, _ = fetched["/"]
    assert status == 200 and '<script src="/widget.js" data-store="GZ-TH"' in page
