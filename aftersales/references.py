"""Customer-facing references: AP-YYYYMMDD-NNNN, RO-YYYYMMDD-NNNN, CP-YYYY-NNNNN."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from aftersales.models import ReferenceCounter

PATTERNS = {
    "AP": re.compile(r"^AP-\d{8}-\d{4}$"),
    "RO": re.compile(r"^RO-\d{8}-\d{4}$"),
    "CP": re.compile(r"^CP-\d{4}-\d{5}$"),
}


def appointment_reference(session: Session, day: date) -> str:
    prefix = f"AP-{day:%Y%m%d}"
    return f"{prefix}-{next_number(session, prefix):04d}"


def repair_order_reference(session: Session, day: date) -> str:
    prefix = f"RO-{day:%Y%m%d}"
    return f"{prefix}-{next_number(session, prefix):04d}"


def complaint_reference(session: Session, year: int) -> str:
    prefix = f"CP-{year:04d}"
    return f"{prefix}-{next_number(session, prefix):05d}"


def next_number(session: Session, prefix: str) -> int:
    """Hands out 1, 2, 3 ... per prefix, safely under concurrent transactions.

    The UPDATE takes the row lock, so two transactions cannot get the same number; the first
    use of a prefix inserts the row, and a racing insert falls back to the UPDATE.
    """
    bumped = session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == prefix)
        .values(last_value=ReferenceCounter.last_value + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount == 0:
        try:
            with session.begin_nested():
                session.add(ReferenceCounter(prefix=prefix, last_value=1))
            return 1
        except IntegrityError:
            return next_number(session, prefix)
    return session.execute(
        select(ReferenceCounter.last_value).where(ReferenceCounter.prefix == prefix)
    ).scalar_one()


def kind_of(reference: str) -> str | None:
    """'AP', 'RO' or 'CP' for a well-formed reference, else None."""
    reference = reference.strip().upper()
    for kind, pattern in PATTERNS.items():
        if pattern.match(reference):
            return kind
    return None
