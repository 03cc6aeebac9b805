"""What the customer is told when a supervisor joins or leaves their conversation.

Written once so that the web console and the Telegram supervisor chat use the same words, in
the customer's language (zh-Hans, zh-Hant or en).
"""
from __future__ import annotations

from aftersales.language import in_script

JOINED = ("{name}（主管）已接入，由我来为您处理。", "{name} (supervisor) has joined and will take it from here.")
LEFT = ("{name}（主管）已离开对话，接下来由智能助手继续为您服务。如需再找主管，请随时说“转人工”。",
        "{name} (supervisor) has left the conversation; the assistant will help you from here. "
        "Say \"talk to a person\" any time to reach a supervisor again.")


def joined(name: str, name_en: str | None, language: str | None) -> str:
    return _say(JOINED, name, name_en, language)


def left(name: str, name_en: str | None, language: str | None) -> str:
    return _say(LEFT, name, name_en, language)


def _say(pair: tuple[str, str], name: str, name_en: str | None, language: str | None) -> str:
    if language == "en":
        return pair[1].format(name=name_en or name)
    return in_script(pair[0].format(name=name), language)
