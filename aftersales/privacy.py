"""Personal data kept out of logs and cards: phone numbers are masked wherever they appear."""
from __future__ import annotations

import re

_PHONE = re.compile(r"(?<![A-Za-z0-9-])(\+?\d[\d -]{8,16}\d)(?![A-Za-z0-9-])")


def mask_phone(phone: str) -> str:
    """13812345678 -> 138****5678; keeps just enough for a person to recognise it."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_phones_in(text: str) -> str:
    """Masks every phone-like run of digits in free text (for log lines)."""
    return _PHONE.sub(lambda m: mask_phone(m.group(1)) if _looks_like_phone(m.group(1)) else m.group(1), text)


_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b")  # 2026-11-23 (18:30): a date, not a phone


def _looks_like_phone(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate)
    return 10 <= len(digits) <= 15 and not _DATE.match(candidate)
