"""Which language to answer in, from what the customer writes and asks for."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import opencc

DEFAULT_LANGUAGE = "zh-Hans"
CHINESE = ("zh-Hans", "zh-Hant")


@dataclass(frozen=True)
class LanguageChoice:
    language: str
    locked: bool  # True once the customer asked for a language: their wish beats detection


def next_language(
    current: str | None, locked: bool, detected: str | None, requested: str | None
) -> LanguageChoice:
    """The language for this turn's answers.

    detected is the script of the message (zh-Hans, zh-Hant, en, "zh" for characters common
    to both Chinese scripts, None when it says nothing, e.g. a plate or "ok").
    """
    if requested:
        return LanguageChoice(requested, True)
    if locked and current:
        return LanguageChoice(current, True)
    if detected == "zh":
        return LanguageChoice(current if current in CHINESE else DEFAULT_LANGUAGE, False)
    return LanguageChoice(detected or current or DEFAULT_LANGUAGE, False)


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    # Hong Kong usage: the Guangzhou store's Traditional-Chinese customers are its neighbours.
    return opencc.OpenCC("s2hk.json")


def in_script(text: str, language: str | None) -> str:
    """Chinese text written once in Simplified, shown in Traditional to zh-Hant customers."""
    return _to_traditional().convert(text) if language == "zh-Hant" else text


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    return _to_simplified().convert(text)


def folded(text: str | None) -> str:
    """Customer text for matching phrases: Simplified, lower case, whitespace collapsed."""
    return re.sub(r"\s+", " ", to_simplified(text or "").lower().replace("’", "'")).strip()
