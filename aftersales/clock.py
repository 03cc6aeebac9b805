"""The product's clock: real UTC time, unless DEALER_CLOCK_FILE names a file holding an offset
in seconds. Demos and end-to-end tests move every process's time forward by writing that file
(a follow-up due in 3 days, an SLA deadline passing) without waiting or touching the data.
Production leaves DEALER_CLOCK_FILE unset."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path


def offset() -> timedelta:
    name = os.environ.get("DEALER_CLOCK_FILE")
    if not name:
        return timedelta(0)
    try:
        return timedelta(seconds=float(Path(name).read_text().strip() or 0))
    except (OSError, ValueError):
        return timedelta(0)


def now() -> datetime:
    return datetime.now(timezone.utc) + offset()
