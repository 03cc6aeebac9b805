"""The web widget in a real browser on the whole stack (`python -m bot.launcher`): Debian's
headless Chromium, driven by Playwright, opens the demo dealer page, which embeds the widget
with the one pasted <script>. A customer books by typing and clicking the widget's buttons,
reloads and still sees the conversation; what they type is shown, never run; a supervisor who
takes over from the console is seen joining and answering. Screenshots go to tests/artifacts/."""
from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from aftersales.settings import PROJECT_ROOT
from tests.e2e.stack import Stack, free_port
from tests.e2e.test_booking_rest import bookable_phrase, stored

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
CONSOLE_PASSWORD = "e2e-widget-console-password"
ANSWER_MS = 60_000  # Rasa on two shared cores; the widget also paces its messages


@pytest.fixture(scope="module")
def stack(tmp_path_factory, trained_model):
    stack = Stack(tmp_path_factory.mktemp("var"), extra_env={"CONSOLE_DEMO_PASSWORD": CONSOLE_PASSWORD})
    stack.start()
    yield stack
    stack.kill()


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make install-test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Widget:
    """The demo dealer page in one browser tab, seen and used through the widget's own DOM."""

    def __init__(self, page, stack: Stack):
        self.page, self.stack = page, stack
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        self.elsewhere: list[str] = []  # requests to anything but the front door and the page
        self.elsewhere_ok = "data:"
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _request(self, request) -> None:
        if not request.url.startswith((self.stack.url("WEB_PORT", "/"), "data:", self.elsewhere_ok)):
            self.elsewhere.append(request.url)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open_page(self) -> None:
        self.page.goto(self.stack.url("WEB_PORT", "/"))
        self.page.locator(".rw-launcher").wait_for(timeout=30_000)

    def open_chat(self) -> None:
        if not self.page.locator(".rw-conversation-container").is_visible():
            self.page.locator(".rw-launcher").click()
        self.page.locator(".rw-new-message").wait_for()

    def say(self, text: str) -> None:
        before = self.bot_count()
        self.page.locator(".rw-new-message").fill(text)
        self.page.keyboard.press("Enter")
        self.wait_for_answer(before)

    def click(self, title: str) -> None:
        before = self.bot_count()
        self.page.locator(".rw-reply", has_text=title).last.click()
        self.wait_for_answer(before)

    def bot_count(self) -> int:
        return self.page.locator(".rw-response").count()

    def wait_for_answer(self, before: int) -> None:
        self.page.wait_for_function(
            "n => document.querySelectorAll('.rw-response').length > n", arg=before, timeout=ANSWER_MS)
        self.page.wait_for_timeout(1500)  # the rest of a multi-message answer, paced by the widget

    def wait_for_bot(self, fragment: str) -> str:
        found = self.page.locator(".rw-response", has_text=fragment).last
        found.wait_for(timeout=ANSWER_MS)
        return found.inner_text()

    def bot_texts(self) -> list[str]:
        return self.page.locator(".rw-response").all_inner_texts()

    def customer_texts(self) -> list[str]:
        return self.page.locator(".rw-client").all_inner_texts()

    def replies(self) -> list[str]:
        return self.page.locator(".rw-reply").all_inner_texts()

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"widget-{name}.png"))


@pytest.fixture
def widget(chromium, stack, request):
    """A fresh browser profile per test (its own localStorage: a new customer)."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1000, "height": 860})
    widget = Widget(context.new_page(), stack)
    failed_before = request.session.testsfailed
    yield widget
    if request.session.testsfailed > failed_before:  # what the browser showed when it failed
        widget.screenshot(f"{request.node.name}-failed")
    context.close()


def test_a_customer_books_in_the_widget_by_typing_and_buttons_and_sees_it_again_after_a_reload(
        widget, stack, database):
    phrase, wanted = bookable_phrase(database, "GZ-TH", ["下周二上午10点", "下周三上午10点", "下周四上午10点"])
    widget.open_page()
    widget.open_chat()
    greeting = widget.wait_for_bot("售后服务助手")  # the page's data-language: the greeting in Chinese
    assert "您好" in greeting

    widget.say(f"我想{phrase}给粤A12321做个小保养")
    assert "手机号" in widget.bot_texts()[-1]
    widget.say("13711112222")
    summary = widget.wait_for_bot("请确认预约信息")
    assert "工时费" in summary and "配件费" in summary  # shown as written, line by line
    assert "确认预约" in widget.replies()
    widget.click("确认预约")
    done = widget.wait_for_bot("预约成功")
    reference = re.search(r"AP-\d{8}-\d{4}", done).group()
    calendar = widget.page.locator(".rw-response a", has_text=f"{reference}.ics")
    href = calendar.get_attribute("href")
    assert href.startswith(stack.url("WEB_PORT", f"/calendar/{reference}.ics?t="))
    with urllib.request.urlopen(href, timeout=30) as response:
        assert response.status == 200 and b"BEGIN:VCALENDAR" in response.read()
    assert stored(database, reference).starts_at.astimezone(wanted.tzinfo) == wanted
    widget.screenshot("booked")

    widget.page.reload()
    widget.page.locator(".rw-launcher").wait_for()
    widget.open_chat()
    history = "\n".join(widget.bot_texts())
    assert reference in history and "请确认预约信息" in history
    assert f"我想{phrase}给粤A12321做个小保养" in widget.customer_texts()
    widget.say("我的预约")  # the same conversation continues on the server: it knows this customer
    assert reference in widget.bot_texts()[-1]
    widget.screenshot("after-reload")
    assert widget.page_errors == [] and widget.elsewhere == []


def test_html_a_customer_types_is_shown_as_text_and_never_run(widget):
    typed = ('<img src=x onerror="alert(1)"><script>window.pwned = 1</script>'
             '<b>粗体</b> [点我](javascript:alert(2)) *强调*')
    widget.open_page()
    widget.open_chat()
    widget.wait_for_bot("您好")
    widget.say(typed)
    assert typed in widget.customer_texts()
    messages = widget.page.locator(".rw-messages-container")
    assert messages.locator("img[src='x'], script, b, em, a[href^='javascript']").count() == 0
    assert widget.page.evaluate("window.pwned") is None and widget.dialogs == []
    widget.screenshot("escaped")
    assert widget.page_errors == []


@pytest.fixture
def dealer_site(stack):
    """A dealer's own site on another origin (its own server), with the snippet pasted in."""
    front_door = stack.url("WEB_PORT", "")
    page = (
        "<!doctype html><html><head><meta charset='utf-8'></head><body><h1>Bay Motors San Jose</h1>"
        f'<script src="{front_door}/widget.js" data-store="SJ" data-language="en" data-color="#c00" '
        f'data-logo="{front_door}/static/logo.svg" async></script></body></html>'
    ).encode()

    class DealerPage(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), DealerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_a_dealer_site_on_another_origin_embeds_the_widget_with_its_store_language_and_colours(
        widget, stack, dealer_site):
    """The pasted snippet on a dealer's own site, in English for the US store."""
    front_door = stack.url("WEB_PORT", "")
    widget.elsewhere_ok = dealer_site
    widget.page.goto(dealer_site)
    widget.page.locator(".rw-launcher").wait_for(timeout=30_000)
    widget.open_chat()
    assert "Hello! I'm the service assistant" in widget.wait_for_bot("Hello")
    assert widget.page.locator(".rw-title").inner_text() == "After-sales assistant"
    assert widget.page.locator(".rw-new-message").get_attribute("placeholder") == "Type a message…"
    assert widget.page.locator(".rw-launcher").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(204, 0, 0)"
    assert widget.page.locator(".rw-avatar").first.get_attribute("src") == f"{front_door}/static/logo.svg"
    widget.say("what's due at 30k km")
    assert "At 30,000 km" in widget.bot_texts()[-1]

    session_id = widget.page.evaluate("JSON.parse(localStorage.getItem('chat_session')).session_id")
    with urllib.request.urlopen(stack.url("RASA_PORT", f"/conversations/web:{session_id}/tracker"), timeout=30) as r:
        tracker = json.loads(r.read())
    first = next(e for e in tracker["events"] if e["event"] == "user")
    assert {e["entity"]: e["value"] for e in first["parse_data"]["entities"]} == {"language": "en", "store": "SJ"}
    assert tracker["slots"]["language"] == "en"
    widget.screenshot("dealer-site-english")
    assert widget.page_errors == [] and widget.elsewhere == []


class Console:
    """The supervisor console's JSON API, as its pages use it (cookie and CSRF header)."""

    def __init__(self, stack: Stack):
        self.stack, self.cookie, self.csrf = stack, "", ""

    def login(self, username: str) -> dict:
        answer, headers = self._call("POST", "/login", {"username": username, "password": CONSOLE_PASSWORD})
        self.cookie = re.search(r"console_session=[^;]+", headers["Set-Cookie"]).group()
        self.csrf = answer["csrf"]
        return answer

    def post(self, path: str, body: dict | None = None) -> dict:
        return self._call("POST", path, body or {})[0]

    def _call(self, method: str, path: str, body: dict):
        request = urllib.request.Request(
            self.stack.url("WEB_PORT", f"/console/api{path}"), method=method, data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Cookie": self.cookie, "X-CSRF-Token": self.csrf},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read()), response.headers
        except urllib.error.HTTPError as error:
            pytest.fail(f"console {path}: {error.code} {error.read()[:300]!r}")


def test_a_supervisors_takeover_and_reply_arrive_in_the_open_widget(widget, stack):
    widget.open_page()
    widget.open_chat()
    widget.wait_for_bot("您好")
    widget.say("我要投诉，上次修完车里还是有异响")
    assert "车牌" in widget.bot_texts()[-1]
    widget.say("粤A1P6X3")
    assert "手机号" in widget.bot_texts()[-1]
    widget.say("13828791560")  # the phone on record of the demo customer 罗文斌
    widget.say("转人工")
    filed = widget.wait_for_bot("已直接升级给主管处理")
    reference = re.search(r"CP-\d{4}-\d{5}", filed).group()

    console = Console(stack)
    assert console.login("wang")["staff"]["display_name"] == "王经理"
    assert console.post(f"/tickets/{reference}/take_over")["joined"] is True
    widget.wait_for_bot("王经理（主管）已接入")
    answer = console.post(f"/tickets/{reference}/reply", {"text": "明天上午为您免费复检，请九点到店"})
    assert answer["delivered"] is True
    widget.wait_for_bot("明天上午为您免费复检，请九点到店")
    marked_up = "到店请走 *A区* 2_号门 <东门>，[导航](javascript:alert(3))"  # shown as typed
    console.post(f"/tickets/{reference}/reply", {"text": marked_up})
    assert widget.wait_for_bot("到店请走") == marked_up
    assert widget.page.locator(".rw-messages-container em, .rw-messages-container a[href^='javascript']").count() == 0
    widget.screenshot("supervisor-joined")
    assert widget.page_errors == []
