"""Customers on Telegram (python-telegram-bot): each text message is one turn through the relay."""
from __future__ import annotations

import html
import json
import logging
import os

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.relay import Relay

LOCATION = "__location__"  # actions.booking.LOCATION: a button asking for the customer's location

log = logging.getLogger(__name__)


def build_application(token: str, relay: Relay) -> Application:
    builder = Application.builder().token(token)
    base_url = os.environ.get("TELEGRAM_API_BASE_URL")  # e.g. a local Bot API server
    if base_url:
        builder = builder.base_url(base_url)
    application = builder.build()
    application.bot_data["relay"] = relay
    from bot import supervisors

    supervisors.install(application, relay)  # supervisors' handlers first: they match their own chats
    application.add_handler(MessageHandler(filters.TEXT, on_text))
    application.add_handler(MessageHandler(filters.LOCATION, on_location))
    application.add_handler(CallbackQueryHandler(on_button))
    return application


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _turn(update, context, update.effective_message.text)


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A shared location becomes coordinates the booking uses to pick the nearest store."""
    where = update.effective_message.location
    payload = json.dumps({"latitude": where.latitude, "longitude": where.longitude})
    await _turn(update, context, f"/inform{payload}")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)  # a keyboard is used once
    await _turn(update, context, _payload_of(query.data))


async def _turn(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    relay: Relay = context.bot_data["relay"]
    chat_id = update.effective_chat.id
    for reply in await relay.customer_turn("telegram", str(chat_id), text):
        calendar = (reply.get("custom") or {}).get("calendar")
        if calendar:
            await _send_calendar(context, chat_id, relay, calendar["reference"])
            continue
        buttons = reply.get("buttons") or []
        await context.bot.send_message(
            chat_id,
            html.escape(reply.get("text") or ""),
            parse_mode=ParseMode.HTML,
            reply_markup=_keyboard([b for b in buttons if b["payload"] != LOCATION]),
        )
        for button in (b for b in buttons if b["payload"] == LOCATION):
            await context.bot.send_message(chat_id, button["title"], reply_markup=ReplyKeyboardMarkup(
                [[KeyboardButton(button["title"], request_location=True)]],
                one_time_keyboard=True, resize_keyboard=True,
            ))


def _keyboard(buttons: list[dict] | None) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b["title"], callback_data=_callback_data(b["payload"]))] for b in buttons]
    )


# Telegram carries at most 64 bytes of callback data; longer payloads travel as a short key.
_LONG_PAYLOADS: dict[str, str] = {}


def _callback_data(payload: str) -> str:
    if len(payload.encode()) <= 64:
        return payload
    import hashlib

    key = "#" + hashlib.sha1(payload.encode()).hexdigest()[:20]
    _LONG_PAYLOADS[key] = payload
    return key


def _payload_of(data: str) -> str:
    return _LONG_PAYLOADS.get(data, data)


async def _send_calendar(context: ContextTypes.DEFAULT_TYPE, chat_id: int, relay: Relay, reference: str) -> None:
    """The booking's .ics as a document the customer can add to their calendar."""
    import asyncio

    from bot.web import calendar_file

    body = await asyncio.to_thread(calendar_file, relay.sessions, reference)
    if body is not None:
        await context.bot.send_document(chat_id, document=body.encode(), filename=f"{reference}.ics")
