"""Supervisors on Telegram, in the supervisor group (SUPERVISOR_CHAT_ID).

- An escalation arrives as a card with Take over / Resolve / Release buttons. The first to take
  over holds the conversation (the database decides) and the card says who; the customer is
  told "王经理 (supervisor) has joined".
- While a supervisor holds it, the customer's messages appear in the group (the relay routes
  them here instead of Rasa); a supervisor answers by replying to one of them, or to the card,
  and the answer reaches the customer on their own channel.
- Resolve asks for the resolution (a reply to the bot's prompt); then the bot asks the customer
  whether it is settled and for the survey.
Only staff whose Telegram user id is on file as an active supervisor may act; anyone else is
refused and logged. The same core functions serve the web console (aftersales.console_queries).
"""
from __future__ import annotations

import asyncio
import logging
import os
import re

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from aftersales import clock, console_queries, handoffs
from aftersales.console_queries import ConsoleError
from aftersales.db import transaction
from aftersales.handoffs import HandoffError
from aftersales.models import Complaint, Staff
from aftersales.privacy import mask_phones_in
from bot.handoff_delivery import tell_customer
from bot.relay import Relay

log = logging.getLogger(__name__)

REFERENCE = re.compile(r"CP-\d{4}-\d{5}")
BUTTON = re.compile(r"^cp:(take|resolve|release):(CP-\d{4}-\d{5})$")
RESOLVE_PROMPT = "📝 {reference}"
REFUSED = {
    "not_a_supervisor": "只有主管可以操作 / Only supervisors can do this",
    "already_taken": "已由{holder}接手 / {holder} already holds it",
    "not_held": "您没有接手这个对话 / You do not hold this conversation",
    "no_such_ticket": "找不到这个工单 / No such ticket",
    "closed": "工单已关闭 / The ticket is closed",
    "empty": "内容为空 / Nothing to send",
    "no_conversation": "这个投诉没有对话可接 / No conversation to take over",
}


def supervisor_chat_id() -> int | None:
    value = os.environ.get("SUPERVISOR_CHAT_ID", "").strip()
    return int(value) if value.lstrip("-").isdigit() else None


def install(application: Application, relay: Relay) -> None:
    """Adds the supervisors' handlers (before the customers' ones, which then never see the
    supervisor group) and routes held conversations' messages to the group."""
    chat_id = supervisor_chat_id()
    if chat_id is None:
        log.info("SUPERVISOR_CHAT_ID not set: escalations are in the console and the log only")
        return
    application.bot_data["supervisor_chat"] = chat_id
    _configure_supervisors(relay)
    group = filters.Chat(chat_id=chat_id)
    application.add_handler(CallbackQueryHandler(on_button, pattern=BUTTON))
    application.add_handler(MessageHandler(group & filters.TEXT & filters.REPLY, on_reply))
    application.add_handler(MessageHandler(group, _ignore))  # supervisors talking among themselves
    bot = application.bot

    async def forward(staff_id: int, key: str, text: str) -> None:
        await _forward_to_group(bot, chat_id, relay, key, text)

    relay.forward_to_staff = forward


def _configure_supervisors(relay: Relay) -> None:
    """SUPERVISOR_TELEGRAM_IDS="wang=111,maria=222": who may act from Telegram."""
    mapping = handoffs.parse_telegram_ids(os.environ.get("SUPERVISOR_TELEGRAM_IDS", ""))
    if mapping:
        with transaction(relay.sessions) as session:
            missing = handoffs.link_telegram_ids(session, mapping)
        log.info("supervisors on Telegram: %s", ", ".join(sorted(set(mapping) - set(missing))) or "none")
        if missing:
            log.warning("SUPERVISOR_TELEGRAM_IDS names unknown staff: %s", ", ".join(missing))


def notifier(application: Application):
    """The SLA scheduler's way to post an escalation card (None when there is no group)."""
    chat_id = application.bot_data.get("supervisor_chat")
    if chat_id is None:
        return None

    async def post(reference: str | None, text: str) -> bool:
        try:
            await application.bot.send_message(chat_id, text, reply_markup=card_buttons(reference))
            return True
        except TelegramError as error:
            log.error("could not post the escalation card %s: %r", reference, error)
            return False

    return post


async def show_photo(application_bot, bot_data: dict, reference: str, file_id: str, caption: str | None) -> None:
    """A photo the customer sent with a complaint, shown in the supervisor group (reply to answer)."""
    chat_id = bot_data.get("supervisor_chat")
    if chat_id is None or not reference.startswith("CP-"):
        return
    text = f"📷 {reference} 客户照片 customer photo" + (f": {mask_phones_in(caption[:500])}" if caption else "")
    try:
        await application_bot.send_photo(chat_id, photo=file_id, caption=text)
    except TelegramError as error:
        log.error("could not show the photo of %s to the supervisors: %r", reference, error)


def card_buttons(reference: str | None) -> InlineKeyboardMarkup | None:
    if reference is None:
        return None
    return InlineKeyboardMarkup([[
        InlineKeyboardButton("接手 Take over", callback_data=f"cp:take:{reference}"),
        InlineKeyboardButton("解决 Resolve", callback_data=f"cp:resolve:{reference}"),
        InlineKeyboardButton("释放 Release", callback_data=f"cp:release:{reference}"),
    ]])


async def _ignore(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    return None


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    action, reference = BUTTON.match(query.data).groups()
    relay: Relay = context.bot_data["relay"]
    user = update.effective_user
    try:
        staff, delivery = await asyncio.to_thread(_act, relay.sessions, user.id, action, reference)
    except (HandoffError, ConsoleError) as refused:
        await _refuse(query, user, action, reference, refused)
        return
    await query.answer()
    if action == "resolve":  # the resolution is the supervisor's reply to this prompt
        await context.bot.send_message(query.message.chat_id, RESOLVE_PROMPT.format(reference=reference)
                                       + f" 请回复处理结果 / reply with the resolution ({staff.display_name})",
                                       reply_markup=ForceReply(selective=True))
        return
    await tell_customer(relay, delivery, staff, "joined" if action == "take" else "left")
    mark = (f"✅ {staff.display_name} 已接手 / took over" if action == "take"
            else f"↩️ {staff.display_name} 已释放 / released")
    await query.edit_message_text(f"{query.message.text}\n\n{mark}", reply_markup=card_buttons(reference))


def _act(sessions, telegram_user_id: int, action: str, reference: str):
    with transaction(sessions) as session:
        staff = handoffs.supervisor(session, telegram_user_id=telegram_user_id)
        now = clock.now()
        if action == "take":
            delivery = console_queries.take_over(session, staff, reference, now)
        elif action == "release":
            delivery = console_queries.release(session, staff, reference, now)
        else:
            _must_hold(session, staff, reference)
            delivery = None
        return _detached(staff), delivery


def _must_hold(session, staff: Staff, reference: str) -> Complaint:
    complaint = console_queries.visible_complaint(session, staff, reference)
    holder = handoffs.holder_of(session, complaint.conversation_key or "")
    if holder is None or holder.staff_id != staff.id:
        raise HandoffError("not_held")
    return complaint


def _detached(staff: Staff) -> Staff:
    return Staff(id=staff.id, username=staff.username, display_name=staff.display_name,
                 display_name_en=staff.display_name_en, role=staff.role)


async def _refuse(query, user, action: str, reference: str, refused) -> None:
    reason = getattr(refused, "reason", str(refused))
    holder = getattr(refused, "holder", None)
    log.warning("supervisor action %s on %s refused for Telegram user %s: %s", action, reference, user.id, reason)
    text = REFUSED.get(reason, reason).format(holder=holder.display_name if holder else "?")
    await query.answer(text, show_alert=True)


async def on_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply in the supervisor group to a card, a forwarded customer message or the resolve
    prompt: the answer goes to that ticket's customer (or becomes its resolution)."""
    message = update.effective_message
    replied = message.reply_to_message.text or ""
    found = REFERENCE.search(replied)
    if found is None or not replied.startswith(("🔔", "💬", "📝", "📷")):
        return
    reference, relay = found.group(0), context.bot_data["relay"]
    user = update.effective_user
    resolving = replied.startswith(RESOLVE_PROMPT.format(reference=reference))
    try:
        staff, delivery = await asyncio.to_thread(_answer, relay.sessions, user.id, reference, message.text,
                                                  resolving)
    except (HandoffError, ConsoleError) as refused:
        reason = getattr(refused, "reason", str(refused))
        log.warning("supervisor reply on %s refused for Telegram user %s: %s", reference, user.id, reason)
        holder = getattr(refused, "holder", None)
        await message.reply_text(REFUSED.get(reason, reason).format(holder=holder.display_name if holder else "?"))
        return
    if resolving:
        await tell_customer(relay, delivery, staff, "resolved")
        await message.reply_text(f"✅ {reference} 已解决 / resolved")
        return
    if delivery.joined:
        await tell_customer(relay, delivery, staff, "joined")
    reached = await relay.to_customer(delivery.conversation_key, [{"text": message.text}], author=staff.display_name)
    if not reached:
        await message.reply_text("⚠️ 客户当前不在线，消息已保存在对话记录中 / customer offline; kept in the log")


def _answer(sessions, telegram_user_id: int, reference: str, text: str, resolving: bool):
    with transaction(sessions) as session:
        staff = handoffs.supervisor(session, telegram_user_id=telegram_user_id)
        now = clock.now()
        if resolving:
            return _detached(staff), console_queries.resolve(session, staff, reference, text, now)
        return _detached(staff), console_queries.reply(session, staff, reference, text, now)


async def _forward_to_group(bot, chat_id: int, relay: Relay, key: str, text: str) -> None:
    """A held customer's message, shown in the group with the ticket to reply to."""
    reference = await asyncio.to_thread(_held_reference, relay.sessions, key)
    try:
        await bot.send_message(chat_id, f"💬 {reference or key} 客户 customer:\n{mask_phones_in(text[:3500])}")
    except TelegramError as error:
        log.error("could not show %s's message to the supervisors: %r", key, error)


def _held_reference(sessions, key: str) -> str | None:
    with transaction(sessions) as session:
        holder = handoffs.holder_of(session, key)
        if holder is None or holder.complaint_id is None:
            return None
        return session.get(Complaint, holder.complaint_id).reference
