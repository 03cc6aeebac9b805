"""The contact log's retention, applied once a day by the front door (CONTACT_LOG_RETENTION_DAYS).

Unset or 0 keeps every turn (the trade's rule is that every contact is recorded); a dealer
whose privacy notice promises a period sets it, and `python -m aftersales.data_rights
purge-contact-log` does the same by hand.
"""
from __future__ import annotations

import asyncio
import logging

from sqlalchemy.orm import sessionmaker

from aftersales import data_rights
from aftersales.db import transaction

log = logging.getLogger(__name__)

DAY_S = 24 * 3600


def purge_once(sessions: sessionmaker) -> int:
    days = data_rights.contact_log_retention_days()
    if not days:
        return 0
    with transaction(sessions) as session:
        deleted = data_rights.purge_contact_log(session, days)
    if deleted:
        log.info("contact log: %d turns older than %d days deleted", deleted, days)
    return deleted


async def run_forever(sessions: sessionmaker, every_s: float = DAY_S) -> None:
    while True:
        try:
            await asyncio.to_thread(purge_once, sessions)
        except Exception:
            log.exception("contact-log retention failed; it tries again tomorrow")
        await asyncio.sleep(every_s)
