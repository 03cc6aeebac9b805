"""What the Telegram front door itself says (everything else comes from Rasa), per language.

Written once in Simplified Chinese and English; Traditional-Chinese customers get the Chinese
converted (aftersales.language.in_script), as the actions do.
"""
from __future__ import annotations

from aftersales.customers import LOCK
from aftersales.language import in_script

TEXTS: dict[str, tuple[str, str]] = {  # key -> (Chinese, English)
    "contact_linked": (
        "谢谢！已确认您的身份，您名下的车辆：{plates}。以后查询维修进度、预约和投诉，都不用再输入车牌和手机号了。",
        "Thanks, you're verified. Your vehicles: {plates}. You can now check repair progress, appointments "
        "and complaints without giving your plate and phone number again.",
    ),
    "contact_unknown_phone": (
        "这个手机号没有在我们这里登记过。您可以直接告诉我车牌号和登记时留的手机号，我来帮您查。",
        "This number isn't on file with us. Tell me your plate and the phone number you registered with, "
        "and I'll look you up.",
    ),
    "contact_locked": (
        "验证失败的次数太多，为保护您的信息，请{minutes}分钟后再试。",
        "Too many failed attempts. To protect your information, please try again in {minutes} minutes.",
    ),
    "contact_not_own": (
        "为了保护隐私，我只能用您本人的 Telegram 手机号确认身份。请点下方“分享我的手机号”按钮，不要转发别人的名片。",
        "To protect everyone's privacy I can only use your own Telegram number. Please tap \"Share my phone "
        "number\" below rather than forwarding someone else's contact.",
    ),
    "photo_case": (
        "照片已收到，已附到 {reference}，负责处理的同事会看到。",
        "Got your photo. It's attached to {reference} for the team handling it.",
    ),
    "photo_kept": (
        "照片已收到并保存。方便的话，再说说照片里是什么情况。",
        "Got your photo and saved it. Tell me what it shows, if you like.",
    ),
    "photo_failed": (
        "抱歉，照片没能保存，请稍后再发一次。",
        "Sorry, I couldn't save that photo. Please send it again in a moment.",
    ),
}

# Shown before the customer has chosen a language, so in both.
CHOOSE_LANGUAGE = "请选择语言 / Choose your language"
SHARE_CONTACT = ("想让我直接认出您的车和订单？点下方按钮分享您的 Telegram 手机号。\n"
                 "Want me to recognise your car and orders? Tap below to share your Telegram phone number.")
SHARE_CONTACT_BUTTON = "📱 分享我的手机号 / Share my phone number"
LANGUAGE_BUTTONS = (
    ("中文", '/switch_language{"language_request":"zh-Hans"}'),
    ("English", '/switch_language{"language_request":"en"}'),
)
# Shown in Telegram's command menu, per client language.
COMMANDS = {
    "zh": [("start", "开始"), ("help", "我能做什么"), ("lang", "切换语言"), ("human", "转人工客服"),
           ("stop", "结束当前操作")],
    "en": [("start", "Start"), ("help", "What I can do"), ("lang", "Change language"),
           ("human", "Talk to a person"), ("stop", "Stop what we're doing")],
}


def say(key: str, language: str | None, **values) -> str:
    chinese, english = TEXTS[key]
    values.setdefault("minutes", int(LOCK.total_seconds() // 60))
    if language == "en":
        return english.format(**values)
    return in_script(chinese.format(**values), language)


def language_of_client(language_code: str | None) -> str:
    """Telegram's client language ("en", "zh-hans", "zh-hant", "zh-tw") as one of ours."""
    code = (language_code or "").lower()
    if code in ("zh-hant", "zh-tw", "zh-hk", "zh-mo"):
        return "zh-Hant"
    if not code or code.startswith("zh"):
        return "zh-Hans"
    return "en"  # other languages' speakers are likelier to read English than Chinese
