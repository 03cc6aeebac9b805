"""Pure text helpers for the NLU pipeline: script normalisation and language detection.

No Rasa imports here, so the rules are unit-tested on their own and reused by the front door.
"""
from __future__ import annotations

import re
from functools import lru_cache

import opencc

# Chinese characters: the unified ideographs, extension A and the compatibility block.
CHINESE_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{CHINESE_RANGES}]")
_SPACE = re.compile(r"\s")
_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])")
# Replies a Chinese customer types in Latin letters as often as an English one does.
_NEUTRAL_WORDS = {"ok", "okay", "k", "yes", "no", "y", "n", "ya", "hmm", "lol", "ps"}


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def fullwidth_to_halfwidth(text: str) -> str:
    """Ｒ１２３ -> R123 and the ideographic space to a plain one; one character for one."""
    out = []
    for char in text:
        code = ord(char)
        if code == 0x3000:
            code = 0x20
        elif 0xFF01 <= code <= 0xFF5E:
            code -= 0xFEE0
        out.append(chr(code))
    return "".join(out)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def to_simplified(text: str) -> str:
    # A lone surrogate (a broken client's half emoji) cannot be UTF-8 encoded for OpenCC; it
    # becomes U+FFFD, one character for one, so offsets stay valid.
    converted = _to_simplified().convert(_SURROGATE.sub("\ufffd", text))
    # OpenCC converts character for character in t2s; keep the original if a phrase rule
    # ever changed the length, so entity offsets stay valid.
    return converted if len(converted) == len(text) else text


def normalize(text: str) -> tuple[str, list[int]]:
    """Simplified script, half-width letters and digits, whitespace collapsed and trimmed.

    Returns the text and, for each of its characters, the index it came from in the input,
    so that entity offsets annotated on the input can be carried over.
    """
    text = to_simplified(fullwidth_to_halfwidth(text))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if _SPACE.match(char) or not char.isprintable():
            if not chars or chars[-1] == " ":
                continue
            char = " "
        chars.append(char)
        origin.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars), origin


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t.json")


def detect_language(text: str) -> str | None:
    """zh-Hant, zh-Hans or en from the script a message is written in; None when it can't tell.

    "zh" means Chinese whose characters are the same in both scripts (你好, 明天): it keeps a
    Traditional customer Traditional. Digits, emoji, plates and words like "ok" say nothing
    about the customer's language, so they leave the current language alone.
    """
    if _CJK.search(text):
        if _to_simplified().convert(text) != text:
            return "zh-Hant"
        if _to_traditional().convert(text) != text:
            return "zh-Hans"
        return "zh"
    if any(_says_english(word) for word in _WORD.findall(text)):
        return "en"
    return None


def _says_english(word: str) -> bool:
    # Short capitals are codes (RO, AP, VIN, a plate's letters), not language.
    if word.isupper() and len(word) <= 3:
        return False
    return word.lower() not in _NEUTRAL_WORDS


_REQUESTS = (
    ("zh-Hant", re.compile(r"繁体|正体|traditional\s+chinese", re.I)),
    ("en", re.compile(
        r"(说|讲|用|换成|换|切换到|切换成|改用|改成)\s*(英文|英语)|(英文|英语)\s*(回复|回答|交流|沟通|聊)"
        r"|\b(in|speak|use|switch\s+to|reply\s+in|talk\s+in|answer\s+in)\s+english\b"
        r"|^\s*english(\s+please)?\s*[.!]?\s*$",
        re.I,
    )),
    ("zh-Hans", re.compile(
        r"(说|讲|用|换成|换|切换到|切换成|改用|改成)\s*(中文|汉语|普通话|简体)|简体中文|(中文|汉语)\s*(回复|回答|交流|沟通|聊)"
        r"|\b(in|speak|use|switch\s+to|reply\s+in|talk\s+in|answer\s+in)\s+(chinese|mandarin)\b"
        r"|^\s*(中文|chinese)(\s+please)?\s*[.!]?\s*$",
        re.I,
    )),
)


def requested_language(text: str) -> str | None:
    """The language a customer explicitly asks for ("请用英文", "in Chinese please"), if any."""
    text = to_simplified(text)
    for language, pattern in _REQUESTS:
        if pattern.search(text):
            return language
    return None
