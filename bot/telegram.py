"""Customers on Telegram (python-telegram-bot): commands, text, button presses and a shared
location each become one turn through the relay; a shared contact links the chat to the
customer; a photo is kept with their case. Turn replies and pushes are rendered by one function
(`show`): Rasa buttons become inline keyboards, long texts are split, all text is HTML-escaped.
"""
from __future__ import annotations

import asyncio
import hashlib
import html
import json
import logging
import os
from collections import deque
from contextlib import asynccontextmanager, suppress
from typing import Any, AsyncIterator
from urllib.parse import urlsplit

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)
from telegram.constants import ChatAction, MessageLimit, ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import telegram_text
from bot.telegram_retry import deliver
from bot.relay import Relay

LOCATION = "__location__"  # actions.booking.LOCATION: a button asking for the customer's location
CUSTOMERS = filters.ChatType.PRIVATE  # customers write to the bot one to one; groups are staff's
COMMAND_PAYLOADS = {"help": "/help", "stop": "/stop", "human": "/request_human"}
TYPING_EVERY_S = 4.5  # Telegram shows "typing…" for 5 seconds per chat action

log = logging.getLogger(__name__)


def build_application(token: str, relay: Relay) -> Application:
    builder = Application.builder().token(token)
    base_url = os.environ.get("TELEGRAM_API_BASE_URL")  # e.g. a local Bot API server
    if base_url:
        builder = builder.base_url(base_url).base_file_url(
            os.environ.get("TELEGRAM_API_BASE_FILE_URL") or file_url(base_url))
    application = builder.build()
    application.bot_data["relay"] = relay
    application.bot_data["seen"] = SeenUpdates()
    application.add_handler(TypeHandler(Update, drop_duplicates), group=-100)
    from bot import supervisors

    supervisors.install(application, relay)  # supervisors' handlers first: they match their own chats
    application.add_handler(CommandHandler("start", on_start, filters=CUSTOMERS))
    application.add_handler(CommandHandler("lang", on_lang, filters=CUSTOMERS))
    for command, payload in COMMAND_PAYLOADS.items():
        application.add_handler(CommandHandler(command, _command(payload), filters=CUSTOMERS))
    application.add_handler(MessageHandler(CUSTOMERS & filters.CONTACT, on_contact))
    application.add_handler(MessageHandler(CUSTOMERS & filters.PHOTO, on_photo))
    application.add_handler(MessageHandler(CUSTOMERS & filters.LOCATION, on_location))
    application.add_handler(MessageHandler(CUSTOMERS & filters.TEXT, on_text))
    application.add_handler(CallbackQueryHandler(on_button))
    relay.add_channel("tg", lambda chat_id, messages: push(application.bot, relay, chat_id, messages))
    return application


async def start(application: Application) -> None:
    """Long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set: python-telegram-bot's own
    server on TELEGRAM_WEBHOOK_PORT (default 8443), which refuses updates that do not carry
    TELEGRAM_WEBHOOK_SECRET (Telegram sends it back in a header on every delivery)."""
    webhook_url = os.environ.get("TELEGRAM_WEBHOOK_URL", "").strip()
    secret = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    if webhook_url and not secret:
        raise RuntimeError("TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET is not: "
                           "without it anyone could post fake updates to the webhook")
    await application.initialize()
    await announce_commands(application.bot)
    await application.start()
    if not webhook_url:
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        log.info("Telegram long polling started")
        return
    await application.updater.start_webhook(
        listen=os.environ.get("TELEGRAM_WEBHOOK_LISTEN", "0.0.0.0"),
        port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT") or 8443),
        url_path=urlsplit(webhook_url).path.lstrip("/"),
        webhook_url=webhook_url,
        secret_token=secret,
        allowed_updates=Update.ALL_TYPES,
    )
    log.info("Telegram webhook started for %s", webhook_url)


async def announce_commands(bot: Bot) -> None:
    """The command menu customers see in private chats, in Chinese and in English."""
    scope = BotCommandScopeAllPrivateChats()
    try:
        for language, commands in telegram_text.COMMANDS.items():
            await bot.set_my_commands([BotCommand(*c) for c in commands], scope=scope,
                                      language_code=None if language == "zh" else language)
    except TelegramError as error:  # a menu is a convenience: the bot works without one
        log.warning("could not set the command menu: %r", error)


def file_url(base_url: str) -> str:
    """Where a Bot API server at base_url serves files: .../bot -> .../file/bot."""
    stem = base_url.rstrip("/")
    return (stem[: -len("/bot")] if stem.endswith("/bot") else stem) + "/file/bot"


# Updates -------------------------------------------------------------------------------------


class SeenUpdates:
    """The update ids handled lately. Telegram delivers an update again when it could not
    confirm the first delivery (a webhook answer lost, a restart before the polling offset was
    acknowledged); the second copy must not be answered twice."""

    def __init__(self, capacity: int = 10_000):
        self.capacity = capacity
        self._order: deque[int] = deque()
        self._ids: set[int] = set()

    def first_time(self, update_id: int) -> bool:
        if update_id in self._ids:
            return False
        self._ids.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self.capacity:
            self._ids.discard(self._order.popleft())
        return True


async def drop_duplicates(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if not context.bot_data["seen"].first_time(update.update_id):
        log.warning("update %d delivered again: ignored", update.update_id)
        raise ApplicationHandlerStop


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A greeting, the language choice, and the offer to be recognised by phone number."""
    await _turn(update, context, "/greet")
    await offer_languages(context.bot, update.effective_chat.id)
    await context.bot.send_message(update.effective_chat.id, telegram_text.SHARE_CONTACT, reply_markup=ReplyKeyboardMarkup(
        [[KeyboardButton(telegram_text.SHARE_CONTACT_BUTTON, request_contact=True)]],
        one_time_keyboard=True, resize_keyboard=True,
    ))


async def on_lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await offer_languages(context.bot, update.effective_chat.id)


async def offer_languages(bot: Bot, chat_id: int) -> None:
    buttons = [{"title": title, "payload": payload} for title, payload in telegram_text.LANGUAGE_BUTTONS]
    await bot.send_message(chat_id, telegram_text.CHOOSE_LANGUAGE, reply_markup=keyboard(buttons))


def _command(payload: str):
    async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await _turn(update, context, payload)

    return on_command


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
    if update.effective_chat is None or update.effective_chat.type != "private":
        return  # a button in a staff group that no supervisors' handler took
    try:
        await query.edit_message_reply_markup(reply_markup=None)  # a keyboard is used once
    except TelegramError as error:  # too old to edit, or already closed: the press still counts
        log.info("keyboard not closed in %s: %r", update.effective_chat.id, error)
    await _turn(update, context, _payload_of(query.data))


async def _turn(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    relay: Relay = context.bot_data["relay"]
    chat_id = update.effective_chat.id
    sent_at = update.message.date.timestamp() if update.message else None  # a press has no own time
    async with typing(context.bot, chat_id):
        replies = await relay.customer_turn("telegram", str(chat_id), text, sent_at=sent_at)
    await show(context.bot, relay, chat_id, replies)


@asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Shows "typing…" in the chat until the block ends (while Rasa thinks)."""

    async def keep_typing() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as error:  # cosmetic: never let it break a turn
                log.debug("no typing indicator for %s: %r", chat_id, error)
            await asyncio.sleep(TYPING_EVERY_S)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


# Identity by shared contact, and photos -----------------------------------------------------


async def on_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The customer's own contact (Telegram vouches for the number) links the chat to the
    customer with that phone; a contact card of someone else is refused."""
    from aftersales.customers import stored_phone
    from aftersales.privacy import mask_phone

    relay: Relay = context.bot_data["relay"]
    chat_id = update.effective_chat.id
    key = f"tg:{chat_id}"
    contact = update.effective_message.contact
    own = contact.user_id is not None and contact.user_id == update.effective_user.id
    await relay.record(key, "in", "customer", f"[contact{'' if own else ' of someone else'}] "
                                              f"{mask_phone(stored_phone(contact.phone_number))}")
    language = await customer_language(relay, key, update.effective_user)
    if not own:
        outcome, plates = "not_own", []
    else:
        outcome, plates = await asyncio.to_thread(_link_contact, relay.sessions, key, contact.phone_number)
    text = telegram_text.say(f"contact_{outcome}", language, plates="、".join(plates) if language != "en"
                             else ", ".join(plates))
    await relay.record(key, "out", "bot", text)
    await context.bot.send_message(chat_id, as_html(text), parse_mode=ParseMode.HTML,
                                   reply_markup=ReplyKeyboardRemove() if outcome == "linked" else None)


def _link_contact(sessions, key: str, phone: str) -> tuple[str, list[str]]:
    from aftersales import customers
    from aftersales.db import transaction
    from aftersales.models import utcnow

    with transaction(sessions) as session:
        identity = customers.link_by_phone(session, key, phone, utcnow())
        if identity.customer is None:
            return identity.problem, []
        return "linked", [vehicle.plate for vehicle in identity.customer.vehicles]


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The largest size of the photo is downloaded and kept with the customer's open case."""
    relay: Relay = context.bot_data["relay"]
    chat_id = update.effective_chat.id
    key = f"tg:{chat_id}"
    message = update.effective_message
    largest = max(message.photo, key=lambda size: (size.width * size.height, size.file_size or 0))
    try:
        async with typing(context.bot, chat_id):
            data = bytes(await (await largest.get_file()).download_as_bytearray())
            reference = await asyncio.to_thread(_keep_photo, relay.sessions, key, data, message.caption)
        outcome = "photo_case" if reference else "photo_kept"
        if reference:
            from bot import supervisors

            await supervisors.show_photo(context.bot, context.bot_data, reference, largest.file_id, message.caption)
    except (TelegramError, OSError, ValueError) as error:
        log.error("photo from %s not kept: %r", key, error)
        reference, outcome = None, "photo_failed"
    text = telegram_text.say(outcome, await customer_language(relay, key, update.effective_user), reference=reference)
    await relay.record(key, "out", "bot", text)
    await context.bot.send_message(chat_id, as_html(text), parse_mode=ParseMode.HTML)


def _keep_photo(sessions, key: str, data: bytes, caption: str | None) -> str | None:
    from aftersales import attachments
    from aftersales.db import transaction
    from aftersales.models import utcnow
    from aftersales.settings import VAR_DIR

    path, digest = attachments.save_file(VAR_DIR, data)
    with transaction(sessions) as session:
        return attachments.attach_photo(session, key, path, digest, len(data), caption, utcnow()).case_reference


async def customer_language(relay: Relay, key: str, user: User | None) -> str:
    """The language the conversation is in, else the one the customer's Telegram app uses."""
    return await relay.conversation_language(key) or telegram_text.language_of_client(
        user.language_code if user else None)


# Showing messages ---------------------------------------------------------------------------


async def push(bot: Bot, relay: Relay, chat_id: str, messages: list[dict[str, Any]]) -> bool:
    """Relay.to_customer's way into Telegram (reminders, supervisors' replies, pushes)."""
    try:
        await show(bot, relay, int(chat_id), messages)
    except Forbidden:  # the customer blocked the bot or deleted the chat
        log.info("tg:%s cannot be reached: the bot is blocked", chat_id)
        return False
    return True


async def show(bot: Bot, relay: Relay, chat_id: int, messages: list[dict[str, Any]]) -> None:
    """Rasa-shaped messages ({"text", "buttons", "custom"}) as Telegram messages."""
    for message in messages:
        calendar = (message.get("custom") or {}).get("calendar")
        if calendar:
            await _send_calendar(bot, chat_id, relay, calendar["reference"])
            continue
        buttons = message.get("buttons") or []
        inline = [b for b in buttons if b["payload"] != LOCATION]
        pieces = split_text(message.get("text") or "") or (["👇"] if inline else [])
        for number, piece in enumerate(pieces, start=1):
            markup = keyboard(inline) if number == len(pieces) else None
            await deliver(lambda: bot.send_message(chat_id, as_html(piece), parse_mode=ParseMode.HTML,
                                                   reply_markup=markup))
        for button in (b for b in buttons if b["payload"] == LOCATION):
            await deliver(lambda: bot.send_message(chat_id, button["title"], reply_markup=ReplyKeyboardMarkup(
                [[KeyboardButton(button["title"], request_location=True)]],
                one_time_keyboard=True, resize_keyboard=True,
            )))


def as_html(text: str) -> str:
    """Text for parse_mode HTML: what the customer or the data says is shown, never markup."""
    return html.escape(text, quote=False)


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Pieces Telegram accepts (at most `limit` UTF-16 units each, as Telegram counts), cut
    at a paragraph break, else a line break, else after a sentence, else at a space, and only
    when none of those fits, anywhere. Empty pieces are left out."""
    pieces = []
    while _units(text) > limit:
        window = _longest_prefix(text, limit)
        head, text = _cut(text, window)
        pieces.append(head)
    pieces.append(text)
    return [piece.strip() for piece in pieces if piece.strip()]


_CUTS = (("\n\n", True), ("\n", False), ("。", False), ("！", False), ("？", False), (". ", False),
         ("! ", False), ("? ", False), (" ", False))


def _cut(text: str, window: int) -> tuple[str, str]:
    """Splits text inside its first `window` characters at the best place found."""
    for separator, late_only in _CUTS:
        at = text.rfind(separator, 0, window - len(separator) + 1)
        if at > 0 and not (late_only and at < window // 2):
            end = at + len(separator)
            keep = separator.strip()  # a sentence's stop stays with it; breaks and spaces go
            return text[:at] + keep, text[end:]
    return text[:window], text[window:]


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _longest_prefix(text: str, limit: int) -> int:
    """How many characters of text fit in `limit` UTF-16 units."""
    used = 0
    for index, character in enumerate(text):
        used += 2 if ord(character) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def keyboard(buttons: list[dict] | None) -> InlineKeyboardMarkup | None:
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
    key = "#" + hashlib.sha1(payload.encode()).hexdigest()[:20]
    _LONG_PAYLOADS[key] = payload
    return key


def _payload_of(data: str) -> str:
    return _LONG_PAYLOADS.get(data, data)


async def _send_calendar(bot: Bot, chat_id: int, relay: Relay, reference: str) -> None:
    """The booking's .ics as a document the customer can add to their calendar."""
    from bot.web import calendar_file

    body = await asyncio.to_thread(calendar_file, relay.sessions, reference)
    if body is not None:
        await bot.send_document(chat_id, document=body.encode(), filename=f"{reference}.ics")
