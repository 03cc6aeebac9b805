"""Every turn is recorded, and linked to the customer once their channel account is known."""
from __future__ import annotations

from aftersales import contact_log
from aftersales.db import transaction
from aftersales.models import ChannelAccount, Customer


def test_turns_of_an_identified_account_are_filed_with_the_customer(sessions):
    with transaction(sessions) as session:
        customer = Customer(name="陈女士", phone="13900001111")
        session.add(customer)
        session.flush()
        session.add(ChannelAccount(channel="telegram", external_id="4242", customer_id=customer.id))
        customer_id = customer.id
    with transaction(sessions) as session:
        contact_log.record(session, "tg:4242", "telegram", "in", "customer", "我的车好了吗")
        contact_log.record(session, "web:anon", "web", "in", "customer", "hello")
    with sessions() as session:
        known = contact_log.history(session, "tg:4242")
        anonymous = contact_log.history(session, "web:anon")
    assert [(e.text, e.customer_id) for e in known] == [("我的车好了吗", customer_id)]
    assert [(e.text, e.customer_id) for e in anonymous] == [("hello", None)]


def test_a_huge_message_is_kept_but_bounded(sessions):
    with transaction(sessions) as session:
        contact_log.record(session, "web:big", "web", "in", "customer", "长" * 50_000)
    with sessions() as session:
        (entry,) = contact_log.history(session, "web:big")
    assert len(entry.text) == contact_log.MAX_TEXT


def test_conversation_keys_name_their_channel():
    assert contact_log.conversation_key("telegram", "12345") == "tg:12345"
    assert contact_log.conversation_key("web", "abc") == "web:abc"
