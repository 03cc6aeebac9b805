"""Rule-based time expression parser for the dealer care bot (Chinese + English).

Public API
----------
``parse(text, now, tz="Asia/Shanghai") -> list[dict]``

Finds every time expression in ``text`` and returns Duckling-shaped entities::

    {"entity": "time", "start": 3, "end": 10, "text": "明天上午10点", "confidence": 1.0,
     "value": "2026-03-12T10:00:00.000+08:00",
     "additional_info": {"grain": "hour", "value": "2026-03-12T10:00:00.000+08:00"}}

Parts of a day without an hour also carry ``additional_info["from"]`` / ``["to"]``.
Pure Python (no rasa import); never raises (returns ``[]`` on anything unexpected).

How it works
------------
1. The text is normalised without changing its length (Traditional -> Simplified with OpenCC,
   full-width -> ASCII, ASCII lower case), so offsets stay valid.
2. Four passes of regular expressions find tokens, each pass masking what it claimed:
   relative expressions (N小时后, in 2 hours), dates (明天, 周三, 12月3日, Dec 3),
   parts of the day (下午, morning), clock times (三点半, 15:00, 3pm).
   An invalid token (2月30日, 25:00, 三点五万公里) still claims its text, so no shorter
   piece of it is reported either.
3. Neighbouring tokens (separated only by spaces, commas, 的, at/on) form one expression
   with at most one date, one part of day and one clock time.
4. Each expression is resolved against ``now`` in the dealer timezone ``tz``.

Resolution rules
----------------
* ``now`` is converted to ``tz`` (a naive ``now`` is taken as already in ``tz``).
  Values are ISO 8601 with milliseconds and the DST-correct offset of ``tz``.
* value is the START of the meant interval.
* Grain: only a day -> "day" (00:00); an hour without minutes (三点, 3pm, 三点整) -> "hour";
  minutes written (三点半, 15:00, 3:30pm) -> "minute"; relative N小时后 / N分钟后 /
  in N hours / in N minutes -> "minute" (now + N, seconds dropped); N天后 / in N days /
  N周后 / in N weeks -> "day".
* Parts of the day: 凌晨 00-06, 早上/早晨/上午/morning 08-12, 中午/noon = 12:00 point
  (grain hour, no from/to), 下午/afternoon 12-18, 傍晚 17-19, 晚上/今晚/evening/tonight/night
  18-22. Without an hour: grain "hour", value = from, plus from/to.
  With an hour it is a point: 凌晨h (12 -> 0), 上午h, 中午h (1-5 -> +12), 下午h / 傍晚h
  (h < 12 -> +12), 晚上h (5-11 -> +12; 12 -> 00:00 next day; 1-4 -> h next day).
  An hour 13-23 is always taken as written.
* Bare hour (no part of day, no am/pm): 1-7 -> PM (13-19), 8-12 as is, 0 and 13-23 as 24h.
  A zero-padded clock time ("07:30", "00:30") is taken literally. noon = 12:00,
  midnight = 00:00 of the following day.
* Future preference: a time without a date already past today -> tomorrow; a part of day
  without a date that is over -> tomorrow; month/day already past this year -> next year
  (2月29日 -> the next leap year); a bare day of month (15号) already past -> next month
  (skipping months that lack that day); a bare weekday (周三, on Friday) -> the nearest
  upcoming, today included, and if a time or part of day given with it is already over
  today, the same weekday next week. An explicit date (今天, 这周一, 3月11日) is never moved,
  even when in the past.
* Weeks start on Monday. 这周X/本周X/this X -> that day in the current week (may be past);
  下周X/下个星期X/next X/next week X -> in the next calendar week; 下下周X -> two weeks on;
  上周X/last X -> previous week. 周末/weekend -> Saturday (today if it is the weekend).
* 下个月X号 -> day X of next month; 这个月X号/本月X号 -> this month (may be past).
* M/D (12/3) is month/day. YYYY年M月D日, YYYY-MM-DD, YYYY/MM/DD are taken as written.
* A range 明天下午3点到5点 / 3pm to 5pm gives two entities; the second inherits the date
  and part of day of the first.
* Impossible values (2月30日, 13月5日, 25:00, 24点30, 13pm) give no entity.
* Not times: bare numbers, plates, VINs, phone numbers, mileage, prices, order numbers,
  quantities, durations without 后/in ("2个小时", "5 years"), Chinese decimals (三点五),
  "一点" meaning "a little" (早一点, 便宜一点), greetings (早上好, good morning).
"""
from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Optional, Union

from nlu.components.script import to_simplified

__all__ = ["parse"]

logger = logging.getLogger(__name__)

DEFAULT_TZ = "Asia/Shanghai"
MAX_TEXT = 20000  # longer input is cut (never raise, stay fast)


# --------------------------------------------------------------------------------------
# Normalisation (length preserving)
# --------------------------------------------------------------------------------------
def _build_table() -> dict:
    table = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = chr(code - 0xFEE0).lower()
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
    for ch in "\u3000\xa0\u2009\u202f\t\r\n\x0b\x0c":
        table[ord(ch)] = " "
    table[ord("～")] = "~"
    return table


_TABLE = _build_table()


def normalise(text: str) -> str:
    """Return ``text`` with the same length, simplified for matching (OpenCC for the script)."""
    out = to_simplified(text).translate(_TABLE)
    return out if len(out) == len(text) else text


# --------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
_EN_NUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50,
    "sixty": 60, "ninety": 90, "a": 1, "an": 1, "a couple of": 2, "couple of": 2,
}


def to_int(s: str) -> Optional[int]:
    """Convert '12', '十二', '二十三', '两', '二〇二六', 'three' to int (None if not a number)."""
    s = (s or "").strip()
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    if s in _EN_NUM:
        return _EN_NUM[s]
    if "十" in s:
        left, _, right = s.partition("十")
        if len(left) > 1 or len(right) > 1 or "十" in right:
            return None
        tens = _CN_DIGIT.get(left) if left else 1
        units = _CN_DIGIT.get(right) if right else 0
        if tens is None or units is None:
            return None
        return tens * 10 + units
    value = 0
    for ch in s:
        if ch not in _CN_DIGIT:
            return None
        value = value * 10 + _CN_DIGIT[ch]
    return value


# --------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------
@dataclass
class Token:
    start: int
    end: int
    date: Optional[tuple] = None     # date spec, see resolve_date()
    pod: Optional[str] = None        # part of day name, see PODS
    clock: Optional[tuple] = None    # (hour, minute|None, ampm|None, literal)
    rel: Optional[timedelta] = None  # instant relative to now
    valid: bool = True
    weak: bool = False               # '一点': needs a date or part of day next to it


@dataclass
class Group:
    tokens: list = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    def first(self, attr: str):
        for tok in self.tokens:
            if getattr(tok, attr) is not None:
                return getattr(tok, attr)
        return None


# part of day -> (from hour, to hour); 'noon' is a point
PODS = {
    "dawn": (0, 6), "morning": (8, 12), "noon": (12, 12), "afternoon": (12, 18),
    "dusk": (17, 19), "evening": (18, 22),
}
_ZH_POD = {
    "凌晨": "dawn", "清晨": "morning", "早上": "morning", "早晨": "morning", "上午": "morning",
    "中午": "noon", "晌午": "noon", "下午": "afternoon", "午后": "afternoon", "傍晚": "dusk",
    "黄昏": "dusk", "晚上": "evening", "晚间": "evening", "夜里": "evening", "夜间": "evening",
    "早": "morning", "晚": "evening",
}
_EN_POD = {"morning": "morning", "afternoon": "afternoon", "evening": "evening",
           "night": "evening", "noon": "noon", "midday": "noon"}

# ------------------------------- regex building blocks --------------------------------
_CNN = "零〇一二两三四五六七八九十"
_NB = rf"(?<![0-9a-z{_CNN}百千万几第.:/\-])"          # no number/word right before
CN_DAY = r"(?:[一二三]?十[一二三四五六七八九]?|[一二两三四五六七八九])"
CN_HOUR = r"(?:二十[一二三四]?|十[一二三四五六七八九]?|[零〇一二两三四五六七八九])"
CN_MIN = r"(?:[二三四五]十[一二三四五六七八九]?|十[一二三四五六七八九]?|[零〇][一二三四五六七八九]|[一二三四五六七八九])"
CN_N = r"(?:[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九])"
EN_HOURW = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
EN_NUMW = (r"(?:a\s+couple\s+of|couple\s+of|forty-five|one|two|three|four|five|six|seven|"
           r"eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|an|a)")
MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
         r"aug(?:ust)?|sept(?:ember)?|sep|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b(?:\.(?=\s*\d))?")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
WEEKDAY = (r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
           r"mon|tues|tue|weds|wed|thurs|thur|thu|fri|sat|sun)\b(?:\.(?=\s+[0-9a-z]))?")
_EN_WD = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_ZH_WD = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
          "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}
AMPM = r"(?P<ap>a\.m\.|p\.m\.|a\.?m\b|p\.?m\b)"
_AT = r"(?:\b(?:at|around|about|by)\s+|@\s*)?"

# units after a number that mean it is not a time
_NOT_TIME_TAIL = re.compile(
    r"\s*(?:[0-9%]|[.,]\d|k\b|km|kms|kilomet|mi\b|miles?|years?|yrs?|months?|weeks?|days?|"
    r"hours?|hrs?|minutes?|mins?|percent|dollars?|bucks|usd|rmb|yuan|tyres?|tires?|wheels?|"
    r"people|persons?|cars?|vehicles?|times|x\b|kg|l\b|liters?|litres?|of\b|pieces?|items?|"
    r"parts?|units?|stars?|points?)")
_ZH_NOT_TIME_TAIL = re.compile(r"[万千百亿公里升元块倍折米%个次毫斤吨度点儿]|km|kg")
_WEAK_BEFORE = set("早晚快慢多少宜好差大小高低近远有这那几第些再点")


# --------------------------------------------------------------------------------------
# Pass 1: relative expressions
# --------------------------------------------------------------------------------------
_REL_PATTERNS = [
    # 两个小时后, 一个半小时以后, 半小时后, 30分钟之后, 过两个小时
    re.compile(rf"(?<![0-9{_CNN}点:.])(?P<pre>过)?(?P<n>\d{{1,3}}(?:\.\d)?|{CN_N}|半)(?P<ge>个)?(?P<half>半)?"
               r"(?P<u>小时|钟头|分钟|分)(?P<suf>以后|之后|后)?"),
    # 3天后, 两周以后, 一个星期后, 过两天
    re.compile(rf"(?<![0-9{_CNN}号月:.])(?P<pre>过)?(?P<n>\d{{1,3}}|{CN_N})(?P<ge>个)?"
               r"(?P<u>天|日|周|星期|礼拜)(?P<suf>以后|之后|后)?"),
    # in 2 hours, in half an hour, after 30 minutes, in 3 days
    re.compile(rf"\b(?:in|after)\s+(?P<n>\d{{1,3}}(?:\.\d+)?|half\s+an?|{EN_NUMW})\s*"
               r"(?P<u>hours?|hrs?|h|minutes?|mins?|days?|weeks?|wks?)\b"),
    # 2 hours from now, 30 minutes later
    re.compile(rf"(?<![0-9a-z.])(?P<n>\d{{1,3}}(?:\.\d+)?|half\s+an?|{EN_NUMW})\s*"
               r"(?P<u>hours?|hrs?|minutes?|mins?|days?|weeks?)\s+(?:from\s+now|later)\b"),
]

_UNIT_MINUTES = {"小时": 60, "钟头": 60, "分钟": 1, "分": 1, "hour": 60, "hr": 60, "h": 60,
                 "minute": 1, "min": 1}
_UNIT_DAYS = {"天": 1, "日": 1, "周": 7, "星期": 7, "礼拜": 7, "day": 1, "week": 7, "wk": 7}


def _rel_amount(raw: str) -> Optional[float]:
    raw = re.sub(r"\s+", " ", raw)
    if raw.startswith("half"):
        return 0.5
    if raw == "半":
        return 0.5
    try:
        return float(raw)
    except ValueError:
        value = to_int(raw)
        return None if value is None else float(value)


def _unit_name(raw: str) -> str:
    """'hours' -> 'hour', 'hrs' -> 'hr', 'wks' -> 'wk'; Chinese units unchanged."""
    if not raw.isascii():
        return raw
    return raw[:-1] if raw.endswith("s") else raw


def rel_token(m: re.Match) -> Optional[Token]:
    g = m.groupdict()
    unit = _unit_name(g["u"])
    if not g["u"].isascii():
        if not g.get("suf") and not g.get("pre"):
            return None  # a duration ("2个小时"), not a point in time
        if (g["u"] == "日" or g["u"] == "周") and g.get("ge"):
            return None  # "3个日后" / "两个周后" are not idiomatic
        if g["u"] == "分" and not g["n"].isdigit():
            return None  # "十分后悔": 十分 means "very"
    amount = _rel_amount(g["n"])
    if amount is None:
        return None
    if g.get("half"):
        amount += 0.5
    tok = Token(m.start(), m.end())
    if unit in _UNIT_MINUTES:
        if amount == 0.5 and unit in ("分", "分钟", "minute", "min"):
            return None
        tok.rel = timedelta(minutes=amount * _UNIT_MINUTES[unit])
    elif unit in _UNIT_DAYS:
        if amount != int(amount):
            return None
        tok.date = ("offset", int(amount) * _UNIT_DAYS[unit])
    else:
        return None
    if amount <= 0 or amount > 999:
        tok.valid = False
    return tok


# --------------------------------------------------------------------------------------
# Pass 2: dates
# --------------------------------------------------------------------------------------
_ZH_DAYREL = {"大大后天": 4, "大后天": 3, "后天": 2, "明天": 1, "明日": 1, "明儿个": 1, "明儿": 1,
              "今天": 0, "今日": 0, "今儿个": 0, "今儿": 0, "昨天": -1, "前天": -2, "大前天": -3}
_ZH_DAYPOD = {"今早": (0, "morning"), "明早": (1, "morning"), "今晚": (0, "evening"),
              "明晚": (1, "evening"), "今夜": (0, "evening"), "明夜": (1, "evening"),
              "昨晚": (-1, "evening"), "昨夜": (-1, "evening")}
_EN_DAYREL = {"today": 0, "tomorrow": 1, "tomorow": 1, "tommorow": 1, "tommorrow": 1,
              "tmrw": 1, "tmr": 1, "yesterday": -1, "overmorrow": 2}
_ZH_WEEK_MODE = {None: "bare", "": "bare", "这": "this", "这个": "this", "本": "this",
                 "下": "next", "下个": "next", "下下": "next2", "下下个": "next2",
                 "上": "last", "上个": "last", "上上": "last2", "上上个": "last2"}
_ZH_MONTH_OFF = {"下个月": 1, "下月": 1, "次月": 1, "下下个月": 2, "这个月": 0, "本月": 0}
_ZH_YEAR_OFF = {"今年": 0, "明年": 1, "后年": 2}
_DOM_STOP = r"(?![楼线门位车口店机键座厅馆桥院房柜台窗码牌球电油汽柴子件])"

_DATE_PATTERNS = []


def _date_rule(pattern: str):
    def register(func):
        _DATE_PATTERNS.append((re.compile(pattern), func))  # func(match, original_text)
        return func
    return register


@_date_rule("(?<![以之然最过往落背])(?:" + "|".join(sorted(_ZH_DAYREL, key=len, reverse=True)) + ")")
def _zh_dayrel(m, original):
    return Token(m.start(), m.end(), date=("offset", _ZH_DAYREL[m.group(0)]))


@_date_rule(r"(?P<w>今早|明早|今晚|明晚|今夜|明夜|昨晚|昨夜)(?:上(?=\s*\d|[" + _CNN + "]))?")
def _zh_daypod(m, original):
    offset, pod = _ZH_DAYPOD[m.group("w")]
    return Token(m.start(), m.end(), date=("offset", offset), pod=pod)


@_date_rule(rf"(?:(?<![{_CNN}几每])|(?<=[周拜期][{_CNN}日天]))(?P<pre>下下个?|下个?|这个?|本|上上个?|上个?)?"
            r"(?P<unit>周|星期|礼拜)(?P<wd>[一二三四五六日天1-7])(?![0-9次遍回])")
def _zh_weekday(m, original):
    mode = _ZH_WEEK_MODE[m.group("pre") or ""]
    return Token(m.start(), m.end(), date=("weekday", mode, _ZH_WD[m.group("wd")]))


@_date_rule(r"(?P<pre>下下个?|下个?|这个?|本|上个?)?(?:周末|礼拜末)")
def _zh_weekend(m, original):
    return Token(m.start(), m.end(), date=("weekend", _ZH_WEEK_MODE[m.group("pre") or ""]))


@_date_rule(rf"{_NB}(?:(?P<y>\d{{4}}|[〇零一二三四五六七八九]{{4}})年|(?P<yrel>今年|明年|后年))?"
            rf"(?P<m>\d{{1,2}}|十[一二]?|[一二三四五六七八九])月份?"
            rf"(?P<d>\d{{1,2}}|{CN_DAY})(?:日|号)")
def _zh_ymd(m, original):
    month, day = to_int(m.group("m")), to_int(m.group("d"))
    if m.group("y"):
        spec = ("ymd", to_int(m.group("y")), month, day)
    elif m.group("yrel"):
        spec = ("ymd_rel", _ZH_YEAR_OFF[m.group("yrel")], month, day)
    else:
        spec = ("md", month, day)
    return Token(m.start(), m.end(), date=spec)


@_date_rule(r"(?<![0-9a-z\-/.])(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![0-9]|[-/.]\d)")
def _iso_ymd(m, original):
    return Token(m.start(), m.end(), date=("ymd", int(m.group("y")), int(m.group("m")),
                                           int(m.group("d"))))


@_date_rule(r"(?<![0-9a-z\-/.:$¥#+])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?"
            r"(?![0-9]|/\d|\s*(?:tank|cup|inch|in\b|of\b))")
def _slash_md(m, original):
    month, day = int(m.group("m")), int(m.group("d"))
    if m.group("y"):
        year = int(m.group("y"))
        year = year + 2000 if year < 100 else year
        return Token(m.start(), m.end(), date=("ymd", year, month, day))
    return Token(m.start(), m.end(), date=("md", month, day))


@_date_rule(r"(?P<pre>下下个月|下个?月|次月|这个月|本月)的?"
            rf"(?P<d>\d{{1,2}}|{CN_DAY})(?:号|日)(?![0-9])" + _DOM_STOP)
def _zh_month_dom(m, original):
    return Token(m.start(), m.end(),
                 date=("dom", _ZH_MONTH_OFF[m.group("pre")], to_int(m.group("d"))))


@_date_rule(rf"(?<![0-9a-z{_CNN}月年几第\-/.#])(?P<d>\d{{1,2}}|{CN_DAY})(?:号|日(?![后前内]))"
            r"(?![0-9])" + _DOM_STOP)
def _zh_dom(m, original):
    return Token(m.start(), m.end(), date=("dom", None, to_int(m.group("d"))))


@_date_rule(r"\b(?:on\s+)?(?:the\s+)?(?:day\s+after\s+(?:tomorrow|tmrw?))\b")
def _en_day_after(m, original):
    return Token(m.start(), m.end(), date=("offset", 2))


@_date_rule(r"\b(?P<w>today|tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|yesterday|overmorrow)\b")
def _en_dayrel(m, original):
    return Token(m.start(), m.end(), date=("offset", _EN_DAYREL[m.group("w")]))


@_date_rule(r"\b(?P<w>tonight|tonite|last\s+night)\b")
def _en_tonight(m, original):
    offset = -1 if m.group("w").startswith("last") else 0
    return Token(m.start(), m.end(), date=("offset", offset), pod="evening")


@_date_rule(r"\bthis\s+(?P<p>morning|afternoon|evening)\b")
def _en_this_pod(m, original):
    return Token(m.start(), m.end(), date=("offset", 0), pod=_EN_POD[m.group("p")])


@_date_rule(r"\b(?:on\s+)?(?:(?P<wk>next|this)\s+week\s*,?\s*(?:on\s+)?)?"
            r"(?:(?P<pre>this\s+coming|this|next|coming|last)\s+)?" + WEEKDAY +
            r"(?:\s+(?:of\s+)?(?P<post>next|this)\s+week\b)?")
def _en_weekday(m, original):
    short = m.group("wd") in ("mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs",
                              "fri", "sat", "sun")
    qualifier = m.group("wk") or m.group("pre") or m.group("post")
    if short and not qualifier and not original[m.start("wd")].isupper() and \
            not m.group(0).startswith("on"):
        return None  # "I sat in the car", "the sun"
    qualifier = re.sub(r"\s+", " ", qualifier or "")
    mode = {"this": "this", "next": "next", "last": "last"}.get(qualifier, "bare")
    return Token(m.start(), m.end(), date=("weekday", mode, _EN_WD.index(m.group("wd")[:3])))


@_date_rule(r"\b(?:on\s+)?(?:(?P<pre>this|next|the|this\s+coming)\s+)?weekend\b")
def _en_weekend(m, original):
    mode = {"this": "this", "next": "next"}.get(m.group("pre") or "", "bare")
    return Token(m.start(), m.end(), date=("weekend", mode))


@_date_rule(rf"\b(?:on\s+)?{MONTH}\s*(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![0-9a-z:])"
            r"(?:,?\s*(?P<y>\d{4})(?![0-9:a-z]))?")
def _en_month_day(m, original):
    return _en_date_token(m)


@_date_rule(rf"(?:\bon\s+)?(?:\bthe\s+)?(?<![0-9a-z.\-/])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*"
            rf"(?:of\s+)?{MONTH}(?:,?\s*(?P<y>\d{{4}})(?![0-9:a-z]))?")
def _en_day_month(m, original):
    return _en_date_token(m)


@_date_rule(r"\b(?:on\s+)?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)\b")
def _en_the_dom(m, original):
    return Token(m.start(), m.end(), date=("dom", None, int(m.group("d"))))


def _en_date_token(m) -> Token:
    month = _MONTHS.index(m.group("mon")[:3]) + 1
    day = int(m.group("d"))
    spec = ("ymd", int(m.group("y")), month, day) if m.group("y") else ("md", month, day)
    return Token(m.start(), m.end(), date=spec)


# --------------------------------------------------------------------------------------
# Pass 3: parts of the day
# --------------------------------------------------------------------------------------
_POD_PATTERNS = [
    (re.compile(r"(?P<p>凌晨|清晨|早上|早晨|上午|中午|晌午|下午|午后|傍晚|黄昏|晚上|晚间|夜里|夜间)"
                r"(?!好(?![吗不么嘛啊]))"), _ZH_POD),
    (re.compile(r"(?P<p>早)(?=(?:[5-9]|1[0-2]|[五六七八九]|十[一二]?)(?:点|:))"), _ZH_POD),
    (re.compile(r"(?P<p>晚)(?=(?:[5-9]|1[0-2]|[五六七八九]|十[一二]?)(?:点|:))"), _ZH_POD),
    (re.compile(r"(?:\b(?:in\s+the|the|at)\s+)?\b(?P<p>morning|afternoon|evening|night|noon|midday)\b"),
     _EN_POD),
]


def pod_token(m: re.Match, names: dict, text: str) -> Optional[Token]:
    if m.group("p") in ("morning", "afternoon", "evening", "night"):
        if re.search(r"\bgood\s*$", text[:m.start()]):
            return None  # a greeting
    return Token(m.start(), m.end(), pod=names[m.group("p")])


# --------------------------------------------------------------------------------------
# Pass 4: clock times
# --------------------------------------------------------------------------------------
_ZH_TIME = re.compile(
    rf"(?<![0-9a-z{_CNN}百千万几第.:/])(?P<h>\d{{1,2}}|{CN_HOUR})(?P<dian>点钟|点|时)"
    rf"(?P<rest>半|[一1]刻|[三3]刻|整|过?(?P<m>\d{{1,2}}|{CN_MIN})(?P<fen>分钟|分)?)?")
_EN_AMPM = re.compile(
    rf"{_AT}(?<![0-9a-z.:])(?P<h>\d{{1,2}}|{EN_HOURW})(?:[:.](?P<m>\d{{2}}))?\s*{AMPM}(?![a-z])")
_HM = re.compile(rf"{_AT}(?<![0-9a-z.:/$¥])(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?![0-9]|:\d)")
_EN_OCLOCK = re.compile(rf"{_AT}(?<![0-9a-z.:])(?P<h>\d{{1,2}}|{EN_HOURW})\s*o'?clock\b")
_EN_AT = re.compile(r"\b(?:at|around|about)\s+(?P<h>\d{1,2})(?![0-9a-z:])")
_EN_PAST = re.compile(
    rf"{_AT}\b(?P<q>half|quarter)\s+(?P<dir>past|after|to)\s+(?P<h>\d{{1,2}}|{EN_HOURW})\b"
    rf"(?:\s*{AMPM})?")
_EN_MIDNIGHT = re.compile(r"(?:\bat\s+)?\bmidnight\b")


def zh_time_token(m: re.Match, text: str) -> Optional[Token]:
    tok = Token(m.start(), m.end())
    hour = to_int(m.group("h"))
    rest, minute = m.group("rest"), None
    if rest == "半":
        minute = 30
    elif rest in ("一刻", "1刻"):
        minute = 15
    elif rest in ("三刻", "3刻"):
        minute = 45
    elif m.group("m"):
        minute = to_int(m.group("m"))
        raw = m.group("m")
        # '三点五' / '3点5' is a decimal number (3.5), not 3:05
        if not m.group("fen") and len(raw) == 1 and raw != "十":
            tok.valid = False
    tail = text[m.end():m.end() + 3]
    if _ZH_NOT_TIME_TAIL.match(tail) or (minute is None and re.match(r"[0-9" + _CNN + "]", tail)):
        tok.valid = False
    if m.group("dian") == "时" and minute is None and re.match(r"[间候段许内]", tail):
        return None  # 时间, 时候
    if minute is None and m.group("h") in _CN_DIGIT and m.start() > 0 and \
            text[m.start() - 1] in _WEAK_BEFORE:
        return None  # 早一点, 有两点
    tok.weak = minute is None and rest != "整" and m.group("dian") == "点" and m.group("h") == "一"
    tok.clock = (hour, minute, None, False)
    return tok


def en_time_token(m: re.Match, kind: str, text: str) -> Optional[Token]:
    g = m.groupdict()
    hour = to_int(g["h"])
    minute = int(g["m"]) if g.get("m") else None
    ampm = None
    if g.get("ap"):
        ampm = "pm" if g["ap"].startswith("p") else "am"
    literal = kind == "hm" and len(g["h"]) == 2 and g["h"].startswith("0")
    if kind == "past":
        minute = 30 if g["q"] == "half" else 15
        if g["dir"] == "to":
            if g["q"] == "half":
                return None
            minute, hour = 45, (hour or 0) - 1
            if hour == 0 and ampm is None:
                hour = 12
    if kind in ("at", "oclock") and _NOT_TIME_TAIL.match(text[m.end():m.end() + 12]):
        return None
    tok = Token(m.start(), m.end(), clock=(hour, minute, ampm, literal))
    return tok


def midnight_token(m: re.Match) -> Token:
    return Token(m.start(), m.end(), clock=(24, None, None, True))


# --------------------------------------------------------------------------------------
# Tokenising
# --------------------------------------------------------------------------------------
def _select(candidates: list, taken: bytearray) -> list:
    """Longest-first, non-overlapping selection; ``taken`` marks claimed characters."""
    chosen = []
    for tok in sorted(candidates, key=lambda t: (t.start - t.end, t.start)):
        if not any(taken[tok.start:tok.end]):
            taken[tok.start:tok.end] = b"\x01" * (tok.end - tok.start)
            chosen.append(tok)
    return chosen


def _mask(text: str, tokens: list) -> str:
    chars = list(text)
    for tok in tokens:
        chars[tok.start:tok.end] = "\x00" * (tok.end - tok.start)
    return "".join(chars)


def _run_pass(text: str, matchers, taken: bytearray) -> list:
    candidates = []
    for pattern, build in matchers:
        for m in pattern.finditer(text):
            if m.end() <= m.start():
                continue
            tok = build(m)
            if tok is not None:
                candidates.append(tok)
    return _select(candidates, taken)


def tokenize(norm: str, original: str) -> list:
    """Run the four passes over the normalised text; return tokens sorted by position."""
    tokens, taken, text = [], bytearray(len(norm)), norm
    passes = [
        [(p, rel_token) for p in _REL_PATTERNS],
        [(p, lambda m, f=f: f(m, original)) for p, f in _DATE_PATTERNS],
        [(p, lambda m, names=names: pod_token(m, names, norm)) for p, names in _POD_PATTERNS],
        [(_ZH_TIME, lambda m: zh_time_token(m, norm)),
         (_EN_AMPM, lambda m: en_time_token(m, "ampm", norm)),
         (_HM, lambda m: en_time_token(m, "hm", norm)),
         (_EN_OCLOCK, lambda m: en_time_token(m, "oclock", norm)),
         (_EN_AT, lambda m: en_time_token(m, "at", norm)),
         (_EN_PAST, lambda m: en_time_token(m, "past", norm)),
         (_EN_MIDNIGHT, midnight_token)],
    ]
    for matchers in passes:
        found = _run_pass(text, matchers, taken)
        tokens.extend(found)
        text = _mask(text, found)
    return sorted(tokens, key=lambda t: t.start)


# --------------------------------------------------------------------------------------
# Grouping
# --------------------------------------------------------------------------------------
_GAP = re.compile(r"[\s,，]*(?:的)?[\s,，]*(?:(?:at|on|around|about|by|@)\s*)?")
_RANGE_GAP = re.compile(r"\s*(?:到|至|~|-|–|—|或者|或|to|until|till|or)\s*")


def _kinds(tok: Token) -> set:
    kinds = set()
    if tok.date is not None:
        kinds.add("date")
    if tok.pod is not None:
        kinds.add("pod")
    if tok.clock is not None:
        kinds.add("clock")
    if tok.rel is not None:
        kinds.add("rel")
    return kinds


def group_tokens(tokens: list, norm: str) -> list:
    groups: list = []
    for tok in tokens:
        if groups:
            last = groups[-1]
            used = set().union(*(_kinds(t) for t in last.tokens))
            gap = norm[last.end:tok.start]
            if _GAP.fullmatch(gap) and not (used & _kinds(tok)) and "rel" not in used | _kinds(tok):
                last.tokens.append(tok)
                continue
        groups.append(Group([tok]))
    return groups


# --------------------------------------------------------------------------------------
# Resolution
# --------------------------------------------------------------------------------------
def _add_months(year: int, month: int, k: int) -> tuple:
    index = year * 12 + (month - 1) + k
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except (ValueError, TypeError, OverflowError):
        return None


def _week_monday(today: date) -> date:
    return today - timedelta(days=today.weekday())


_WEEK_SHIFT = {"this": 0, "next": 7, "next2": 14, "last": -7, "last2": -14}


def resolve_date(spec: tuple, today: date) -> Optional[date]:
    kind = spec[0]
    if kind == "offset":
        return today + timedelta(days=spec[1])
    if kind == "weekday":
        mode, wd = spec[1], spec[2]
        if mode == "bare":
            return today + timedelta(days=(wd - today.weekday()) % 7)
        return _week_monday(today) + timedelta(days=_WEEK_SHIFT[mode] + wd)
    if kind == "weekend":
        mode = spec[1]
        if mode == "bare":
            if today.weekday() >= 5:
                return today
            return today + timedelta(days=5 - today.weekday())
        return _week_monday(today) + timedelta(days=_WEEK_SHIFT.get(mode, 0) + 5)
    if kind == "ymd":
        return _safe_date(spec[1], spec[2], spec[3])
    if kind == "ymd_rel":
        return _safe_date(today.year + spec[1], spec[2], spec[3])
    if kind == "md":
        return _next_month_day(spec[1], spec[2], today)
    if kind == "dom":
        return _day_of_month(spec[1], spec[2], today)
    return None


def _next_month_day(month: int, day: int, today: date) -> Optional[date]:
    if _safe_date(2024, month, day) is None:  # 2024 is a leap year
        return None
    for year in range(today.year, today.year + 9):
        found = _safe_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _day_of_month(month_offset: Optional[int], day: int, today: date) -> Optional[date]:
    if day is None or not 1 <= day <= 31:
        return None
    if month_offset is not None:
        year, month = _add_months(today.year, today.month, month_offset)
        return _safe_date(year, month, day)
    for k in range(0, 13):
        year, month = _add_months(today.year, today.month, k)
        found = _safe_date(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def resolve_hour(clock: tuple, pod: Optional[str]) -> Optional[tuple]:
    """Return (hour 0-23, minute, day offset) or None if impossible."""
    hour, minute, ampm, literal = clock
    minute_val = minute or 0
    if hour is None or not 0 <= minute_val <= 59:
        return None
    if hour == 24 and literal and minute is None:  # midnight
        return 0, 0, 1
    if not 0 <= hour <= 23:
        return None
    if ampm:
        if not 1 <= hour <= 12:
            return None
        return hour % 12 + (12 if ampm == "pm" else 0), minute_val, 0
    if hour >= 13 or literal:
        return hour, minute_val, 0
    if pod:
        return _hour_in_pod(hour, minute_val, pod)
    if 1 <= hour <= 7:
        return hour + 12, minute_val, 0
    return hour, minute_val, 0


def _hour_in_pod(hour: int, minute: int, pod: str) -> tuple:
    if pod == "dawn":
        return (0 if hour == 12 else hour), minute, 0
    if pod == "morning":
        return hour, minute, 0
    if pod == "noon":
        return (hour + 12 if 1 <= hour <= 5 else hour), minute, 0
    if pod in ("afternoon", "dusk"):
        return (hour + 12 if hour < 12 else hour), minute, 0
    if pod == "evening":
        if hour == 12 or hour == 0:
            return 0, minute, 1
        if 1 <= hour <= 4:
            return hour, minute, 1
        return hour + 12, minute, 0
    return hour, minute, 0


@dataclass
class Resolved:
    value: datetime
    grain: str
    start: Optional[datetime] = None
    end: Optional[datetime] = None


def resolve_group(group: Group, now: datetime, context: Optional[tuple] = None) -> Optional[Resolved]:
    """Resolve one expression; ``context`` = (date spec, part of day) lent by a range start."""
    if any(not t.valid for t in group.tokens):
        return None
    rel = group.first("rel")
    if rel is not None:
        return Resolved(now + rel, "minute")  # caller turns it into an instant in UTC
    date_spec, pod, clock = group.first("date"), group.first("pod"), group.first("clock")
    if context is not None:
        date_spec = date_spec or context[0]
        pod = pod or context[1]
    if any(t.weak for t in group.tokens) and date_spec is None and pod is None:
        return None
    today = now.date()
    day = resolve_date(date_spec, today) if date_spec else None
    if date_spec and day is None:
        return None
    bare_weekday = bool(date_spec) and date_spec[0] in ("weekday", "weekend") and date_spec[1] == "bare"
    if clock is not None:
        return _resolve_clock(clock, pod, day, now, bare_weekday)
    if pod is not None:
        return _resolve_pod(pod, day, now, bare_weekday)
    return Resolved(datetime.combine(day, time(0, 0)), "day")


def _resolve_clock(clock, pod, day, now, bare_weekday) -> Optional[Resolved]:
    hm = resolve_hour(clock, pod)
    if hm is None:
        return None
    hour, minute, day_offset = hm
    grain = "minute" if clock[1] is not None else "hour"
    base = day if day is not None else now.date()
    value = datetime.combine(base + timedelta(days=day_offset), time(hour, minute))
    if day is None and value < now.replace(second=0, microsecond=0):
        value += timedelta(days=1)
    elif bare_weekday and value < now:
        value += timedelta(days=7)
    return Resolved(value, grain)


def _resolve_pod(pod, day, now, bare_weekday) -> Resolved:
    start_h, end_h = PODS[pod]
    base = day if day is not None else now.date()
    start = datetime.combine(base, time(start_h, 0))
    end = start + timedelta(hours=end_h - start_h)
    if pod == "noon":
        if (day is None and start < now) or (bare_weekday and start < now):
            start += timedelta(days=7 if bare_weekday else 1)
        return Resolved(start, "hour")
    if (day is None or bare_weekday) and end <= now:
        shift = timedelta(days=7 if bare_weekday else 1)
        start, end = start + shift, end + shift
    return Resolved(start, "hour", start, end)


# --------------------------------------------------------------------------------------
# Time zones and output
# --------------------------------------------------------------------------------------
def get_tz(tz: Union[str, tzinfo, None]) -> tzinfo:
    if isinstance(tz, tzinfo):
        return tz
    name = tz or DEFAULT_TZ
    try:
        from zoneinfo import ZoneInfo
        return ZoneInfo(name)
    except Exception:  # no system tzdata, or unknown name
        pass
    try:
        import pytz
        return pytz.timezone(name)
    except Exception:
        logger.warning("Unknown timezone %r, using %s", tz, DEFAULT_TZ)
        if name != DEFAULT_TZ:
            return get_tz(DEFAULT_TZ)
        return timezone(timedelta(hours=8))


def localize(naive: datetime, tz: tzinfo) -> datetime:
    """Attach ``tz`` to a wall-clock time, moving non-existent (DST gap) times forward."""
    if hasattr(tz, "localize"):  # pytz
        return tz.normalize(tz.localize(naive))
    aware = naive.replace(tzinfo=tz)
    return aware.astimezone(timezone.utc).astimezone(tz)


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="milliseconds")


def local_now(now: datetime, tz: tzinfo) -> datetime:
    if not isinstance(now, datetime):
        now = datetime.now(timezone.utc)
    if now.tzinfo is None or now.tzinfo.utcoffset(now) is None:
        return now.replace(tzinfo=None)
    return now.astimezone(tz).replace(tzinfo=None)


def _entity(original: str, group: Group, resolved: Resolved, tz: tzinfo, now_aware) -> dict:
    if resolved.grain == "minute" and group.first("rel") is not None:
        instant = now_aware.astimezone(timezone.utc) + group.first("rel")
        value = instant.astimezone(tz).replace(second=0, microsecond=0)
    else:
        value = localize(resolved.value, tz)
    info = {"grain": resolved.grain, "value": iso(value)}
    if resolved.start is not None and resolved.end is not None:
        info["from"] = iso(localize(resolved.start, tz))
        info["to"] = iso(localize(resolved.end, tz))
    return {
        "entity": "time",
        "start": group.start,
        "end": group.end,
        "text": original[group.start:group.end],
        "value": iso(value),
        "confidence": 1.0,
        "additional_info": info,
    }


def _range_context(prev: Optional[Group], prev_value: Optional[Resolved], cur: Group,
                   norm: str) -> Optional[tuple]:
    """For '明天下午3点到5点' / '9点到18点': the start of a range lends the end its day and
    part of day. Returns (date spec, part of day) or None."""
    if prev is None or prev_value is None:
        return None
    if cur.first("date") is not None or cur.first("clock") is None or cur.first("rel") is not None:
        return None
    if prev.first("clock") is None or prev.first("rel") is not None:
        return None
    if not _RANGE_GAP.fullmatch(norm[prev.end:cur.start]):
        return None
    day = prev_value.value.date()
    return ("ymd", day.year, day.month, day.day), prev.first("pod")


def parse(text: str, now: datetime, tz: Union[str, tzinfo] = DEFAULT_TZ) -> list:
    """Find time expressions in ``text``; see the module docstring for the rules."""
    try:
        if not isinstance(text, str) or not text:
            return []
        text = text[:MAX_TEXT]
        zone = get_tz(tz)
        now_local = local_now(now, zone)
        now_aware = localize(now_local, zone)
        norm = normalise(text)
        groups = group_tokens(tokenize(norm, text), norm)
        entities, prev, prev_value = [], None, None
        for group in groups:
            resolved = None
            try:
                context = _range_context(prev, prev_value, group, norm)
                resolved = resolve_group(group, now_local, context)
                if resolved is not None:
                    entities.append(_entity(text, group, resolved, zone, now_aware))
            except Exception:  # one odd expression must not lose the others
                logger.debug("time expression skipped", exc_info=True)
            prev, prev_value = group, resolved
        return entities
    except Exception:
        logger.debug("time parsing failed", exc_info=True)
        return []


# --------------------------------------------------------------------------------------
# Dates and clock times that do not exist (2月30日, April 31, 25:00): found so the customer
# can be told so, instead of being asked the same question again.
# --------------------------------------------------------------------------------------
_ANY_CN = "[零〇一二两三四五六七八九十]{1,4}"
_IMPOSSIBLE_DATES = [
    re.compile(r"(?<![0-9])\d{4}(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![0-9])"),
    re.compile(rf"(?<![0-9])(?P<m>\d{{1,2}}|{_ANY_CN})月份?(?P<d>\d{{1,2}}|{_ANY_CN})(?:日|号)"),
    re.compile(rf"\b{MONTH}\s*(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![0-9a-z:])"),
    re.compile(rf"(?<![0-9a-z.\-/])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:of\s+)?{MONTH}"),
    re.compile(r"(?<![0-9a-z\-/.:$¥#+])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?![0-9]|/\d)"),
]
_IMPOSSIBLE_CLOCKS = [
    re.compile(r"(?<![0-9:.])(?P<h>\d{1,2})[:：](?P<mi>\d{2})(?![0-9])"),
    re.compile(rf"(?<![0-9{_CNN}])(?P<h>\d{{1,2}}|{_ANY_CN})(?:点|點)"),
]


def impossible(text: str) -> Optional[str]:
    """The first date or clock time in ``text`` that does not exist ("2月30日", "April 31",
    "25:00", "二十五点"), as written; None when there is none. 29 February counts as real."""
    if not isinstance(text, str) or not text:
        return None
    text = text[:MAX_TEXT]
    norm = normalise(text)
    for pattern in _IMPOSSIBLE_DATES:
        for match in pattern.finditer(norm):
            if not _real_date(_month_of(match), to_int(match.group("d"))):
                return text[match.start():match.end()].strip()
    for pattern in _IMPOSSIBLE_CLOCKS:
        for match in pattern.finditer(norm):
            hour = to_int(match.group("h"))
            minute = to_int(match.groupdict().get("mi") or "0")
            if hour is not None and minute is not None and (hour > 24 or minute > 59 or (hour == 24 and minute)):
                return text[match.start():match.end()].strip()
    return None


def _month_of(match: re.Match) -> Optional[int]:
    named = match.groupdict()
    if named.get("mon"):
        return _MONTHS.index(named["mon"][:3]) + 1
    return to_int(named.get("m") or "")


def _real_date(month: Optional[int], day: Optional[int]) -> bool:
    if month is None or day is None:
        return True  # not a number after all: nothing to say about it
    if not 1 <= month <= 12 or day < 1:
        return False
    return day <= calendar.monthrange(2028, month)[1]  # a leap year: 29 February exists
