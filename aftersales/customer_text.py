"""What a customer's message may hold before it is logged, parsed or shown to staff.

Anything a phone or a browser can send reaches the bot: control characters (PostgreSQL refuses
NUL in text), lone UTF-16 surrogates from a broken client (UTF-8 cannot encode them), bidi
overrides that make a supervisor card read backwards (a reference can be spoofed with U+202E), and
runaway lengths. One function makes it plain text every channel treats alike; right-to-left
letters, emoji (with their joiners) and line breaks are kept.
"""
from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 4_000  # the web widget's and /api/chat's limit; Telegram's own is 4,096
# C0 and C1 controls except tab and newline; bidi embeddings, overrides and isolates.
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")

EMPTY_HINT = "请输入您的问题，例如：预约保养、查询维修进度、投诉。 Please type your question, e.g. book a service, repair status, a complaint."


def clean(text: str, limit: int = MAX_CHARS) -> str:
    """The message as the bot keeps it: controls and lone surrogates removed, \\r\\n as \\n, NFC,
    trimmed, at most `limit` characters."""
    text = _SURROGATE.sub("\ufffd", str(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _UNWANTED.sub("", text))
    return text.strip()[:limit].strip()
