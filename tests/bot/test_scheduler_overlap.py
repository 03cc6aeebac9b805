"""A scheduler restarted while the old one is still finishing (or two front doors): both read the
same due reminder, follow-up or status push, and exactly one claims it and sends it. The claim is
one conditional UPDATE; the second transaction waits for the first and then finds nothing to take,
on SQLite and PostgreSQL."""
from __future__ import annotations

import threading

import pytest

from aftersales import reminders, status_push
from aftersales.db import transaction
from bot import care_scheduler
from tests.aftersales.small_dealer import NOW
from tests.bot.test_care_scheduler import _dealer
from tests.bot.test_reminder_sender import book_with_reminder
from tests.reliability import tally

pytestmark = pytest.mark.reliability


def _two_rounds_at_once(sessions, claim) -> list[bool]:
    """Round A claims in an open transaction; round B tries meanwhile; then A commits."""
    results: list[bool] = []
    with transaction(sessions) as first:
        results.append(claim(first))
        second = threading.Thread(target=lambda: results.append(_in_own_transaction(sessions, claim)))
        second.start()
        second.join(0.5)  # B is waiting for A's lock (or, on SQLite, for its turn to write)
    second.join(30)
    return results


def _in_own_transaction(sessions, claim) -> bool:
    with transaction(sessions) as session:
        return claim(session)


def test_a_reminder_is_claimed_by_one_round_only(sessions):
    appointment_id = book_with_reminder(sessions, "web:abc", "粤B11111", "13811111111", 10)
    with transaction(sessions) as session:
        assert [r.appointment_id for r in reminders.due(session, NOW)] == [appointment_id]
    results = _two_rounds_at_once(sessions, lambda s: reminders.claim(s, appointment_id, NOW))
    tally("scheduler overlap: reminder", faults=1, lost=int(sum(results) == 0))
    assert sorted(results) == [False, True]


def test_a_followup_is_claimed_by_one_round_only(sessions):
    _dealer(sessions, "delivered")
    with transaction(sessions) as session:
        (order_id, _reference, _key), = care_scheduler._due_followups(session, NOW.replace(day=23, hour=15))
    results = _two_rounds_at_once(sessions, lambda s: care_scheduler._claim(s, order_id, NOW))
    tally("scheduler overlap: follow-up", faults=1, lost=int(sum(results) == 0))
    assert sorted(results) == [False, True]


def test_a_status_push_is_claimed_by_one_round_only(sessions):
    _dealer(sessions, "quality_check")
    with transaction(sessions) as session:
        (push,) = status_push.due(session, NOW)
    results = _two_rounds_at_once(sessions, lambda s: status_push.claim(s, push, NOW))
    tally("scheduler overlap: status push", faults=1, lost=int(sum(results) == 0))
    assert sorted(results) == [False, True]
