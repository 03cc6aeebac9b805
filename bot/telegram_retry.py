"""Sending to Telegram again only when the first try surely did not arrive.

Telegram has no idempotency key for sendMessage, so a message sent twice is shown twice. A 429
(RetryAfter) and a connection that was never made (refused, connect or pool timeout) mean the
message did not arrive: wait (what Telegram asks, or 1, 2, 4 s) and send it again. A timeout
while reading the answer or a 5xx may mean it did arrive: it is not sent again (a duplicate
would be worse; the text is in the contact log and the console for staff), and the error goes
up to the caller as before.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Awaitable, Callable, TypeVar

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

log = logging.getLogger(__name__)

T = TypeVar("T")
ATTEMPTS = 4
MAX_WAIT_S = 60.0
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


async def deliver(send: Callable[[], Awaitable[T]], attempts: int = ATTEMPTS) -> T:
    """`send()` (e.g. lambda: bot.send_message(...)), again after a failure that delivered nothing."""
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except RetryAfter as error:
            wait = min(_seconds(error.retry_after), MAX_WAIT_S)
            if attempt == attempts:
                raise
        except NetworkError as error:
            if attempt == attempts or not never_sent(error):
                raise
            wait = 2.0 ** (attempt - 1)
        log.warning("Telegram did not take the message (try %d of %d): again in %.0f s", attempt, attempts, wait)
        await asyncio.sleep(wait)
    raise AssertionError("unreachable")


def never_sent(error: NetworkError) -> bool:
    """True when the request cannot have reached Telegram."""
    if isinstance(error, BadRequest):
        return False
    if isinstance(error, TimedOut) and "Pool timeout" in str(error):
        return True
    return isinstance(error.__cause__, NEVER_SENT)


def _seconds(retry_after: int | float | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)
