"""Staff logged in to the web console, and every login attempt (for the lockout and the audit)."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String
from sqlalchemy.orm import relationship

from aftersales.models.base import Base, UTCDateTime, one_of, pk

LOGIN_OUTCOMES = ("ok", "failed", "locked")


class StaffSession(Base):
    """A console login. Only a hash of the cookie's token is kept, so a copy of the database
    does not let anyone in; the CSRF token is sent back on every state-changing request."""

    __tablename__ = "staff_sessions"
    id = pk()
    token_hash = Column(String(64), nullable=False, unique=True)
    csrf_token = Column(String(64), nullable=False)
    staff_id = Column(ForeignKey("staff.id", ondelete="CASCADE"), nullable=False, index=True)
    ip = Column(String(45))
    created_at = Column(UTCDateTime, nullable=False)
    last_seen_at = Column(UTCDateTime, nullable=False)
    ended_at = Column(UTCDateTime)

    staff = relationship("Staff")


class LoginAttempt(Base):
    """One try at the console's login (never the password): counted per username and per IP."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        CheckConstraint(one_of("outcome", LOGIN_OUTCOMES), name="outcome"),
        Index("ix_login_attempts_username_at", "username", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )
    id = pk()
    username = Column(String(60), nullable=False)
    ip = Column(String(45), nullable=False)
    outcome = Column(String(10), nullable=False)
    at = Column(UTCDateTime, nullable=False)
