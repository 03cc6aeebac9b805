"""Complaint intake and status in the conversation.

The customer's own words are kept verbatim; the category is guessed from them and confirmed;
a recent repair order or visit is offered; the outcome they want is asked. The complaint is
committed before the acknowledgement with its CP- ticket is sent. Status questions are
answered for the customer's own complaints only.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Optional, Text
from zoneinfo import ZoneInfo

from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from sqlalchemy.exc import OperationalError

from actions.appointment_changes import AskChangeSlot, ChangeTurn, ValidateChangeForm
from actions.booking import entity, intent, payload, utter
from actions.knowledge import stores_likely
from actions.context import CustomerAction, language, sessions
from aftersales import clock, complaints, contact_log, customers, stores
from aftersales import booking_text as text
from aftersales.db import transaction
from aftersales.models import Appointment, Customer, RepairOrder, Store

COMPLAINT_SLOTS = ("complaint_description", "complaint_category", "complaint_order", "complaint_remedy",
                   "complaint_outcome",
                   "complaint_reference", "complaint_guess")

CATEGORIES = {
    "advisor": ("服务顾问/接待", "Service advisor / staff"),
    "waiting_time": ("等待或维修时间", "Waiting or repair time"),
    "repair_quality": ("维修质量/没修好", "Repair quality / not fixed"),
    "price": ("价格或多收费", "Price or overcharging"),
    "facilities": ("店内设施", "Facilities"),
    "product_quality": ("车辆本身质量", "Product quality"),
    "other": ("其他", "Other"),
}
SAY = {
    "describe": ("非常抱歉给您带来不好的体验。请具体说说发生了什么，我会原话记录下来。",
                 "I'm very sorry about this. Please tell me what happened; I'll record it in your own words."),
    "category": ("我理解这是关于“{guess}”的问题，对吗？不对的话请选择：", "I understand this is about \"{guess}\". Is that right? If not, please pick:"),
    "category_open": ("这属于哪一类问题？", "Which of these is it about?"),
    "order": ("和下面哪一次维修或到店有关？", "Is it about one of these visits?"),
    "no_order": ("无关具体订单", "Not about a specific visit"),
    "outcome": ("您希望我们怎么处理？（比如重新检修、退还多收的费用、道歉……）",
                "What would you like us to do about it? (e.g. re-check the car, refund an overcharge, an apology)"),
    "resolves": ("这样能解决您的问题吗？", "Does this resolve it?"),
    "yes_resolved": ("解决了", "Yes, that's fine"),
    "no_escalate": ("没有，找主管", "No, I want a supervisor"),
    "resolved_ack": ("很高兴问题说清楚了。已记录为已解决，编号 {reference}。如还有疑问随时找我。",
                     "Glad that's cleared up. Recorded as resolved under {reference}; ask me any time if anything else comes up. "),
    "ack": ("已记录您的投诉，编号 {reference}。我们承诺在{first}前由专人联系您，{resolve}前给出处理结果。",
            "Your complaint is recorded as {reference}. A person will contact you by {first}, and we aim to resolve it by {resolve}. "),
    "ack_escalated": ("{why}，已直接升级给主管处理。", "{why}, it has gone straight to a supervisor. "),
    "why_high": ("情况紧急", "Because it is urgent"),
    "why_repeat": ("这是重复投诉", "Because it is a repeat complaint"),
    "why_asked": ("应您的要求", "At your request"),
    "why_rejected": ("解释没能解决您的问题", "As the explanation did not settle it"),
    "why_unclear": ("为免我理解有误", "So that nothing gets lost in my misunderstanding"),
    "next": ("您可以随时发“我的投诉怎么样了”查看进度。", "You can ask \"status of my complaint\" at any time."),
    "none": ("没有找到您名下的投诉。", "I can't find a complaint of yours."),
    "status": ("投诉 {reference}（{category}）：{status}。最近更新：{last}。{who}处理时限：{due}。",
               "Complaint {reference} ({category}): {status}. Last update: {last}. {who}Target: {due}."),
    "handled_by": ("负责人：{name}。", "Handled by {name}. "),
}
STATUS = {"new": ("已受理", "received"), "escalated": ("已升级主管", "escalated to a supervisor"),
          "taken": ("主管处理中", "being handled by a supervisor"), "resolved": ("已解决", "resolved"),
          "closed": ("已结案", "closed")}


def times_asked(tracker, ask_action: str, since_slot: str = "complaint_description") -> int:
    """How often the bot asked this question since `since_slot` was last set (this complaint)."""
    count = 0
    for event in reversed(tracker.events or []):
        if event.get("event") == "slot" and event.get("name") == since_slot:
            break
        if event.get("event") == "action" and event.get("name") == ask_action:
            count += 1
    return count


def say(key: str, lang: str, **values) -> str:
    return text.pick(SAY[key], lang).format(**values)


def now() -> datetime:
    return clock.now()


def local(instant: datetime, store: Store, lang: str) -> str:
    return text.when(instant.astimezone(ZoneInfo(store.timezone)), store, lang)


def store_for(session, customer: Optional[Customer], lang: str) -> Store:
    return stores_likely(stores.all_stores(session), customer, lang)


class ValidateComplaintForm(ValidateChangeForm):
    form = "complaint_form"

    def before_identity(self, turn: ChangeTurn, requested: Optional[str]) -> bool:
        """The first sentence of a complaint is its description, whoever is writing."""
        message = ((turn.tracker.latest_message or {}).get("text") or "").strip()
        if requested is None and intent(turn.tracker) == "file_complaint" and complaints.says_what_happened(message):
            turn.slots["complaint_description"] = message
            turn.slots["complaint_guess"] = complaints.infer_category(message)
            return True
        return False

    def step(self, turn: ChangeTurn, requested: Optional[str]) -> bool:
        if intent(turn.tracker) == "request_human":
            return False  # not an answer: the rule "a person asked for during a complaint" files and escalates
        message = ((turn.tracker.latest_message or {}).get("text") or "").strip()
        slots = turn.slots
        if requested == "complaint_description" and message and not message.startswith("/"):
            slots["complaint_description"] = message
            slots["complaint_guess"] = complaints.infer_category(message)
            return True
        if requested == "complaint_category":
            chosen = entity(turn.tracker, "complaint_category")
            if chosen in CATEGORIES:
                slots["complaint_category"] = chosen
            elif intent(turn.tracker) == "affirm" and turn.get("complaint_guess"):
                slots["complaint_category"] = turn.get("complaint_guess")
            elif intent(turn.tracker) != "deny" and times_asked(turn.tracker, "action_ask_complaint_category") >= 2:
                self.file_misunderstood(turn)  # the second answer in a row the bot cannot place
            return True
        if requested == "complaint_order":
            slots["complaint_order"] = self.order(turn)
            return True
        if requested == "complaint_remedy":
            return self.remedy_answer(turn)
        if requested == "complaint_outcome" and message:
            slots["complaint_outcome"] = message
            self.file(turn)
            return True
        return False

    def remedy_answer(self, turn: ChangeTurn) -> bool:
        """Yes: recorded and resolved by the explanation. No: asked what they want, then escalated."""
        if intent(turn.tracker) == "affirm":
            turn.slots["complaint_remedy"] = "accepted"
            turn.slots["complaint_outcome"] = "-"
            self.file(turn, accepted=True)
            return True
        turn.slots["complaint_remedy"] = "rejected"
        return True

    def run(self, dispatcher, tracker, domain):
        events = super().run(dispatcher, tracker, domain)  # retried there; what it wrote is committed
        slots = {**tracker.slots, **{e["name"]: e["value"] for e in events if e.get("event") == "slot"}}
        try:
            events += self.questions_to_skip(tracker, slots)
        except OperationalError:  # the database went away: the form asks them instead
            pass
        return events

    @staticmethod
    def questions_to_skip(tracker, slots) -> list:
        """Questions with nothing to offer: no recent visit to pick, no explanation to give."""
        skip = []
        with transaction(sessions()) as session:
            customer = customers.customer_of(session, tracker.sender_id)
            if customer is not None and slots.get("complaint_order") is None and \
                    not complaints.recent_orders(session, customer.id, now(), days=365):
                skip.append(SlotSet("complaint_order", "none"))  # nothing to offer: not asked
                slots["complaint_order"] = "none"
            if slots.get("complaint_remedy") is None and slots.get("complaint_order") and slots.get("complaint_category"):
                if remedy_text(session, slots, language(tracker), customer) is None:
                    skip.append(SlotSet("complaint_remedy", "none"))  # nothing the bot can explain itself
        return skip

    @staticmethod
    def order(turn: ChangeTurn) -> str:
        given = entity(turn.tracker, "order_id")
        owned = {o.reference for o in complaints.recent_orders(turn.session, turn.customer.id, now(), days=365)}
        return given if given in owned else "none"

    def file_misunderstood(self, turn: ChangeTurn) -> None:
        """Files what the customer said and hands it to a supervisor rather than asking a third time."""
        turn.slots.update(complaint_category=turn.get("complaint_guess") or "other",
                          complaint_order=turn.get("complaint_order") or "none", complaint_remedy="none",
                          complaint_outcome=turn.get("complaint_outcome") or "-")
        self.file(turn, escalate_for="misunderstanding")

    def file(self, turn: ChangeTurn, accepted: bool = False, escalate_for: Optional[str] = None) -> None:
        lang, session = turn.lang, turn.session
        store = store_for(session, turn.customer, lang)
        order_ref = turn.get("complaint_order")
        order = session.query(RepairOrder).filter_by(reference=order_ref).first() if order_ref else None
        visit = session.query(Appointment).filter_by(reference=order_ref).first() if order_ref else None
        complaint = complaints.file(
            session, store=store, customer=turn.customer, description=turn.get("complaint_description"),
            category=turn.get("complaint_category") or "other", now=now(),
            channel=contact_log.channel_of(turn.tracker.sender_id), conversation_key=turn.tracker.sender_id,
            desired_outcome=turn.get("complaint_outcome"),
            repair_order_id=order.id if order else None, appointment_id=visit.id if visit else None,
        )
        # The acknowledgement reaches the customer only after this action's transaction has
        # committed (Rasa sends the messages when the action returns), so it is never premature.
        if accepted:
            complaints.resolve_by_bot(session, complaint,
                                      remedy_text(session, turn.tracker.slots, lang, turn.customer) or "", now())
            utter(turn.dispatcher, lang, say("resolved_ack", lang, reference=complaint.reference))
            turn.slots["complaint_reference"] = complaint.reference
            return
        if turn.get("complaint_remedy") == "rejected":
            escalate_for = "rejected_resolution"
        if escalate_for:
            complaints.escalate(session, complaint, escalate_for, now())
        message = say("ack", lang, reference=complaint.reference, first=local(complaint.first_response_due, store, lang),
                      resolve=local(complaint.resolution_due, store, lang))
        if complaint.status == "escalated":
            why = say("why_high", lang) if complaint.severity == "high" else (
                say("why_repeat", lang) if complaint.is_repeat else
                say("why_unclear", lang) if escalate_for == "misunderstanding" else say("why_rejected", lang))
            message += say("ack_escalated", lang, why=why)
        utter(turn.dispatcher, lang, message + say("next", lang))
        turn.slots["complaint_reference"] = complaint.reference


class AskComplaintDescription(AskChangeSlot):
    slot = "complaint_description"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        utter(dispatcher, lang, say("describe", lang))


class AskComplaintCategory(AskChangeSlot):
    slot = "complaint_category"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        guess = tracker.get_slot("complaint_guess")
        order = ([guess] if guess in CATEGORIES else []) + [c for c in CATEGORIES if c != guess]
        buttons = [{"title": text.pick(CATEGORIES[c], lang), "payload": payload("inform", complaint_category=c)}
                   for c in order]
        question = say("category", lang, guess=text.pick(CATEGORIES[guess], lang)) if guess in CATEGORIES \
            else say("category_open", lang)
        utter(dispatcher, lang, question, buttons)


class AskComplaintOrder(AskChangeSlot):
    slot = "complaint_order"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        recent = complaints.recent_orders(session, customer.id, now(), days=365) if customer else []
        buttons = [{"title": self.label(session, o, lang), "payload": payload("inform", order_id=o.reference)}
                   for o in recent]
        buttons.append({"title": say("no_order", lang), "payload": payload("inform", order_id="none")})
        utter(dispatcher, lang, say("order", lang), buttons)

    @staticmethod
    def label(session, order, lang: str) -> str:
        store = session.get(Store, order.store_id)
        when = order.opened_at if isinstance(order, RepairOrder) else order.starts_at
        return f"{order.reference} {text.day_name(when, store, lang)}"


def remedy_text(session, slots, lang: str, customer: Optional[Customer]) -> Optional[str]:
    """What the bot can offer itself, where the store's data allows: the itemised bill of the
    order a price complaint is about; the store's goodwill for a long wait."""
    category = slots.get("complaint_category")
    if category == "price":
        return complaints.invoice_explanation(session, slots.get("complaint_order"), text.english(lang))
    if category == "waiting_time":
        order = slots.get("complaint_order")
        found = session.query(RepairOrder).filter_by(reference=order).first() if order else None
        store = session.get(Store, found.store_id) if found else store_for(session, customer, lang)
        return complaints.goodwill_for_waiting(store, text.english(lang))
    return None


class AskComplaintRemedy(AskChangeSlot):
    slot = "complaint_remedy"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        explanation = remedy_text(session, tracker.slots, lang, customer)
        utter(dispatcher, lang, f"{explanation}\n\n{say('resolves', lang)}",
              [{"title": say("yes_resolved", lang), "payload": payload("affirm")},
               {"title": say("no_escalate", lang), "payload": payload("deny")}])


class AskComplaintOutcome(AskChangeSlot):
    slot = "complaint_outcome"

    def ask_customer(self, session, dispatcher, tracker, lang, customer):
        utter(dispatcher, lang, say("outcome", lang))


class ResetComplaint(Action):
    def name(self) -> Text:
        return "action_complaint_reset"

    def run(self, dispatcher, tracker, domain):
        return [SlotSet(slot, None) for slot in COMPLAINT_SLOTS + ("identity_plate", "identity_phone", "change_turn")]


class ComplaintStatus(CustomerAction):
    """check_complaint: status, last update, who handles it and the deadline, to its customer only."""

    def name(self) -> Text:
        return "action_complaint_status"

    def answer(self, session, dispatcher, tracker, lang, customer):
        complaint = complaints.own_complaint(session, customer.id, entity(tracker, "ticket_id")) if customer else None
        if complaint is None:
            utter(dispatcher, lang, say("none", lang))
            return []
        store = session.get(Store, complaint.store_id)
        who = complaints.handler_name(session, complaint, text.english(lang))
        utter(dispatcher, lang, say(
            "status", lang, reference=complaint.reference, category=text.pick(CATEGORIES[complaint.category], lang),
            status=text.pick(STATUS[complaint.status], lang), last=local(complaint.events[-1].at, store, lang),
            who=say("handled_by", lang, name=who) if who else "", due=local(complaint.resolution_due, store, lang),
        ))
        return [SlotSet(slot, None) for slot in ("identity_plate", "identity_phone", "change_turn")]


class ValidateComplaintStatusForm(ValidateChangeForm):
    form = "complaint_status_form"


class ComplaintToHuman(CustomerAction):
    """A person asked for during the complaint: what was said is filed and escalated at once."""

    def name(self) -> Text:
        return "action_complaint_to_human"

    def answer(self, session, dispatcher, tracker, lang, customer):
        if customer is not None:
            description = tracker.get_slot("complaint_description") or \
                ((tracker.latest_message or {}).get("text") or "").strip() or "-"
            store = store_for(session, customer, lang)
            complaint = complaints.file(
                session, store=store, customer=customer, description=description,
                category=tracker.get_slot("complaint_category") or tracker.get_slot("complaint_guess") or "other",
                now=now(), channel=contact_log.channel_of(tracker.sender_id), conversation_key=tracker.sender_id,
                desired_outcome=tracker.get_slot("complaint_outcome"),
            )
            complaints.escalate(session, complaint, "customer_request", now())
            utter(dispatcher, lang, say("ack", lang, reference=complaint.reference,
                                        first=local(complaint.first_response_due, store, lang),
                                        resolve=local(complaint.resolution_due, store, lang))
                  + say("ack_escalated", lang, why=say("why_asked", lang)))
        return [SlotSet(slot, None) for slot in COMPLAINT_SLOTS]
