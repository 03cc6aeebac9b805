"""Staff logging in to the console: password hashes, sessions that expire, and the lockout.

Passwords are hashed with scrypt (standard library) and a salt of their own, compared in
constant time; a wrong username costs as much time as a wrong password, so timing does not
tell which usernames exist. The session cookie carries a random token of which only a SHA-256
is stored. Five failed logins for a username (twenty from one address) within 15 minutes lock
it for 15 minutes; attempts are recorded without the password.

`python -m aftersales.staff_auth set-password USERNAME` sets a password (asked twice, or read
from CONSOLE_NEW_PASSWORD for scripts).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from aftersales import settings
from aftersales.models import LoginAttempt, Staff, StaffSession
from aftersales.privacy import mask_phones_in

log = logging.getLogger(__name__)

CONSOLE_ROLES = ("supervisor", "admin", "workshop")
COMPLAINT_ROLES = ("supervisor", "admin")
WORKSHOP_ROLES = ("workshop", "supervisor", "admin")
MIN_PASSWORD = 8
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most once a minute


# --------------------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    """'scrypt$n$r$p$salt$hash', salt and hash in base64."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    return "$".join(["scrypt", str(SCRYPT["n"]), str(SCRYPT["r"]), str(SCRYPT["p"]),
                     _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str | None) -> bool:
    """True when the password matches; a missing or malformed hash never matches."""
    try:
        scheme, n, r, p, salt, expected = (stored or "").split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode(), salt=_unb64(salt), dklen=32, n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(digest, _unb64(expected))


def set_password(staff: Staff, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a console password needs at least {MIN_PASSWORD} characters")
    staff.password_hash = hash_password(password)


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return hash_password(secrets.token_hex(16))


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


# --------------------------------------------------------------------------- login and lockout


@dataclass(frozen=True)
class LoginResult:
    """ok with a session and its cookie token, or refused: 'invalid' or 'locked' (until when)."""

    ok: bool
    reason: str | None = None
    token: str | None = None
    staff_session: StaffSession | None = None
    locked_until: datetime | None = None


def login(session: Session, username: str, password: str, ip: str, now: datetime) -> LoginResult:
    """Checks the lockout, then the password; every attempt is recorded (commit it even when
    refused: the refusal is what the lockout counts)."""
    username, ip = (username or "").strip()[:60], (ip or "unknown")[:45]
    until = locked_until(session, username, ip, now)
    if until is not None:
        _record(session, username, ip, "locked", now)
        log.warning("console login refused (locked until %s) for %r from %s", until.isoformat(timespec="seconds"),
                    mask_phones_in(username), ip)
        return LoginResult(False, "locked", locked_until=until)
    staff = session.execute(
        select(Staff).where(Staff.username == username, Staff.active, Staff.role.in_(CONSOLE_ROLES),
                            Staff.password_hash.is_not(None))
    ).scalar()
    matches = verify_password(password or "", staff.password_hash if staff else _decoy_hash())
    if staff is None or not matches:
        _record(session, username, ip, "failed", now)
        log.warning("console login failed for %r from %s", mask_phones_in(username), ip)
        return LoginResult(False, "invalid", locked_until=locked_until(session, username, ip, now))
    _record(session, username, ip, "ok", now)
    token, staff_session = open_session(session, staff, ip, now)
    log.info("console login: %s from %s", staff.username, ip)
    return LoginResult(True, token=token, staff_session=staff_session)


def locked_until(session: Session, username: str, ip: str, now: datetime) -> datetime | None:
    """When the username's or the address's lock ends, or None if neither is locked."""
    ends = [
        _lock_end(session, LoginAttempt.username == username, settings.console_login_max_failures(),
                  _last_success(session, username), now),
        _lock_end(session, LoginAttempt.ip == ip, settings.console_login_max_failures_per_ip(), None, now),
    ]
    ends = [end for end in ends if end is not None]
    return max(ends) if ends else None


def _lock_end(session: Session, who, limit: int, since: datetime | None, now: datetime) -> datetime | None:
    """Locked for the lock time after the limit-th failure, when those failures came within one
    lock time. Attempts refused while locked are not failures, so a lock does not feed itself."""
    window = timedelta(minutes=settings.console_login_lock_minutes())
    query = select(LoginAttempt.at).where(who, LoginAttempt.outcome == "failed", LoginAttempt.at > now - 2 * window)
    if since is not None:
        query = query.where(LoginAttempt.at > since)
    recent = list(session.execute(query.order_by(LoginAttempt.at.desc()).limit(limit)).scalars())
    if len(recent) < limit or recent[0] - recent[-1] > window:
        return None
    end = recent[0] + window
    return end if end > now else None


def _last_success(session: Session, username: str) -> datetime | None:
    return session.execute(
        select(LoginAttempt.at).where(LoginAttempt.username == username, LoginAttempt.outcome == "ok")
        .order_by(LoginAttempt.at.desc()).limit(1)
    ).scalar()


def _record(session: Session, username: str, ip: str, outcome: str, now: datetime) -> None:
    session.add(LoginAttempt(username=username, ip=ip, outcome=outcome, at=now))
    session.flush()


# --------------------------------------------------------------------------- sessions


def open_session(session: Session, staff: Staff, ip: str | None, now: datetime) -> tuple[str, StaffSession]:
    token = secrets.token_urlsafe(32)
    staff_session = StaffSession(token_hash=_token_hash(token), csrf_token=secrets.token_urlsafe(32),
                                 staff=staff, ip=ip, created_at=now, last_seen_at=now)
    session.add(staff_session)
    session.flush()
    return token, staff_session


def authenticate(session: Session, token: str | None, now: datetime) -> StaffSession | None:
    """The live session behind a cookie token; an idle or too old one is ended and refused."""
    if not token:
        return None
    found = session.execute(
        select(StaffSession).where(StaffSession.token_hash == _token_hash(token), StaffSession.ended_at.is_(None))
    ).scalar()
    if found is None or not found.staff.active or found.staff.role not in CONSOLE_ROLES:
        return None
    if expired(found, now):
        found.ended_at = now
        return None
    if now - found.last_seen_at >= TOUCH_EVERY:
        found.last_seen_at = now
    return found


def expired(staff_session: StaffSession, now: datetime) -> bool:
    idle = timedelta(minutes=settings.console_idle_minutes())
    absolute = timedelta(hours=settings.console_session_hours())
    return now - staff_session.last_seen_at > idle or now - staff_session.created_at > absolute


def logout(session: Session, token: str | None, now: datetime) -> None:
    found = authenticate(session, token, now)
    if found is not None:
        found.ended_at = now


def csrf_ok(staff_session: StaffSession, presented: str | None) -> bool:
    return bool(presented) and hmac.compare_digest(staff_session.csrf_token.encode(), presented.encode())


def may_handle_complaints(staff: Staff) -> bool:
    return staff.role in COMPLAINT_ROLES


def may_use_workshop(staff: Staff) -> bool:
    return staff.role in WORKSHOP_ROLES


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    import argparse
    import getpass
    import os

    from aftersales.db import make_engine, make_sessionmaker, transaction

    parser = argparse.ArgumentParser(prog="python -m aftersales.staff_auth")
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("set-password", help="set a staff member's console password")
    command.add_argument("username")
    args = parser.parse_args(argv)
    password = os.environ.get("CONSOLE_NEW_PASSWORD") or getpass.getpass("new password: ")
    if not os.environ.get("CONSOLE_NEW_PASSWORD") and getpass.getpass("again: ") != password:
        print("the two passwords differ; nothing changed")
        return 1
    engine = make_engine()
    try:
        with transaction(make_sessionmaker(engine)) as session:
            staff = session.execute(select(Staff).where(Staff.username == args.username)).scalar()
            if staff is None:
                print(f"no staff member {args.username!r}")
                return 1
            set_password(staff, password)
    except ValueError as error:
        print(error)
        return 1
    finally:
        engine.dispose()
    print(f"password set for {args.username}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
