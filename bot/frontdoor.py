"""The front door process: the web page and chat endpoint, and Telegram when a token is set."""
from __future__ import annotations

import asyncio
import logging
import os
import signal

from aiohttp import web

from aftersales.db import make_engine, make_sessionmaker
from bot.config import actions_health_url, port, rasa_auth_token, rasa_url, reply_timeout_s
from bot import care_scheduler, reminder_sender, retention, sla_scheduler
from bot.relay import Relay
from bot.web import make_app

log = logging.getLogger("bot.frontdoor")


async def serve() -> None:
    relay = Relay(rasa_url(), make_sessionmaker(make_engine()), timeout_s=reply_timeout_s(),
                  actions_health_url=actions_health_url(), auth_token=rasa_auth_token())
    runner = web.AppRunner(make_app(relay), access_log=None)
    await runner.setup()
    host = os.environ.get("WEB_HOST", "0.0.0.0")
    await web.TCPSite(runner, host, port("WEB_PORT")).start()
    log.info("front door listening on http://%s:%d", host, port("WEB_PORT"))
    telegram = await _start_telegram(relay)
    notify = None
    if telegram is not None:
        from bot import supervisors

        notify = supervisors.notifier(telegram)
    sla_task = asyncio.create_task(sla_scheduler.run_forever(relay.sessions, notify))
    reminder_task = asyncio.create_task(
        reminder_sender.run_forever(relay)
    )

    care_task = asyncio.create_task(care_scheduler.run_forever(relay))
    retention_task = asyncio.create_task(retention.run_forever(relay.sessions))

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    reminder_task.cancel()
    care_task.cancel()
    retention_task.cancel()
    sla_task.cancel()

    if telegram is not None:
        await telegram.updater.stop()
        await telegram.stop()
        await telegram.shutdown()
    await runner.cleanup()
    await relay.close()


async def _start_telegram(relay: Relay):
    token = os.environ.get("TELEGRAM_BOT_TOKEN")
    if not token:
        log.info("TELEGRAM_BOT_TOKEN not set: Telegram is off")
        return None
    from bot.telegram import build_application, start

    application = build_application(token, relay)
    await start(application)  # long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set
    return application


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    asyncio.run(serve())


if __name__ == "__main__":
    main()
