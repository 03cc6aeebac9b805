"""Supervisors on Telegram: escalation cards with Take over / Resolve / Release buttons in the
supervisor group, and the relay of a supervisor's replies to the customer they hold.
(Filled in by the complaint work; `install` is called by bot.telegram.build_application.)"""
from __future__ import annotations

from telegram.ext import Application

from bot.relay import Relay


def install(application: Application, relay: Relay) -> None:
    """Adds the supervisors' handlers (before the customers' catch-all ones)."""
