"""The one place every customer turn passes: contact log, then Rasa's REST channel.

Telegram and the web widget both call `Relay.customer_turn`, so logging, routing to a
supervisor during a takeover and the flood limit (bot/flood.py) are written once for every channel.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable
from urllib.parse import quote

import aiohttp
from sqlalchemy.orm import sessionmaker

from aftersales import contact_log, customer_text, handoffs, outages
from aftersales.models import Complaint, utcnow
from aftersales.db import transaction
from aftersales.privacy import mask_phones_in
from bot.flood import PASS, WARN, FloodLimit
from nlu.components.script import detect_language

log = logging.getLogger(__name__)

APOLOGY = {
    "en": "Sorry, I can't answer right now. Your message is saved and our team will get back to you. "
          "You can leave more details here for a person to read; once I'm back we carry on where we left off.",
    "zh": "抱歉，系统暂时无法回复。您的消息已记录，工作人员会尽快联系您。"
          "您可以继续留言说明情况，人工客服会看到；系统恢复后会接着刚才的对话继续。",
}
SLOW_DOWN = {
    "en": "You're sending messages faster than I can read them. Please wait a few seconds, then send one message.",
    "zh": "您发消息的速度有点快，我跟不上了。请稍等几秒，再发一条消息。",
}


# A coroutine that hands a customer's message to the supervisor holding the conversation
# (Telegram when it is on); set by the front door. (staff id, conversation key, text).
StaffForwarder = Callable[[int, str, str], Awaitable[None]]

# A coroutine that shows messages to one customer on a channel: (external id, messages), each
# message shaped like Rasa's REST output ({"text", "buttons", "custom", ...}). Returns False
# when the customer cannot be reached now (a closed browser tab); the contact log keeps it.
ChannelSender = Callable[[str, list[dict[str, Any]]], Awaitable[bool]]


class Relay:
    def __init__(self, rasa_url: str, sessions: sessionmaker, timeout_s: float = 30.0,
                 forward_to_staff: StaffForwarder | None = None, flood: FloodLimit | None = None,
                 actions_health_url: str | None = None, auth_token: str | None = None):
        self.webhook = f"{rasa_url.rstrip('/')}/webhooks/rest/webhook"
        self.sessions = sessions
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._http: aiohttp.ClientSession | None = None
        self.forward_to_staff = forward_to_staff
        self.rasa_url = rasa_url.rstrip("/")
        self.channels: dict[str, ChannelSender] = {}  # conversation key prefix ("tg", "web") -> sender
        self._reachable: dict[str, Callable[[str], bool]] = {}
        self.flood = flood or FloodLimit.from_env()
        # The action server's /health: when Rasa answers a turn with nothing, is it because the
        # action server is down (Rasa then drops the turn's actions and says nothing)?
        self.actions_health_url = actions_health_url
        # Rasa's HTTP API token (RASA_AUTH_TOKEN) for the conversation endpoints; the REST
        # channel's webhook does not ask for it.
        self.api_params = {"token": auth_token} if auth_token else {}

    def add_channel(self, prefix: str, sender: ChannelSender,
                    reachable: Callable[[str], bool] | None = None) -> None:
        """Registers how to reach customers whose conversation key starts with `prefix:`;
        `reachable(external id)` tells whether one can be reached right now (a connected widget)."""
        self.channels[prefix] = sender
        if reachable is not None:
            self._reachable[prefix] = reachable

    def reachable(self, key: str) -> bool:
        """Whether a message started now would reach the customer now (not only the log)."""
        prefix, _, external_id = key.partition(":")
        if prefix not in self.channels:
            return False
        check = self._reachable.get(prefix)
        return check is None or check(external_id)

    async def to_customer(self, key: str, messages: list[dict[str, Any]], author: str = "bot") -> bool:
        """Messages the bot or a supervisor starts (pushes, reminders, replies), on the customer's
        own channel; logged first, so nothing is lost when the customer is not reachable now."""
        prefix, _, external_id = key.partition(":")
        channel = contact_log.channel_of(key)
        for message in messages:
            if message.get("text"):
                await self._log(key, channel, "out", author, message["text"])
        sender = self.channels.get(prefix)
        if sender is None or not messages:
            return False
        try:
            return await sender(external_id, messages)
        except Exception:  # a channel's outage must not break the caller (a scheduler, a console)
            log.exception("could not reach %s", key)
            return False

    async def proactive(self, key: str, intent: str, entities: dict[str, Any] | None = None) -> bool:
        """Starts a turn from the bot's side (a survey, a follow-up): Rasa answers an external
        intent for that conversation and the answer goes to the customer's channel. True when
        Rasa took the turn (what it said is in the contact log even if the customer is away)."""
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=self.timeout)
        url = f"{self.rasa_url}/conversations/{quote(key, safe='')}/trigger_intent"
        try:
            async with self._http.post(url, json={"name": intent, "entities": entities or {}},
                                       params=self.api_params) as response:
                response.raise_for_status()
                messages = (await response.json()).get("messages") or []
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            log.error("Rasa did not take %s for %s: %r", intent, key, error)
            return False
        await self.to_customer(key, messages)
        return True

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def customer_turn(self, channel: str, external_id: str, text: str,
                            sent_at: float | None = None) -> list[dict[str, Any]]:
        """One customer message: logged, then answered by Rasa (or the supervisor holding the
        conversation). `sent_at` is the channel's own timestamp (epoch seconds) if it has one."""
        text = customer_text.clean(text)
        if not text:  # only spaces or control characters: nothing to log or to understand
            return [{"text": customer_text.EMPTY_HINT}]
        key = contact_log.conversation_key(channel, external_id)
        await self._log(key, channel, "in", "customer", text)
        verdict = self.flood.check(key, sent_at if sent_at is not None else time.time())
        if verdict != PASS:
            return await self._flooded(key, channel, text, verdict)
        log.info("%s <- %s", key, mask_phones_in(text[:200]))
        holder = await asyncio.to_thread(self._holder_and_record, key, text)
        if holder is not None:  # a supervisor holds the conversation: the bot stays silent
            if self.forward_to_staff is not None:
                await self.forward_to_staff(holder.staff_id, key, text)
            return []
        try:
            replies = await self._ask_rasa(key, text)
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            log.error("Rasa did not answer %s: %r", key, error)
            replies = None
        if replies is None or (not replies and not await self._actions_healthy()):
            replies = await self._unanswered(key, text)
        for reply in replies:
            if reply.get("text"):
                await self._log(key, channel, "out", "bot", reply["text"])
        return replies

    async def _unanswered(self, key: str, text: str) -> list[dict[str, Any]]:
        """The bot could not answer: the customer is told their message is kept and a person
        will reply, and supervisors are asked to (once per conversation and day)."""
        def escalate() -> None:
            with transaction(self.sessions) as session:
                outages.ask_for_person(session, key, utcnow())

        try:
            await asyncio.to_thread(escalate)
        except Exception:  # the database may be what is down; the apology still goes out
            log.exception("could not ask a person to reply to %s", key)
        return [{"text": APOLOGY["en" if detect_language(text) == "en" else "zh"]}]

    async def _actions_healthy(self) -> bool:
        if self.actions_health_url is None:
            return True
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=self.timeout)
        try:
            async with self._http.get(self.actions_health_url, timeout=aiohttp.ClientTimeout(total=3)) as response:
                return response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return False

    async def _flooded(self, key: str, channel: str, text: str, verdict: str) -> list[dict[str, Any]]:
        """Over the flood limit: one polite word (the first time), then silence; logged."""
        log.warning("%s over the flood limit (%s): %s", key, verdict, mask_phones_in(text[:80]))
        if verdict != WARN:
            return []
        reply = SLOW_DOWN["en" if detect_language(text) == "en" else "zh"]
        await self._log(key, channel, "out", "bot", reply)
        return [{"text": reply}]

    async def record(self, key: str, direction: str, author: str, text: str) -> None:
        """A contact that is no Rasa turn (a shared phone number, the answer to it), logged."""
        await self._log(key, contact_log.channel_of(key), direction, author, text)

    async def conversation_language(self, key: str) -> str | None:
        """The language the bot answers this conversation in (Rasa's `language` slot), if known."""
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=self.timeout)
        url = f"{self.rasa_url}/conversations/{quote(key, safe='')}/tracker?include_events=NONE"
        try:
            async with self._http.get(url, params=self.api_params) as response:
                response.raise_for_status()
                return ((await response.json()).get("slots") or {}).get("language")
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            log.warning("no language for %s from Rasa: %r", key, error)
            return None

    async def _ask_rasa(self, sender: str, text: str) -> list[dict[str, Any]]:
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=self.timeout)
        async with self._http.post(self.webhook, json={"sender": sender, "message": text}) as response:
            response.raise_for_status()
            return await response.json()

    def _holder_and_record(self, key: str, text: str):
        """The supervisor holding this conversation, with the message put on the ticket's timeline."""
        with transaction(self.sessions) as session:
            holder = handoffs.holder_of(session, key)
            if holder is not None and holder.complaint_id is not None:
                complaint = session.get(Complaint, holder.complaint_id)
                handoffs.record_message(session, complaint, "in", "customer", text, utcnow())
            return holder

    async def _log(self, key: str, channel: str, direction: str, author: str, text: str) -> None:
        def write() -> None:
            with transaction(self.sessions) as session:
                contact_log.record(session, key, channel, direction, author, text)

        await asyncio.to_thread(write)
