"""The console's pages in a real browser (Debian's Chromium driven by Playwright) against the
real front-door app: log in, see the queue with a live countdown, take a ticket over and reply,
see the dashboard's charts, add extra work in the workshop; no script errors on the way."""
from __future__ import annotations

import asyncio
import shutil
import threading

import pytest

from tests.bot.test_console import PASSWORD, world  # noqa: F401  (the same data as the API tests)
from tests.e2e.stack import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture
def site(world, db_url):  # noqa: F811
    if db_url.startswith("postgresql"):
        pytest.skip("the browser walk-through needs one database only")
    if not shutil.which(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (make install-test installs it)")
    from aiohttp import web

    from bot.relay import Relay
    from bot.web import make_app

    port, ready, pushed = free_port(), threading.Event(), []

    async def serve():
        relay = Relay(f"http://127.0.0.1:{free_port()}", world["sessions"], timeout_s=2)

        async def web_channel(external_id, messages):
            pushed.extend(m["text"] for m in messages)
            return True

        app = make_app(relay)
        relay.add_channel("web", web_channel)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        ready.set()
        while True:
            await asyncio.sleep(3600)

    threading.Thread(target=lambda: asyncio.run(serve()), daemon=True).start()
    assert ready.wait(10)
    return f"http://127.0.0.1:{port}", pushed


def test_a_supervisor_and_a_technician_use_the_console_in_a_browser(site):
    base, pushed = site
    errors = []
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(locale="en-US")
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "/console/queue")
        assert page.url.endswith("/console/login")
        page.fill("#username", "wang")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/queue")
        row = page.locator("#queue-rows tr").first
        row.wait_for()
        assert "left" in row.locator(".countdown").inner_text()  # the first-response clock runs
        row.locator("a").click()
        page.wait_for_url("**/console/ticket?ref=*")
        page.locator("[data-action=take_over]").click()
        page.locator("#timeline [data-kind=taken]").wait_for()
        page.fill("#reply-text", "Tomorrow at nine, free re-check")
        page.click("#reply-form button[type=submit]")
        page.locator("#contact-log .msg.out", has_text="Tomorrow at nine").wait_for()
        assert pushed[-1] == "Tomorrow at nine, free re-check"
        page.click("#lang-toggle")
        page.locator("#timeline [data-kind=message_out]", has_text="回复客户").wait_for()
        page.goto(base + "/console/dashboard")
        page.locator("#chart-by_category svg rect[data-category=repair_quality]").wait_for()
        assert page.locator("svg.chart").count() == 4
        page.click("#logout")
        page.wait_for_url("**/console/login")

        page.fill("#username", "liu")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/console/workshop")
        card = page.locator("[data-order=RO-20261123-0007]")
        card.locator("input[placeholder='项目名称']").fill("前刹车片")
        card.locator("input[type=number][step]").fill("680")
        card.locator("input[type=checkbox]").check()
        card.locator("button[type=submit]").click()
        page.locator("[data-order=RO-20261123-0007] .badge.pending").wait_for()
        assert page.locator("[data-order=RO-20261123-0007] button[data-stage]").all_inner_texts() == ["已取消"]
        browser.close()
    assert errors == []
