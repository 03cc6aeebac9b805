"""A Telegram contact the customer shares about themselves links their chat, by the phone on record."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from aftersales import customers
from aftersales.db import transaction
from aftersales.models import Customer
from tests.aftersales.small_dealer import NOW, make_customer


@pytest.mark.parametrize("shared, stored", [
    ("+8613812345678", "13812345678"),
    ("8613812345678", "13812345678"),
    ("13812345678", "13812345678"),
    ("+86 20 8888 6666", "02088886666"),
    ("+1 (408) 555-0101", "14085550101"),
    ("14085550101", "14085550101"),
])
def test_a_shared_number_is_read_the_way_the_customers_table_keeps_phones(shared, stored):
    assert customers.stored_phone(shared) == stored


def test_the_customer_with_that_phone_is_linked_and_attempts_are_cleared(sessions):
    with transaction(sessions) as session:
        vehicle = make_customer(session, "粤A1P6X3", "13828791560")
        customers.account(session, "tg:42").failed_identity_attempts = 3
        identity = customers.link_by_phone(session, "tg:42", "+86 138 2879 1560", NOW)
        assert identity.customer.id == vehicle.owner.id
    with transaction(sessions) as session:
        assert customers.customer_of(session, "tg:42").vehicles[0].plate == "粤A1P6X3"
        assert customers.account(session, "tg:42").failed_identity_attempts == 0


def test_an_unknown_number_links_nobody_registers_nobody_and_is_not_a_wrong_guess(sessions):
    with transaction(sessions) as session:
        make_customer(session, "粤A1P6X3", "13828791560")
        identity = customers.link_by_phone(session, "tg:42", "+8613900000000", NOW)
        assert identity == customers.Identity(None, "unknown_phone")
        assert customers.customer_of(session, "tg:42") is None
        assert customers.account(session, "tg:42").failed_identity_attempts == 0
        assert session.execute(select(func.count()).select_from(Customer)).scalar() == 1


def test_a_chat_locked_by_wrong_guesses_stays_locked_even_with_the_right_contact(sessions):
    with transaction(sessions) as session:
        make_customer(session, "粤A1P6X3", "13828791560")
        for _ in range(customers.MAX_ATTEMPTS):
            customers.link(session, "tg:42", "粤A1P6X3", "0000", NOW)
        assert customers.link_by_phone(session, "tg:42", "8613828791560", NOW).problem == "locked"
        assert customers.customer_of(session, "tg:42") is None
        later = NOW + customers.LOCK + timedelta(seconds=1)
        assert customers.link_by_phone(session, "tg:42", "8613828791560", later).customer is not None
