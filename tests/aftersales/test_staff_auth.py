"""Console logins: hashed passwords, sessions that expire, the lockout, and who may log in."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from aftersales import staff_auth
from aftersales.db import transaction
from aftersales.models import LoginAttempt, Staff, StaffSession
from tests.aftersales.small_dealer import NOW, make_store

PASSWORD = "correct horse 42"


@pytest.fixture
def staff(sessions):
    """A supervisor, a workshop technician and an advisor (advisors have no console)."""
    with transaction(sessions) as session:
        store = make_store(session)
        for username, role in (("wang", "supervisor"), ("liu", "workshop"), ("li", "advisor")):
            member = Staff(username=username, display_name=username, role=role, store_id=store.id)
            staff_auth.set_password(member, PASSWORD)
            session.add(member)
    return sessions


def login(sessions, username, password, at=NOW, ip="10.0.0.1"):
    with transaction(sessions) as session:
        return staff_auth.login(session, username, password, ip, at)


def authenticate(sessions, token, at):
    with transaction(sessions) as session:
        found = staff_auth.authenticate(session, token, at)
        return found.staff.username if found else None


def test_a_password_is_stored_salted_and_never_in_clear():
    first, second = staff_auth.hash_password(PASSWORD), staff_auth.hash_password(PASSWORD)
    assert first != second and PASSWORD not in first and first.startswith("scrypt$")
    assert staff_auth.verify_password(PASSWORD, first)
    assert not staff_auth.verify_password(PASSWORD + "!", first)
    assert not staff_auth.verify_password(PASSWORD, None)
    assert not staff_auth.verify_password(PASSWORD, "scrypt$garbage")


def test_a_short_password_is_refused():
    with pytest.raises(ValueError):
        staff_auth.set_password(Staff(username="x", display_name="x", role="supervisor"), "short")


def test_a_supervisor_logs_in_and_the_token_opens_the_session_but_only_its_hash_is_stored(staff):
    result = login(staff, "wang", PASSWORD)
    assert result.ok and result.token
    assert authenticate(staff, result.token, NOW + timedelta(minutes=1)) == "wang"
    assert authenticate(staff, result.token[:-1] + "x", NOW) is None
    with staff() as session:
        stored = session.execute(select(StaffSession)).scalar_one()
        assert result.token not in (stored.token_hash, stored.csrf_token)
        assert staff_auth.csrf_ok(stored, stored.csrf_token) and not staff_auth.csrf_ok(stored, "forged")
        assert not staff_auth.csrf_ok(stored, None)


def test_workshop_staff_log_in_and_advisors_do_not(staff):
    assert login(staff, "liu", PASSWORD).ok
    refused = login(staff, "li", PASSWORD)
    assert not refused.ok and refused.reason == "invalid"


def test_a_wrong_password_or_unknown_user_is_refused_and_logged_without_the_password(staff, caplog):
    with caplog.at_level(logging.WARNING, logger="aftersales.staff_auth"):
        assert login(staff, "wang", "wrong-guess-77").reason == "invalid"
        assert login(staff, "nobody", "another-guess-88").reason == "invalid"
    assert "login failed" in caplog.text and "wang" in caplog.text
    assert "wrong-guess-77" not in caplog.text and "another-guess-88" not in caplog.text


def test_a_session_ends_after_30_idle_minutes(staff):
    token = login(staff, "wang", PASSWORD).token
    assert authenticate(staff, token, NOW + timedelta(minutes=29)) == "wang"
    assert authenticate(staff, token, NOW + timedelta(minutes=58)) == "wang"  # kept alive at 29
    assert authenticate(staff, token, NOW + timedelta(minutes=89)) is None
    assert authenticate(staff, token, NOW + timedelta(minutes=90)) is None  # ended for good


def test_a_busy_session_still_ends_after_12_hours(staff):
    token = login(staff, "wang", PASSWORD).token
    at = NOW
    while at < NOW + timedelta(hours=11, minutes=50):
        at += timedelta(minutes=20)
        assert authenticate(staff, token, at) == "wang"
    assert authenticate(staff, token, NOW + timedelta(hours=12, minutes=5)) is None


def test_the_session_lengths_come_from_the_environment(staff, monkeypatch):
    monkeypatch.setenv("CONSOLE_IDLE_MINUTES", "5")
    token = login(staff, "wang", PASSWORD).token
    assert authenticate(staff, token, NOW + timedelta(minutes=6)) is None


def test_logout_ends_the_session(staff):
    token = login(staff, "wang", PASSWORD).token
    with transaction(staff) as session:
        staff_auth.logout(session, token, NOW + timedelta(minutes=1))
    assert authenticate(staff, token, NOW + timedelta(minutes=2)) is None


def test_a_deactivated_member_loses_the_session(staff):
    token = login(staff, "wang", PASSWORD).token
    with transaction(staff) as session:
        session.execute(select(Staff).where(Staff.username == "wang")).scalar_one().active = False
    assert authenticate(staff, token, NOW + timedelta(minutes=1)) is None


def test_five_failures_lock_the_username_for_15_minutes_even_with_the_right_password(staff):
    for n in range(5):
        assert login(staff, "wang", f"guess-{n}-xyz", NOW + timedelta(minutes=n)).reason == "invalid"
    locked = login(staff, "wang", PASSWORD, NOW + timedelta(minutes=5))
    assert locked.reason == "locked" and locked.locked_until == NOW + timedelta(minutes=19)
    # Attempts refused while locked do not extend the lock.
    assert login(staff, "wang", PASSWORD, NOW + timedelta(minutes=18)).reason == "locked"
    assert login(staff, "wang", PASSWORD, NOW + timedelta(minutes=19, seconds=1)).ok
    assert login(staff, "liu", PASSWORD, NOW + timedelta(minutes=6)).ok  # other usernames unaffected
    with staff() as session:
        outcomes = [a.outcome for a in session.execute(
            select(LoginAttempt).where(LoginAttempt.username == "wang").order_by(LoginAttempt.id)).scalars()]
    assert outcomes == ["failed"] * 5 + ["locked", "locked", "ok"]


def test_failures_spread_over_more_than_the_window_do_not_lock(staff):
    for n in range(6):
        assert login(staff, "wang", "nope-nope-nope", NOW + timedelta(minutes=4 * n)).reason == "invalid"
    assert login(staff, "wang", PASSWORD, NOW + timedelta(minutes=25)).ok


def test_a_successful_login_clears_the_username_count(staff):
    for n in range(4):
        login(staff, "wang", "nope-nope-nope", NOW + timedelta(seconds=n))
    assert login(staff, "wang", PASSWORD, NOW + timedelta(seconds=10)).ok
    for n in range(4):
        login(staff, "wang", "nope-nope-nope", NOW + timedelta(seconds=20 + n))
    assert login(staff, "wang", PASSWORD, NOW + timedelta(seconds=30)).ok


def test_twenty_failures_from_one_address_lock_that_address_for_every_username(staff):
    for n in range(20):
        login(staff, f"guess{n}", "nope-nope-nope", NOW + timedelta(seconds=n), ip="203.0.113.9")
    assert login(staff, "wang", PASSWORD, NOW + timedelta(minutes=1), ip="203.0.113.9").reason == "locked"
    assert login(staff, "wang", PASSWORD, NOW + timedelta(minutes=1), ip="10.0.0.2").ok
