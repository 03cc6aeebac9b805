"""Rule-based extraction of structured identifiers from customer messages.

Pure Python (standard library only, no rasa / rasa_sdk import) so that it can be
used by the NLU component, by the action server for slot validation and by
scripts.  Customers write Simplified Chinese, Traditional Chinese and English,
often mixed, sometimes with fullwidth characters.

Public API
----------
``extract(text) -> list[dict]``
    Entity dicts in Rasa's shape::

        {"entity": name, "start": int, "end": int, "value": canonical, "text": text[start:end]}

    sorted by ``start``.  Offsets always refer to the *original* text.
    Never raises; returns ``[]`` for empty / non-string input.

``normalize_plate(s)``, ``normalize_phone(s)``, ``normalize_vin(s)``,
``parse_mileage(s)``
    Validate a whole (stripped) user answer and return the canonical value or
    ``None``.

Entities and decisions
----------------------
``plate_number``
    Province abbreviation (Simplified or Traditional) + city letter + 5
    (ordinary) or 6 (new-energy) characters, optionally separated from the
    letter by ``·``/``•``/``.``/space/``-``; one optional space is also allowed
    between the province and the letter.  The tail never contains I or O, an
    ordinary tail has at least 3 digits (at most 2 letters), a new-energy tail is
    ``letter + alnum + 4 digits`` (粤BD12345) or ``5 digits + letter``
    (粤B12345F).  Suffix forms ``province + letter + 4 alnum + 学/警/领/使/挂/港/澳``
    (粤A1234学, 京A1234警) are accepted too.  Value: uppercase, no separator,
    Simplified province/suffix (粵B·12345 -> 粤B12345).  Plates without a
    province character and the old "使 + 6 digits" embassy form are not
    extracted (too ambiguous in free text).
``vin``
    Exactly 17 of ``[A-HJ-NPR-Z0-9]``, not glued to other letters/digits, with
    at least one digit and one letter.  No check-digit validation.
``phone``
    Chinese mobiles ``1[3-9]` + 9 digits``, optionally prefixed by ``+86``,
    ``86``, ``0086`` or ``(+86)``, grouped 3-4-4 with spaces/dashes or not at all.
    Value: the 11 digits.  **Landlines are extracted too** when the area code is
    visibly separated: ``020-12345678``, ``020 8888 6666``, ``(0755)88886666``;
    value: digits only, area code included (``02012345678``).  An unseparated
    ``02012345678`` is not a landline (ambiguous).  A phone must not be glued to
    other Latin letters or digits, so it is never taken out of a VIN, an order id
    or a longer digit run.
``mileage``
    Number + unit where unit is 公里/千米/km/kms/kilometers/英里/英哩/miles/mi;
    numbers may be Arabic (``30000``, ``30,000``, ``3.5``), Chinese
    (``三万``, ``两万五`` = 25000, ``八千五`` = 8500), mixed (``5千``, ``1万5``,
    ``3.5万``, ``3w``) or carry a ``k`` multiplier.  A trailing 多/余 ("3万多公里")
    is tolerated (value 30000).  Value: int km, miles converted with 1.609344
    and rounded half-up.  A bare number is not mileage, except ``30k`` glued to
    the number and not preceded by a currency sign (``$``, ``¥``, RMB, USD...)
    nor followed by a money word (元, 块, 刀, 美元, dollars, usd, rmb...) or by
    a screen-resolution word (4K屏).  Speeds (120km/h, 公里/小时, 时速120公里),
    fuel consumption (6L/100km, 百公里油耗) and EV range (续航500公里) are not
    mileage.  Values above 2,000,000 km are rejected.
``order_id``
    Repair orders ``RO-YYYYMMDD-NNNN`` and appointments ``AP-YYYYMMDD-NNNN``;
    separators may be ``-``, ``_``, a space, or nothing; case-insensitive.  The
    date must be a real calendar date with a year in 2000..2099.  Value:
    uppercase with dashes.
``ticket_id``
    Complaints ``CP-YYYY-NNNNN`` with the same tolerance (year 2000..2099).

Fullwidth ASCII (U+FF01..U+FF5E except the fullwidth comma, which is Chinese
punctuation rather than a thousands separator), the ideographic space, the
various dashes and middle dots are mapped 1:1 to ASCII for matching, so offsets
are unchanged.  When spans overlap, the longest candidate wins (ties:
order_id > ticket_id > vin > plate_number > phone > mileage).
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from nlu.components.script import to_simplified

__all__ = [
    "extract",
    "normalize_plate",
    "normalize_phone",
    "normalize_vin",
    "parse_mileage",
    "ENTITY_NAMES",
]

ENTITY_NAMES = ("plate_number", "vin", "phone", "mileage", "order_id", "ticket_id")

MAX_MILEAGE_KM = 2_000_000
_MILE_KM = Decimal("1.609344")

# --------------------------------------------------------------------------
# Normalisation (1:1 per character, so offsets are preserved)
# --------------------------------------------------------------------------


def _build_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for cp in range(0xFF01, 0xFF5F):
        if cp == 0xFF0C:  # keep the fullwidth comma as Chinese punctuation
            continue
        table[cp] = cp - 0xFEE0
    for cp in range(ord("a"), ord("z") + 1):
        table[cp] = cp - 32
    # fullwidth lowercase -> uppercase ASCII directly
    for cp in range(0xFF41, 0xFF5B):
        table[cp] = cp - 0xFEE0 - 32
    for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
               0x2008, 0x2009, 0x200A, 0x202F, 0x205F):
        table[cp] = 0x20
    for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63):
        table[cp] = ord("-")
    for cp in (0x2022, 0x30FB, 0x2027, 0x2219, 0xFF65, 0x22C5):
        table[cp] = 0x00B7  # middle dot
    table[0xFFE5] = 0x00A5  # fullwidth yen sign -> ¥
    table[0xFF04] = ord("$")
    return table


_TABLE = _build_table()


def _normalize(text: str) -> str:
    """Simplified script (OpenCC), fullwidth -> halfwidth, ASCII upper-case, unify spaces/dashes/dots."""
    out = to_simplified(text).translate(_TABLE)
    if len(out) != len(text):  # cannot happen with a 1:1 table; be paranoid
        return text.upper() if len(text.upper()) == len(text) else text
    return out


# --------------------------------------------------------------------------
# Plates
# --------------------------------------------------------------------------

_PROVINCES_SIMPLIFIED = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PROVINCE_CLASS = "[" + _PROVINCES_SIMPLIFIED + "]"
_PLATE_ALNUM = "[A-HJ-NP-Z0-9]"  # no I / O on Chinese plates
_PLATE_SEP = "[·. -]"

_PLATE_RE = re.compile(
    rf"(?P<prov>{_PROVINCE_CLASS}) ?(?P<letter>[A-Z]){_PLATE_SEP}?"
    rf"(?:(?P<tail4>{_PLATE_ALNUM}{{4}})(?P<suffix>[学警领使挂港澳])"
    rf"|(?P<tail>{_PLATE_ALNUM}{{5,6}})(?![A-Z0-9]))"
)
_NEW_ENERGY_TAIL = re.compile(r"[A-HJ-NP-Z][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[A-HJ-NP-Z]")


def _plate_value(m: re.Match) -> str | None:
    prov = m.group("prov")
    letter = m.group("letter")
    if m.group("tail4") is not None:
        tail = m.group("tail4")
        if sum(c.isdigit() for c in tail) < 2:
            return None
        suffix = m.group("suffix")
        return f"{prov}{letter}{tail}{suffix}"
    tail = m.group("tail")
    if len(tail) == 5:
        if sum(c.isdigit() for c in tail) < 3:
            return None
    elif not _NEW_ENERGY_TAIL.fullmatch(tail):
        return None
    return f"{prov}{letter}{tail}"


# --------------------------------------------------------------------------
# VIN
# --------------------------------------------------------------------------

_VIN_RE = re.compile(r"(?<![A-Z0-9])[A-HJ-NPR-Z0-9]{17}(?![A-Z0-9])")


def _vin_value(m: re.Match) -> str | None:
    s = m.group(0)
    if not any(c.isdigit() for c in s) or not any(c.isalpha() for c in s):
        return None
    return s


# --------------------------------------------------------------------------
# Phones
# --------------------------------------------------------------------------

_MOBILE_RE = re.compile(
    r"(?<![0-9A-Z+])"
    r"(?:(?:\+86|0086|86|\(\+?86\)|\+\(86\))[ -]?)?"
    r"(?P<num>1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4})"
    r"(?![0-9A-Z])(?!-[0-9])"
)
_LANDLINE_RE = re.compile(
    r"(?<![0-9A-Z])"
    r"(?:\((?P<ac1>010|02[0-9]|0[3-9][0-9]{2})\) ?|(?P<ac2>010|02[0-9]|0[3-9][0-9]{2})[ -])"
    r"(?P<local>[1-9][0-9]{2,3}[ -]?[0-9]{4})"
    r"(?![0-9A-Z])(?!-[0-9])"
)


def _mobile_value(m: re.Match) -> str | None:
    return re.sub(r"[^0-9]", "", m.group("num"))


def _landline_value(m: re.Match) -> str | None:
    ac = m.group("ac1") or m.group("ac2")
    local = re.sub(r"[^0-9]", "", m.group("local"))
    if len(local) not in (7, 8):
        return None
    return ac + local


# --------------------------------------------------------------------------
# Order / appointment / complaint ids
# --------------------------------------------------------------------------

_ID_SEP = r"(?: ?[-_] ?| )?"
_ORDER_RE = re.compile(
    rf"(?<![A-Z0-9])(?P<kind>RO|AP){_ID_SEP}(?P<date>[0-9]{{8}}){_ID_SEP}(?P<seq>[0-9]{{4}})(?![A-Z0-9])"
)
_TICKET_RE = re.compile(
    rf"(?<![A-Z0-9])CP{_ID_SEP}(?P<year>[0-9]{{4}}){_ID_SEP}(?P<seq>[0-9]{{5}})(?![A-Z0-9])"
)


def _order_value(m: re.Match) -> str | None:
    d = m.group("date")
    try:
        date = _dt.date(int(d[:4]), int(d[4:6]), int(d[6:]))
    except ValueError:
        return None
    if not 2000 <= date.year <= 2099:
        return None
    return f"{m.group('kind')}-{d}-{m.group('seq')}"


def _ticket_value(m: re.Match) -> str | None:
    year = int(m.group("year"))
    if not 2000 <= year <= 2099:
        return None
    return f"CP-{m.group('year')}-{m.group('seq')}"


# --------------------------------------------------------------------------
# Mileage
# --------------------------------------------------------------------------

_AR = r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,3}|[0-9]{1,9})(?:\.[0-9]{1,3})?"
_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000, "K": 1000}
_CN_BIG = {"万": 10000, "萬": 10000, "W": 10000}
_CN_ANY = "零〇一二两兩三四五六七八九十百千万萬"
# one leading token, then at most 8 (Chinese char + optional Arabic number);
# bounded and unambiguous, so no catastrophic backtracking.
_NUM_EXPR = rf"(?:{_AR}|[一二两兩三四五六七八九十])(?:[{_CN_ANY}](?:{_AR})?){{0,8}}"
_KM_UNIT = r"(?:公里|千米|(?:KMS?|KILOMET(?:ER|RE)S?)(?![A-Z]))"
_MI_UNIT = r"(?:英里|英哩|(?:MILES?|MI)(?![A-Z]))"

_MILEAGE_RE = re.compile(
    rf"(?<![0-9A-Z./{_CN_ANY}几幾数數])(?<![0-9],)"
    rf"(?:(?P<num>{_NUM_EXPR}) ?(?:(?P<mult>[KW]) ?)?(?:多|余|餘|来|來)? ?"
    rf"(?:(?P<km>{_KM_UNIT})|(?P<mi>{_MI_UNIT}))"
    rf"|(?P<bnum>{_AR})K(?![A-Z0-9]))"
)
_SPEED_AFTER = re.compile(
    r" ?(?:/ ?(?:H(?![A-Z])|HR|HOUR|小时|小時|时|時|L(?![A-Z])|升|公升)|每 ?(?:小时|小時|时|時)"
    r"|PER ?(?:H(?![A-Z])|HR|HOUR))"
)
_BAD_CONTEXT_BEFORE = re.compile(r"(?:时速|時速|限速|车速|車速|速度|续航|續航|RANGE|/)[^0-9]{0,4}$")
_CURRENCY_BEFORE = re.compile(r"(?:[$¥€£]|RMB|USD|CNY|HKD|NTD|EUR|US\$|HK\$|NT\$)\s?$")
_NOT_MILEAGE_AFTER_K = re.compile(
    r" ?(?:元|块|塊|刀|圆|圓|美元|美金|人民币|人民幣|港币|港幣|欧元|歐元|\$|¥|"
    r"(?:DOLLARS?|BUCKS|USD|RMB|CNY|YUAN|EUR|HKD)(?![A-Z])|"
    r"屏|视频|視頻|分辨率|高清|画质|畫質|录像|錄像|显示|顯示|"
    r"(?:HDR|UHD|TV|VIDEO|RESOLUTION|DISPLAY|SCREEN|MONITOR)(?![A-Z]))"
)


def _to_decimal(s: str) -> Decimal | None:
    try:
        return Decimal(s.replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


_TOKEN_RE = re.compile(rf"{_AR}|[{_CN_ANY}KW]")


def _parse_number(expr: str) -> Decimal | None:
    """Parse '30000', '3.5万', '两万五', '1万5千', '5千', '30K' ... into a Decimal."""
    tokens = _TOKEN_RE.findall(expr)
    if "".join(tokens) != expr or not tokens:
        return None
    total = Decimal(0)
    section = Decimal(0)
    num: Decimal | None = None
    num_is_single_digit = False
    last_small: int | None = None  # last 十/百/千 in this section
    last_mult: int | None = None  # multiplier that directly preceded `num`
    seen_big = False
    for tok in tokens:
        if tok in _CN_DIGITS:
            if num is not None:
                return None
            if _CN_DIGITS[tok] == 0:
                last_mult = None  # "一万零五" -> no abbreviation
                continue
            num = Decimal(_CN_DIGITS[tok])
            num_is_single_digit = True
        elif tok in _CN_SMALL:
            m = _CN_SMALL[tok]
            if num is None:
                if m == 10 and tok == "十":
                    num = Decimal(1)
                else:
                    return None
            if last_small is not None and last_small <= m:
                return None
            section += num * m
            num = None
            last_small = m
            last_mult = m
        elif tok in _CN_BIG:
            if seen_big:
                return None
            if num is not None:
                section += num
                num = None
            if section == 0:
                return None
            total = section * _CN_BIG[tok]
            section = Decimal(0)
            last_small = None
            last_mult = _CN_BIG[tok]
            seen_big = True
        else:  # Arabic number
            if num is not None:
                return None
            num = _to_decimal(tok)
            if num is None:
                return None
            num_is_single_digit = len(tok) == 1
    if num is not None:
        if last_mult is not None and last_mult >= 100 and num_is_single_digit:
            section += num * (last_mult // 10)  # 两万五 = 25000, 八千五 = 8500
        else:
            section += num
    return total + section


def _round_km(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _mileage_from_match(m: re.Match, norm: str, check_context: bool = True) -> int | None:
    if m.group("bnum") is not None:
        value = _to_decimal(m.group("bnum"))
        if value is None:
            return None
        if check_context:
            if _CURRENCY_BEFORE.search(norm, max(0, m.start() - 6), m.start()):
                return None
            if _NOT_MILEAGE_AFTER_K.match(norm, m.end()):
                return None
        km = value * 1000
    else:
        expr = m.group("num") + (m.group("mult") or "")
        value = _parse_number(expr)
        if value is None:
            return None
        km = value * _MILE_KM if m.group("mi") else value
        if check_context and _SPEED_AFTER.match(norm, m.end()):
            return None
    if check_context and _BAD_CONTEXT_BEFORE.search(norm, max(0, m.start() - 8), m.start()):
        return None
    result = _round_km(km)
    if result < 0 or result > MAX_MILEAGE_KM:
        return None
    return result


# --------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------

# (entity, regex, value function, tie-break priority: lower wins)
_MATCHERS = (
    ("order_id", _ORDER_RE, _order_value, 0),
    ("ticket_id", _TICKET_RE, _ticket_value, 1),
    ("vin", _VIN_RE, _vin_value, 2),
    ("plate_number", _PLATE_RE, _plate_value, 3),
    ("phone", _MOBILE_RE, _mobile_value, 4),
    ("phone", _LANDLINE_RE, _landline_value, 5),
)

_MAX_CANDIDATES_PER_MATCHER = 500


def _candidates(norm: str):
    for name, regex, value_fn, prio in _MATCHERS:
        yield from _scan(norm, name, regex, lambda m, f=value_fn: f(m), prio)
    yield from _scan(norm, "mileage", _MILEAGE_RE, lambda m: _mileage_from_match(m, norm), 6)


def _scan(norm: str, name: str, regex: re.Pattern, value_fn, prio: int):
    """Like finditer, but when validation rejects a match retry one char later."""
    pos = 0
    found = 0
    n = len(norm)
    while pos <= n and found < _MAX_CANDIDATES_PER_MATCHER:
        m = regex.search(norm, pos)
        if m is None:
            return
        try:
            value = value_fn(m)
        except Exception:  # defensive: extraction must never raise
            value = None
        if value is not None and m.end() > m.start():
            found += 1
            yield (m.start(), m.end(), name, value, prio)
            pos = m.end()
        else:
            pos = m.start() + 1


def extract(text: str) -> list[dict]:
    """Return all pattern entities in ``text`` (Rasa entity dicts, sorted by start)."""
    if not isinstance(text, str) or not text:
        return []
    try:
        norm = _normalize(text)
        cands = list(_candidates(norm))
        # longest first, then by priority, then leftmost
        cands.sort(key=lambda c: (-(c[1] - c[0]), c[4], c[0]))
        taken: list[tuple[int, int]] = []
        chosen = []
        for start, end, name, value, prio in cands:
            if any(start < e and s < end for s, e in taken):
                continue
            taken.append((start, end))
            chosen.append((start, end, name, value))
        chosen.sort(key=lambda c: c[0])
        return [
            {"entity": name, "start": start, "end": end, "value": value, "text": text[start:end]}
            for start, end, name, value in chosen
        ]
    except Exception:  # pragma: no cover - last line of defence
        return []


# --------------------------------------------------------------------------
# Validation helpers for the dialogue layer
# --------------------------------------------------------------------------

_STRIP_CHARS = " \t\r\n\u3000。，,.!！?？;；:：、\"'“”‘’「」『』()（）[]【】"


def _prepare(s) -> str | None:
    if not isinstance(s, str):
        return None
    norm = _normalize(s).strip(_STRIP_CHARS)
    return norm or None


def _full(regex: re.Pattern, norm: str) -> re.Match | None:
    m = regex.match(norm)
    if m is None or m.end() != len(norm):
        return None
    return m


def normalize_plate(s) -> str | None:
    """'粵b·12345' -> '粤B12345'; None if ``s`` is not exactly one plate."""
    norm = _prepare(s)
    if norm is None:
        return None
    m = _full(_PLATE_RE, norm)
    return _plate_value(m) if m else None


def normalize_phone(s, mobile_only: bool = False) -> str | None:
    """'+86 138-1234-5678' -> '13812345678'; landlines -> digits with area code.

    With ``mobile_only=True`` landlines are rejected.  None if invalid.
    """
    norm = _prepare(s)
    if norm is None:
        return None
    m = _full(_MOBILE_RE, norm)
    if m:
        return _mobile_value(m)
    if mobile_only:
        return None
    m = _full(_LANDLINE_RE, norm)
    return _landline_value(m) if m else None


def normalize_vin(s) -> str | None:
    """'lsvau2180n2183294' -> 'LSVAU2180N2183294'; None if not a 17-char VIN."""
    norm = _prepare(s)
    if norm is None:
        return None
    norm = norm.replace(" ", "").replace("-", "")  # VINs typed in groups
    m = _full(_VIN_RE, norm)
    return _vin_value(m) if m else None


_BARE_NUMBER_RE = re.compile(rf"(?P<num>{_NUM_EXPR}) ?(?:(?P<mult>[KW]))?(?:多|余|餘)?")


def parse_mileage(s, assume_km: bool = False) -> int | None:
    """'3.5万公里' -> 35000, '12k miles' -> 19312; None if invalid.

    ``s`` must be a single mileage expression.  A bare number without unit is
    rejected (except ``30k``) unless ``assume_km=True`` (use it when the bot
    has just asked for the mileage: '30000', '三万' -> km).
    """
    norm = _prepare(s)
    if norm is None:
        return None
    try:
        m = _full(_MILEAGE_RE, norm)
        if m:
            return _mileage_from_match(m, norm, check_context=False)
        if assume_km:
            m = _full(_BARE_NUMBER_RE, norm)
            if m:
                value = _parse_number(m.group("num") + (m.group("mult") or ""))
                if value is None:
                    return None
                result = _round_km(value)
                return result if 0 <= result <= MAX_MILEAGE_KM else None
    except Exception:
        return None
    return None


_LOOSE_PLATE_RE = re.compile(r"^(?=[A-Z0-9]*[0-9])(?=[A-Z0-9]*[A-Z])[A-Z0-9]{2,8}$")
_PLATE_FRAME_RE = re.compile(
    r"^(?:(?:my |the )?(?:licen[cs]e )?(?:plate|reg(?:istration)?)(?: number| no\.?)?(?: is)?[: ]*)", re.I
)


def loose_plate(s) -> str | None:
    """A plate given as the answer to "which car?": Chinese formats, or the 2-8 letters and
    digits of other countries' plates ("7ABC123", "plate is 8xyz 789"). Only for direct answers:
    in free text such strings are too easily something else."""
    chinese = normalize_plate(s)
    if chinese:
        return chinese
    if not isinstance(s, str):
        return None
    compact = re.sub(r"[\s\-·.]", "", _PLATE_FRAME_RE.sub("", s.strip())).upper()
    return compact if _LOOSE_PLATE_RE.match(compact) else None


def loose_phone(s) -> str | None:
    """A phone given as the answer to "your number?": Chinese numbers, or a North American
    one ((408) 555-0134, +1 408 555 0134) as its 11 digits with the country code."""
    found = normalize_phone(s)
    if found:
        return found
    if not isinstance(s, str) or re.search(r"[^\d\s()+\-.]", s.strip()):
        return None
    digits = re.sub(r"\D", "", s)
    if len(digits) == 10 and digits[0] not in "01":
        return "1" + digits
    if len(digits) == 11 and digits[0] == "1" and digits[1] not in "01":
        return digits
    return None


def last_four(s) -> str | None:
    """"5678" typed as the last 4 digits of the phone on record."""
    if not isinstance(s, str):
        return None
    digits = s.strip()
    return digits if len(digits) == 4 and digits.isascii() and digits.isdigit() else None
