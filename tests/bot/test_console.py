"""The console over HTTP against the real front-door app and a migrated SQLite database:
login and its protections, a complaint taken over, answered, noted and resolved, the workshop
moving an order, and the dashboard's charts."""
from __future__ import annotations

import asyncio
import re
from datetime import datetime, timezone

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from aftersales import complaints, contact_log, staff_auth
from aftersales.db import transaction
from aftersales.models import ChannelAccount, Complaint, RepairOrder, RepairOrderEvent, Staff
from bot.relay import Relay
from bot.web import make_app
from tests.aftersales.small_dealer import make_customer, make_store
from tests.e2e.stack import free_port

PASSWORD = "s3cret-console-pw"


@pytest.fixture
def world(sessions):
    """Store T1 with supervisors wang and zhao and technician liu; a customer writing on web:s1
    in Traditional Chinese whose complaint was escalated, and their car in repair."""
    now = datetime.now(timezone.utc)
    with transaction(sessions) as session:
        store = make_store(session)
        for username, name, name_en, role in (("wang", "王经理", "Manager Wang", "supervisor"),
                                              ("zhao", "赵经理", None, "supervisor"),
                                              ("liu", "刘师傅", "Master Liu", "workshop")):
            member = Staff(username=username, display_name=name, display_name_en=name_en, role=role,
                           store_id=store.id)
            staff_auth.set_password(member, PASSWORD)
            session.add(member)
        vehicle = make_customer(session, "粤B12345", "13812345678")
        session.add(ChannelAccount(channel="web", external_id="s1", customer_id=vehicle.customer_id,
                                   language="zh-Hant"))
        session.flush()
        contact_log.record(session, "web:s1", "web", "in", "customer", "你们把我的车修坏了，我的电话13812345678")
        complaint = complaints.file(session, store=store, customer=vehicle.owner, description="把车修坏了",
                                    category="repair_quality", now=now, channel="web", conversation_key="web:s1")
        complaints.escalate(session, complaint, "customer_request", now)
        order = RepairOrder(reference="RO-20261123-0007", store_id=store.id, customer_id=vehicle.customer_id,
                            vehicle_id=vehicle.id, status="diagnosing", opened_at=now)
        order.events.append(RepairOrderEvent(status="diagnosing", at=now, actor="刘师傅"))
        session.add(order)
        return {"reference": complaint.reference, "sessions": sessions}


class Console:
    """A browser's view of the console: its cookie jar, and the CSRF token the pages read."""

    def __init__(self, client: TestClient, relay: Relay, pushed: list):
        self.client, self.relay, self.pushed, self.csrf = client, relay, pushed, None

    async def login(self, username: str, password: str = PASSWORD):
        response = await self.client.post("/console/api/login", json={"username": username, "password": password})
        if response.status == 200:
            self.csrf = (await response.json())["csrf"]
        return response

    async def get(self, path: str):
        response = await self.client.get(f"/console/api{path}")
        return response.status, await response.json()

    async def post(self, path: str, body: dict | None = None, csrf: bool = True):
        headers = {"X-CSRF-Token": self.csrf} if csrf and self.csrf else {}
        response = await self.client.post(f"/console/api{path}", json=body or {}, headers=headers)
        return response.status, await response.json()


def run(sessions, scenario):
    """Runs scenario(console) against make_app's real app; the customer's web channel is recorded."""
    async def main():
        relay = Relay(f"http://127.0.0.1:{free_port()}", sessions, timeout_s=3)  # no Rasa there
        client = TestClient(TestServer(make_app(relay)))
        pushed = []

        async def web_channel(external_id, messages):
            pushed.extend((external_id, m["text"]) for m in messages)
            return True

        relay.add_channel("web", web_channel)
        await client.start_server()
        try:
            return await scenario(Console(client, relay, pushed))
        finally:
            await client.close()
            await relay.close()

    return asyncio.run(main())


def kinds(ticket: dict) -> list[str]:
    return [event["kind"] for event in ticket["timeline"]]


def test_pages_need_a_login_and_carry_a_strict_content_security_policy(world):
    async def scenario(console):
        page = await console.client.get("/console/queue", allow_redirects=False)
        assert page.status == 302 and page.headers["Location"] == "/console/login"
        login = await console.client.get("/console/login")
        assert login.status == 200 and "script-src 'self'" in login.headers["Content-Security-Policy"]
        assert login.headers["X-Frame-Options"] == "DENY" and "控制台登录" in await login.text()
        script = await console.client.get("/static/console/console.js")
        assert script.status == 200 and "X-CSRF-Token" in await script.text()
        assert (await console.get("/queue"))[0] == 401
        await console.login("wang")
        page = await console.client.get("/console/queue")
        assert page.status == 200 and 'data-page="queue"' in await page.text()

    run(world["sessions"], scenario)


def test_login_sets_an_httponly_strict_cookie_and_a_wrong_password_is_refused(world):
    async def scenario(console):
        wrong = await console.login("wang", "not-the-password")
        assert wrong.status == 401 and (await wrong.json())["error"] == "invalid"
        right = await console.login("wang")
        cookie = right.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console" in cookie
        status, me = await console.get("/me")
        assert status == 200 and me["staff"]["username"] == "wang" and me["csrf"] == console.csrf
        assert PASSWORD not in str(me)

    run(world["sessions"], scenario)


def test_five_failed_logins_lock_the_username(world):
    async def scenario(console):
        for _ in range(5):
            assert (await console.login("wang", "guess-guess")).status == 401
        locked = await console.login("wang")
        assert locked.status == 429 and 800 < int(locked.headers["Retry-After"]) <= 900

    run(world["sessions"], scenario)


def test_a_change_without_the_csrf_token_or_as_a_form_is_refused(world):
    async def scenario(console):
        await console.login("wang")
        reference = world["reference"]
        assert await console.post(f"/tickets/{reference}/take_over", csrf=False) == (403, {"error": "csrf"})
        form = await console.client.post(f"/console/api/tickets/{reference}/take_over", data={"x": "1"},
                                         headers={"X-CSRF-Token": console.csrf})
        assert form.status == 415
        _, ticket = await console.get(f"/tickets/{reference}")
        assert "taken" not in kinds(ticket["ticket"]) and console.pushed == []

    run(world["sessions"], scenario)


def test_a_supervisor_takes_over_replies_notes_and_resolves_and_the_timeline_holds_every_step(world):
    reference = world["reference"]

    async def scenario(console):
        await console.login("wang")
        status, queue = await console.get("/queue?view=escalated")
        assert status == 200 and [t["reference"] for t in queue["tickets"]] == [reference]
        assert queue["tickets"][0]["phone"] == "138****5678"
        assert await console.post(f"/tickets/{reference}/take_over") == (200, {"ok": True, "joined": True})
        assert console.pushed == [("s1", "王經理（主管）已接入，由我來為您處理。")]  # the customer writes zh-Hant
        assert await console.relay.customer_turn("web", "s1", "你们打算怎么处理？") == []  # the bot is silent
        status, answer = await console.post(f"/tickets/{reference}/reply", {"text": "明天免费为您复检"})
        assert (status, answer) == (200, {"ok": True, "joined": False, "delivered": True})
        assert console.pushed[-1] == ("s1", "明天免费为您复检")
        assert (await console.post(f"/tickets/{reference}/note", {"text": "客户情绪激动"}))[0] == 200
        assert all("情绪" not in text for _, text in console.pushed)
        status, resolved = await console.post(f"/tickets/{reference}/resolve", {"resolution": "复检后已修好"})
        assert status == 200 and resolved["bot_followed_up"] is False  # no Rasa in this test
        _, view = await console.get(f"/tickets/{reference}")
        ticket = view["ticket"]
        assert kinds(ticket) == ["created", "acknowledged", "escalated", "taken", "message_in", "message_out",
                                 "note", "resolved"]
        assert [e["actor"] for e in ticket["timeline"][3:]] == ["wang", "customer", "wang", "wang", "wang"]
        assert ticket["status"] == "resolved" and ticket["holder"] is None
        log = [(e["direction"], e["author"], e["text"]) for e in ticket["contact_log"]]
        assert log[0] == ("in", "customer", "你们把我的车修坏了，我的电话138****5678")
        assert ("out", "王经理", "明天免费为您复检") in log and ("in", "customer", "你们打算怎么处理？") in log

    run(world["sessions"], scenario)


def test_a_reply_to_an_unheld_ticket_takes_it_over_and_a_second_supervisor_is_told_who_holds_it(world):
    reference = world["reference"]

    async def scenario(console):
        await console.login("zhao")
        answer = await console.post(f"/tickets/{reference}/reply", {"text": "您好"})
        assert answer == (200, {"ok": True, "joined": True, "delivered": True})
        assert [text for _, text in console.pushed] == ["趙經理（主管）已接入，由我來為您處理。", "您好"]
        await console.login("wang")
        assert await console.post(f"/tickets/{reference}/take_over") == (
            409, {"error": "already_taken", "holder": "赵经理"})
        assert (await console.post(f"/tickets/{reference}/resolve", {"resolution": "x"}))[0] == 409

    run(world["sessions"], scenario)


def test_releasing_tells_the_customer_the_bot_is_back(world):
    reference = world["reference"]

    async def scenario(console):
        await console.login("wang")
        await console.post(f"/tickets/{reference}/take_over")
        assert await console.post(f"/tickets/{reference}/release") == (200, {"ok": True})
        assert "已離開對話" in console.pushed[-1][1]
        _, view = await console.get("/queue?view=escalated")
        assert [t["holder"] for t in view["tickets"]] == [None]

    run(world["sessions"], scenario)


def test_workshop_staff_move_an_order_and_add_extra_work_but_have_no_complaint_side(world):
    async def scenario(console):
        await console.login("liu")
        assert await console.get("/queue") == (403, {"error": "forbidden"})
        _, listing = await console.get("/orders")
        [order] = listing["orders"]
        assert order["reference"] == "RO-20261123-0007" and order["stage"]["en"] == "diagnosing"
        assert await console.post("/orders/RO-20261123-0007/advance", {"stage": "ready"}) == (
            409, {"error": "not_allowed"})
        status, moved = await console.post("/orders/RO-20261123-0007/advance", {"stage": "in_repair", "note": "开工"})
        assert status == 200 and moved["order"]["status"] == "in_repair"
        assert moved["order"]["events"][-1] == {"status": "in_repair", "at": moved["order"]["events"][-1]["at"],
                                                "actor": "刘师傅", "note": "开工"}
        status, added = await console.post("/orders/RO-20261123-0007/add_item", {
            "kind": "part", "description": "前刹车片", "description_en": "Front brake pads", "quantity": 1,
            "unit_price": "680", "needs_approval": True})
        assert status == 200 and added["order"]["status"] == "awaiting_approval"
        item = added["order"]["items"][-1]
        assert (item["unit_cents"], item["approval"]) == (68_000, "pending")
        assert (await console.post("/orders/RO-20261123-0007/add_item", {"kind": "part", "description": "x",
                                                                          "unit_price": "abc"}))[0] == 400

    run(world["sessions"], scenario)


def test_the_dashboard_draws_its_charts_as_svg(world):
    async def scenario(console):
        await console.login("wang")
        status, board = await console.get("/dashboard?weeks=4&lang=en")
        assert status == 200 and board["figures"]["total"] == 1
        assert set(board["charts"]) == {"by_category", "sla", "repeat", "satisfaction"}
        bars = board["charts"]["by_category"]
        assert bars.startswith("<svg") and 'data-category="repair_quality" data-count="1"' in bars
        assert "Repair quality" in bars and "<script" not in "".join(board["charts"].values())

    run(world["sessions"], scenario)


def test_logout_ends_the_session(world):
    async def scenario(console):
        await console.login("wang")
        assert (await console.post("/logout"))[0] == 200
        assert (await console.get("/queue"))[0] == 401

    run(world["sessions"], scenario)


def test_an_idle_session_expires(world, monkeypatch):
    async def scenario(console):
        await console.login("wang")
        assert (await console.get("/queue"))[0] == 200
        monkeypatch.setenv("CONSOLE_IDLE_MINUTES", "0.0001")
        await asyncio.sleep(0.05)
        assert (await console.get("/queue"))[0] == 401

    run(world["sessions"], scenario)


def test_another_stores_supervisor_cannot_see_the_ticket(world):
    with transaction(world["sessions"]) as session:
        other = make_store(session, "T2")
        member = Staff(username="maria", display_name="Maria", role="supervisor", store_id=other.id)
        staff_auth.set_password(member, PASSWORD)
        session.add(member)

    async def scenario(console):
        await console.login("maria")
        assert await console.get(f"/tickets/{world['reference']}") == (404, {"error": "no_such_ticket"})
        assert (await console.get("/queue"))[1]["tickets"] == []

    run(world["sessions"], scenario)


def test_the_customers_photo_is_on_the_ticket_for_its_supervisors_only(world, tmp_path, monkeypatch):
    from aftersales import attachments, settings

    monkeypatch.setattr(settings, "VAR_DIR", tmp_path)
    picture = b"\xff\xd8\xff\xe0" + b"scratch on the door" * 50
    path, digest = attachments.save_file(tmp_path, picture)
    with transaction(world["sessions"]) as session:
        attachments.attach_photo(session, "web:s1", path, digest, len(picture), "车门划痕", datetime.now(timezone.utc))
    reference = world["reference"]

    async def scenario(console):
        await console.login("wang")
        _, view = await console.get(f"/tickets/{reference}")
        [photo] = view["ticket"]["photos"]
        assert photo["caption"] == "车门划痕"
        shown = await console.client.get(photo["url"])
        assert shown.status == 200 and await shown.read() == picture
        assert shown.headers["Content-Type"] == "image/jpeg"
        wrong = await console.client.get(f"/console/api/tickets/{reference}/photos/{photo['id'] + 1}")
        assert wrong.status == 404
        await console.post("/logout")
        assert (await console.client.get(photo["url"])).status == 401

    run(world["sessions"], scenario)
