"""Identity before anything personal: a chat is linked to a customer by a plate and the phone on
record (all of it or its last 4 digits), remembered for that chat only; five wrong answers lock
the chat for 15 minutes, whatever is typed meanwhile."""
from __future__ import annotations

from datetime import timedelta

import pytest

from aftersales import customers
from aftersales.db import transaction
from tests.aftersales.small_dealer import NOW, make_customer

PLATE, PHONE = "粤A1P6X3", "13828791560"


@pytest.fixture
def owner(sessions):
    with transaction(sessions) as session:
        return make_customer(session, PLATE, PHONE).owner.id


@pytest.mark.parametrize("given", [PHONE, "1560"])
def test_the_plate_and_the_phone_on_record_or_its_last_four_digits_link_the_chat(sessions, owner, given):
    with transaction(sessions) as session:
        assert customers.link(session, "web:a", PLATE, given, NOW).customer.id == owner
    with transaction(sessions) as session:
        assert customers.customer_of(session, "web:a").id == owner  # remembered for this chat
        assert customers.customer_of(session, "web:b") is None  # and for no other


@pytest.mark.parametrize("given", ["1561", "560", "13828791561", "2879"])
def test_anything_else_is_a_wrong_answer_that_links_nothing(sessions, owner, given):
    with transaction(sessions) as session:
        assert customers.link(session, "web:a", PLATE, given, NOW) == customers.Identity(None, "mismatch")
        assert customers.customer_of(session, "web:a") is None
        assert customers.account(session, "web:a").failed_identity_attempts == 1


def test_five_wrong_answers_lock_the_chat_for_15_minutes_even_against_the_right_one(sessions, owner):
    with transaction(sessions) as session:
        problems = [customers.link(session, "web:a", PLATE, f"000{n}", NOW).problem for n in range(5)]
        assert problems == ["mismatch"] * 4 + ["locked"]
        assert customers.link(session, "web:a", PLATE, PHONE, NOW + timedelta(minutes=14)).problem == "locked"
        assert customers.customer_of(session, "web:a") is None
        assert customers.link(session, "web:other", PLATE, PHONE, NOW).customer.id == owner  # only that chat
    with transaction(sessions) as session:
        identity = customers.link(session, "web:a", PLATE, "1560", NOW + timedelta(minutes=15, seconds=1))
        assert identity.customer.id == owner
        assert customers.account(session, "web:a").failed_identity_attempts == 0


def test_a_right_answer_clears_the_count_of_wrong_ones(sessions, owner):
    with transaction(sessions) as session:
        for n in range(4):
            customers.link(session, "web:a", PLATE, f"000{n}", NOW)
        customers.link(session, "web:a", PLATE, "1560", NOW)
        assert customers.account(session, "web:a").failed_identity_attempts == 0


def test_a_plate_not_on_file_needs_a_whole_phone_and_registers_a_new_customer(sessions, owner):
    with transaction(sessions) as session:
        assert customers.link(session, "web:n", "粤B99999", "1560", NOW).problem == "need_full_phone"
        identity = customers.link(session, "web:n", "粤B99999", "13900001111", NOW)
        assert identity.customer.id != owner and identity.customer.phone == "13900001111"
        assert [v.plate for v in customers.customer_of(session, "web:n").vehicles] == ["粤B99999"]
