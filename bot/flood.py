"""The per-conversation flood limit every channel shares (called by Relay.customer_turn).

More than `max_messages` from one conversation within `window_s` seconds: the customer is
told once to slow down, and the rest is not passed to Rasa until the window has room again.
Dropped messages count in the window, so a steady flood stays dropped rather than slipping
a message through every few seconds.
"""
from __future__ import annotations

import os
from collections import deque

PASS, WARN, DROP = "pass", "warn", "drop"


class FloodLimit:
    def __init__(self, max_messages: int = 8, window_s: float = 10.0):
        if max_messages < 1 or window_s <= 0:
            raise ValueError("a flood limit needs at least one message in a positive window")
        self.max_messages = max_messages
        self.window_s = window_s
        self._times: dict[str, deque[float]] = {}
        self._warned: set[str] = set()
        self._checks = 0

    @classmethod
    def from_env(cls) -> "FloodLimit":
        """FLOOD_MAX_MESSAGES in FLOOD_WINDOW_S seconds (default 8 in 10)."""
        return cls(int(os.environ.get("FLOOD_MAX_MESSAGES") or 8), float(os.environ.get("FLOOD_WINDOW_S") or 10))

    def check(self, key: str, at: float) -> str:
        """PASS, WARN (the first message over the limit) or DROP, for a message sent at `at`
        (seconds; the channel's own timestamp when it has one, so a backlog of messages
        processed later is still seen as the burst it was)."""
        times = self._times.setdefault(key, deque())
        while times and times[0] <= at - self.window_s:
            times.popleft()
        times.append(at)
        self._checks += 1
        if self._checks % 1000 == 0:
            self.forget_idle(at)
        if len(times) <= self.max_messages:
            self._warned.discard(key)
            return PASS
        if key in self._warned:
            return DROP
        self._warned.add(key)
        return WARN

    def forget_idle(self, now: float) -> None:
        """Drops conversations with nothing in their window (keeps memory bounded)."""
        for key in [k for k, times in self._times.items() if not times or times[-1] <= now - self.window_s]:
            del self._times[key]
            self._warned.discard(key)
