"""Telling the customer about a supervisor's move, the same way from the web console and the
Telegram supervisor chat: who joined or left (in the customer's language), and after a
resolution the bot's own turn (is it settled? the survey)."""
from __future__ import annotations

from aftersales import handoff_text
from aftersales.models import Staff
from bot.relay import Relay

RESOLVED_INTENT = "EXTERNAL_complaint_resolved"


async def tell_customer(relay: Relay, delivery, staff: Staff, what: str) -> bool:
    """`what` is "joined", "left" or "resolved"; `delivery` is a console_queries.Delivery."""
    if what == "resolved":
        return await relay.proactive(delivery.conversation_key, RESOLVED_INTENT, {"ticket_id": delivery.reference})
    say = handoff_text.joined if what == "joined" else handoff_text.left
    text = say(staff.display_name, staff.display_name_en, delivery.language)
    return await relay.to_customer(delivery.conversation_key, [{"text": text}], author=staff.display_name)
