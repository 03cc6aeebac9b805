"""Concurrent conversations through Rasa's REST webhook, each turn timed."""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Callable

import aiohttp

Script = Callable[[random.Random], list[str]]
TURN_TIMEOUT_S = 120


@dataclass
class Level:
    concurrency: int
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0  # HTTP error, timeout or connection failure
    silent: int = 0  # 200 but no message for the customer
    wall_s: float = 0.0
    error_samples: list[str] = field(default_factory=list)

    @property
    def turns(self) -> int:
        return len(self.latencies_s)

    def percentile_ms(self, q: float) -> float | None:
        if not self.latencies_s:
            return None
        ordered = sorted(self.latencies_s)
        index = min(int(round(q / 100 * (len(ordered) - 1))), len(ordered) - 1)
        return round(ordered[index] * 1000, 1)

    def summary(self) -> dict:
        return {
            "concurrency": self.concurrency, "turns": self.turns, "errors": self.errors, "silent": self.silent,
            "wall_s": round(self.wall_s, 2),
            "turns_per_s": round(self.turns / self.wall_s, 2) if self.wall_s else None,
            "p50_ms": self.percentile_ms(50), "p95_ms": self.percentile_ms(95), "p99_ms": self.percentile_ms(99),
            "error_samples": self.error_samples[:5],
        }


def webhook(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/webhooks/rest/webhook"


async def _turn(http: aiohttp.ClientSession, url: str, sender: str, message: str, level: Level) -> None:
    started = time.perf_counter()
    try:
        async with http.post(url, json={"sender": sender, "message": message}) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        body, status = None, type(error).__name__
    level.latencies_s.append(time.perf_counter() - started)
    if not isinstance(body, list):
        level.errors += 1
        level.error_samples.append(f"{status} on {message!r}")
    elif not any(reply.get("text") or reply.get("buttons") or reply.get("custom") for reply in body):
        level.silent += 1


async def play(base_urls: list[str], concurrency: int, duration_s: float, script: Script,
               tag: str, seed: int = 7) -> Level:
    """`concurrency` customers, each starting a new conversation when one ends, until
    `duration_s` has passed (turns under way then finish). A conversation's turns go to the
    servers in turn, as a round-robin load balancer in front of replicas would send them."""
    level = Level(concurrency)
    urls = [webhook(url) for url in base_urls]
    stop_at = time.monotonic() + duration_s

    async def customer(http: aiohttp.ClientSession, number: int) -> None:
        rng = random.Random(seed * 100_003 + number)
        conversation = 0
        while time.monotonic() < stop_at:
            sender = f"bench-{tag}-{concurrency}-{number}-{conversation}"
            conversation += 1
            for k, message in enumerate(script(rng)):
                if time.monotonic() >= stop_at:
                    return
                await _turn(http, urls[(number + k) % len(urls)], sender, message, level)

    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_S)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as http:
        started = time.monotonic()
        await asyncio.gather(*(customer(http, n) for n in range(concurrency)))
        level.wall_s = time.monotonic() - started
    return level


def run(base_urls: list[str], concurrency: int, duration_s: float, script: Script, tag: str) -> Level:
    return asyncio.run(play(base_urls, concurrency, duration_s, script, tag))
