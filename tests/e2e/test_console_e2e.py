"""The console over the whole stack (`python -m bot.launcher`): a demo customer files a
complaint in the web chat (POST /api/chat) and asks for a person; the demo supervisor logs in
to the console's API, finds the ticket in the queue, takes it over, sees the customer's next
message on the timeline while the bot stays silent, replies and resolves; the customer answers
the survey the bot then asks, and it closes the ticket's timeline. The workshop moves
an order and the customer sees the new stage when they ask."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest

from tests.e2e.stack import Stack, post_json

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-console-password"
SESSION = "e2e-complainer"


@pytest.fixture(scope="module")
def stack(tmp_path_factory, trained_model):
    stack = Stack(tmp_path_factory.mktemp("var"), extra_env={"CONSOLE_DEMO_PASSWORD": PASSWORD})
    stack.start()
    yield stack
    stack.kill()


class Console:
    """The console's JSON API as its pages use it: a session cookie and the CSRF header."""

    def __init__(self, stack: Stack):
        self.stack, self.cookie, self.csrf = stack, "", ""

    def login(self, username: str) -> dict:
        status, body, headers = self._call("POST", "/login", {"username": username, "password": PASSWORD})
        assert status == 200, body
        self.cookie = re.search(r"console_session=[^;]+", headers["Set-Cookie"]).group()
        self.csrf = body["csrf"]
        return body

    def get(self, path: str) -> dict:
        status, body, _ = self._call("GET", path)
        assert status == 200, body
        return body

    def post(self, path: str, body: dict | None = None) -> dict:
        status, answer, _ = self._call("POST", path, body or {})
        assert status == 200, answer
        return answer

    def _call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            self.stack.url("WEB_PORT", f"/console/api{path}"), method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json", "Cookie": self.cookie, "X-CSRF-Token": self.csrf},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read()), response.headers
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}"), error.headers


def chat(stack: Stack, message: str, session: str = SESSION) -> list[dict]:
    return post_json(stack.url("WEB_PORT", "/api/chat"), {"session": session, "message": message})["replies"]


def said(replies: list[dict]) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def in_order(expected: list[str], actual: list[str]) -> bool:
    """Every expected item appears in `actual`, in this order (others may come between)."""
    remaining = iter(actual)
    return all(any(item == seen for seen in remaining) for item in expected)


def test_a_complaint_taken_over_answered_and_resolved_through_the_console(stack):
    assert "车牌" in said(chat(stack, "我要投诉，上次修完车里还是有异响"))
    assert "手机号" in said(chat(stack, "粤A1P6X3"))
    chat(stack, "13828791560")  # the phone on record of the demo customer 罗文斌
    filed = said(chat(stack, "转人工"))
    assert "已直接升级给主管处理" in filed, filed
    reference = re.search(r"CP-\d{4}-\d{5}", filed).group()

    console = Console(stack)
    assert console.login("wang")["staff"]["display_name"] == "王经理"
    queue = console.get("/queue?view=escalated")["tickets"]
    assert reference in [ticket["reference"] for ticket in queue]
    assert console.post(f"/tickets/{reference}/take_over") == {"ok": True, "joined": True}

    assert chat(stack, "什么时候能给我处理？") == []  # the supervisor holds it: the bot is silent
    ticket = console.get(f"/tickets/{reference}")["ticket"]
    assert ticket["timeline"][-1]["kind"] == "message_in" and ticket["timeline"][-1]["detail"] == "什么时候能给我处理？"
    assert any(e["author"] == "王经理" and "王经理（主管）已接入" in e["text"] for e in ticket["contact_log"])
    assert "13828791560" not in json.dumps(ticket, ensure_ascii=False)

    console.post(f"/tickets/{reference}/reply", {"text": "明天上午为您免费复检，请九点到店"})
    console.post(f"/tickets/{reference}/note", {"text": "客户第二次反映异响"})
    console.post(f"/tickets/{reference}/resolve", {"resolution": "约定明天免费复检"})

    ticket = console.get(f"/tickets/{reference}")["ticket"]
    kinds = [event["kind"] for event in ticket["timeline"]]
    assert in_order(["created", "acknowledged", "escalated", "taken", "message_in", "message_out", "note",
                     "resolved"], kinds), kinds
    assert ticket["status"] == "resolved" and ticket["holder"] is None
    log = [(entry["direction"], entry["author"], entry["text"]) for entry in ticket["contact_log"]]
    assert ("out", "王经理", "明天上午为您免费复检，请九点到店") in log
    assert not any("第二次反映" in text for _, _, text in log)  # a note never reaches the customer
    after_reply = log[log.index(("out", "王经理", "明天上午为您免费复检，请九点到店")) + 1:]
    assert any(author == "bot" for _, author, _ in after_reply), after_reply  # the bot asks if it is settled
    assert reference not in [t["reference"] for t in console.get("/queue?view=open")["tickets"]]

    # Handed back: the bot takes the customer's answers to its survey, and it is on the ticket.
    assert "服务顾问" in said(chat(stack, "/affirm"))  # 解决了, pressed on the settled question
    assert "还有什么" in said(chat(stack, "5 5 4 5 4"))
    assert "感谢您的评价" in said(chat(stack, "没有"))
    ticket = console.get(f"/tickets/{reference}")["ticket"]
    assert in_order(["resolved", "survey"], [event["kind"] for event in ticket["timeline"]])
    assert chat(stack, "你好") != []


def test_the_workshop_moves_an_order_and_the_customer_sees_the_new_stage(stack):
    console = Console(stack)
    assert console.login("liu")["staff"]["workshop"] is True
    orders = {order["plate"]: order for order in console.get("/orders")["orders"]}
    order = orders["粤A6C9T1"]  # the demo's car in diagnosis
    assert order["status"] == "diagnosing"
    moved = console.post(f"/orders/{order['reference']}/advance", {"stage": "in_repair", "note": "更换刹车片"})
    assert moved["order"]["status"] == "in_repair"

    session = "e2e-progress"
    assert "车牌号" in said(chat(stack, "我的车修好了吗", session))
    assert "后4位" in said(chat(stack, "粤A6C9T1", session))
    answer = said(chat(stack, "9246", session))
    assert "粤A6C9T1 · 维修中" in answer, answer
