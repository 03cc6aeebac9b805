"""Tests for nlu/components/time_parser.py (the rule-based Chinese/English time parser).

Cases live in module-level lists so that a script can import them and print an accuracy
figure: ZH_CASES, EN_CASES (positive, one expected entity each), MULTI_CASES (several
entities), NEGATIVE_CASES (must give no entity). A positive case is
``(now_key, text, expected_span, expected_value, grain, expected_to)``: ``expected_value``
is "YYYY-MM-DD HH:MM" in the dealer's zone (+08:00 unless a full ISO string is given),
``expected_to`` is the end of a part-of-day interval (None for points and days).
``run_case(case)`` returns a list of problems (empty when the case passes).
"""
from __future__ import annotations

import importlib.util
import pathlib
import random
import sys
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

try:
    from nlu.components.time_parser import parse
except Exception:  # package __init__ not importable here: load the file itself
    _PATH = pathlib.Path(__file__).resolve().parents[2] / "nlu" / "components" / "time_parser.py"
    _SPEC = importlib.util.spec_from_file_location("time_parser_under_test", _PATH)
    _MOD = importlib.util.module_from_spec(_SPEC)
    sys.modules[_SPEC.name] = _MOD  # dataclasses look their module up while it loads
    _SPEC.loader.exec_module(_MOD)
    parse = _MOD.parse

SH = ZoneInfo("Asia/Shanghai")
LA = ZoneInfo("America/Los_Angeles")

# name -> (now, dealer timezone)
NOWS = {
    "wed": (datetime(2026, 3, 11, 14, 30, tzinfo=SH), "Asia/Shanghai"),      # Wednesday afternoon
    "late": (datetime(2026, 3, 11, 22, 15, tzinfo=SH), "Asia/Shanghai"),     # Wednesday late evening
    "sat": (datetime(2026, 3, 14, 10, 0, tzinfo=SH), "Asia/Shanghai"),       # Saturday morning
    "sun": (datetime(2026, 3, 15, 9, 0, tzinfo=SH), "Asia/Shanghai"),        # Sunday morning
    "dec28": (datetime(2026, 12, 28, 10, 0, tzinfo=SH), "Asia/Shanghai"),    # Monday before new year
    "jan31": (datetime(2026, 1, 31, 9, 0, tzinfo=SH), "Asia/Shanghai"),      # end of a month
    "la": (datetime(2026, 3, 7, 10, 0, tzinfo=LA), "America/Los_Angeles"),   # day before DST starts
    "la_fall": (datetime(2026, 10, 31, 12, 0, tzinfo=LA), "America/Los_Angeles"),  # before DST ends
}


def iso(short: str) -> str:
    """'2026-03-12 10:00' -> '2026-03-12T10:00:00.000+08:00'; full ISO strings pass through."""
    if "T" in short:
        return short
    return short.replace(" ", "T") + ":00.000+08:00"


# ------------------------------------------------------------------------------------------
# Chinese (now "wed" = Wednesday 2026-03-11 14:30 Asia/Shanghai unless the key says otherwise)
# ------------------------------------------------------------------------------------------
ZH_CASES = [
    # relative days
    ("wed", "今天", "今天", "2026-03-11 00:00", "day", None),
    ("wed", "明天", "明天", "2026-03-12 00:00", "day", None),
    ("wed", "后天", "后天", "2026-03-13 00:00", "day", None),
    ("wed", "大后天", "大后天", "2026-03-14 00:00", "day", None),
    ("wed", "明儿下午", "明儿下午", "2026-03-12 12:00", "hour", "2026-03-12 18:00"),
    ("wed", "今儿晚上", "今儿晚上", "2026-03-11 18:00", "hour", "2026-03-11 22:00"),
    ("wed", "明早", "明早", "2026-03-12 08:00", "hour", "2026-03-12 12:00"),
    ("wed", "今晚", "今晚", "2026-03-11 18:00", "hour", "2026-03-11 22:00"),
    ("wed", "今早", "今早", "2026-03-11 08:00", "hour", "2026-03-11 12:00"),
    ("wed", "明晚", "明晚", "2026-03-12 18:00", "hour", "2026-03-12 22:00"),
    # weekdays (bare = nearest upcoming including today)
    ("wed", "周一", "周一", "2026-03-16 00:00", "day", None),
    ("wed", "周三", "周三", "2026-03-11 00:00", "day", None),
    ("wed", "周五", "周五", "2026-03-13 00:00", "day", None),
    ("wed", "星期六", "星期六", "2026-03-14 00:00", "day", None),
    ("wed", "星期天", "星期天", "2026-03-15 00:00", "day", None),
    ("wed", "礼拜二", "礼拜二", "2026-03-17 00:00", "day", None),
    ("wed", "礼拜日", "礼拜日", "2026-03-15 00:00", "day", None),
    ("wed", "周4", "周4", "2026-03-12 00:00", "day", None),
    ("wed", "星期7", "星期7", "2026-03-15 00:00", "day", None),
    ("wed", "这周五", "这周五", "2026-03-13 00:00", "day", None),
    ("wed", "本周一", "本周一", "2026-03-09 00:00", "day", None),
    ("wed", "本周日", "本周日", "2026-03-15 00:00", "day", None),
    ("wed", "这个礼拜六", "这个礼拜六", "2026-03-14 00:00", "day", None),
    ("wed", "下周三", "下周三", "2026-03-18 00:00", "day", None),
    ("wed", "下周日", "下周日", "2026-03-22 00:00", "day", None),
    ("wed", "下下周二", "下下周二", "2026-03-24 00:00", "day", None),
    ("wed", "下个星期四", "下个星期四", "2026-03-19 00:00", "day", None),
    ("wed", "下个礼拜一", "下个礼拜一", "2026-03-16 00:00", "day", None),
    ("wed", "下礼拜五", "下礼拜五", "2026-03-20 00:00", "day", None),
    ("wed", "周末", "周末", "2026-03-14 00:00", "day", None),
    # month / day
    ("wed", "12月3日", "12月3日", "2026-12-03 00:00", "day", None),
    ("wed", "3月20号", "3月20号", "2026-03-20 00:00", "day", None),
    ("wed", "3月5日", "3月5日", "2027-03-05 00:00", "day", None),
    ("wed", "十二月三日", "十二月三日", "2026-12-03 00:00", "day", None),
    ("wed", "五月一号", "五月一号", "2026-05-01 00:00", "day", None),
    ("wed", "15号", "15号", "2026-03-15 00:00", "day", None),
    ("wed", "5号", "5号", "2026-04-05 00:00", "day", None),
    ("wed", "十一号", "十一号", "2026-03-11 00:00", "day", None),
    ("wed", "二十八号", "二十八号", "2026-03-28 00:00", "day", None),
    ("wed", "12/3", "12/3", "2026-12-03 00:00", "day", None),
    ("wed", "4/1", "4/1", "2026-04-01 00:00", "day", None),
    ("wed", "2026年4月8日", "2026年4月8日", "2026-04-08 00:00", "day", None),
    ("wed", "2027年1月15日", "2027年1月15日", "2027-01-15 00:00", "day", None),
    ("wed", "二〇二六年五月二十日", "二〇二六年五月二十日", "2026-05-20 00:00", "day", None),
    ("wed", "明年3月5日", "明年3月5日", "2027-03-05 00:00", "day", None),
    ("wed", "下个月5号", "下个月5号", "2026-04-05 00:00", "day", None),
    ("wed", "本月20号", "本月20号", "2026-03-20 00:00", "day", None),
    ("wed", "下个月15号上午10点", "下个月15号上午10点", "2026-04-15 10:00", "hour", None),
    ("wed", "4月1日下午3点", "4月1日下午3点", "2026-04-01 15:00", "hour", None),
    ("wed", "2026年4月8日上午9点", "2026年4月8日上午9点", "2026-04-08 09:00", "hour", None),
    # parts of the day alone (no date: today unless already over)
    ("wed", "凌晨", "凌晨", "2026-03-12 00:00", "hour", "2026-03-12 06:00"),
    ("wed", "早上", "早上", "2026-03-12 08:00", "hour", "2026-03-12 12:00"),
    ("wed", "上午", "上午", "2026-03-12 08:00", "hour", "2026-03-12 12:00"),
    ("wed", "中午", "中午", "2026-03-12 12:00", "hour", None),
    ("wed", "下午", "下午", "2026-03-11 12:00", "hour", "2026-03-11 18:00"),
    ("wed", "傍晚", "傍晚", "2026-03-11 17:00", "hour", "2026-03-11 19:00"),
    ("wed", "晚上", "晚上", "2026-03-11 18:00", "hour", "2026-03-11 22:00"),
    # clock times alone (bare 1-7 = PM; past today -> tomorrow)
    ("wed", "三点", "三点", "2026-03-11 15:00", "hour", None),
    ("wed", "3点", "3点", "2026-03-11 15:00", "hour", None),
    ("wed", "3点钟", "3点钟", "2026-03-11 15:00", "hour", None),
    ("wed", "15点", "15点", "2026-03-11 15:00", "hour", None),
    ("wed", "15:00", "15:00", "2026-03-11 15:00", "minute", None),
    ("wed", "三点半", "三点半", "2026-03-11 15:30", "minute", None),
    ("wed", "十点一刻", "十点一刻", "2026-03-12 10:15", "minute", None),
    ("wed", "十点三刻", "十点三刻", "2026-03-12 10:45", "minute", None),
    ("wed", "两点", "两点", "2026-03-12 14:00", "hour", None),
    ("wed", "两点十分", "两点十分", "2026-03-12 14:10", "minute", None),
    ("wed", "十二点", "十二点", "2026-03-12 12:00", "hour", None),
    ("wed", "八点", "八点", "2026-03-12 08:00", "hour", None),
    ("wed", "十一点", "十一点", "2026-03-12 11:00", "hour", None),
    ("wed", "二十点", "二十点", "2026-03-11 20:00", "hour", None),
    ("wed", "二十三点", "二十三点", "2026-03-11 23:00", "hour", None),
    ("wed", "零点", "零点", "2026-03-12 00:00", "hour", None),
    ("wed", "十点整", "十点整", "2026-03-12 10:00", "hour", None),
    ("wed", "五点四十五", "五点四十五", "2026-03-11 17:45", "minute", None),
    # part of day + hour
    ("wed", "下午三点", "下午三点", "2026-03-11 15:00", "hour", None),
    ("wed", "晚上8点", "晚上8点", "2026-03-11 20:00", "hour", None),
    ("wed", "上午10点", "上午10点", "2026-03-12 10:00", "hour", None),
    ("wed", "中午12点", "中午12点", "2026-03-12 12:00", "hour", None),
    ("wed", "中午一点", "中午一点", "2026-03-12 13:00", "hour", None),
    ("wed", "凌晨2点", "凌晨2点", "2026-03-12 02:00", "hour", None),
    ("wed", "傍晚6点", "傍晚6点", "2026-03-11 18:00", "hour", None),
    ("wed", "晚上12点", "晚上12点", "2026-03-12 00:00", "hour", None),
    ("wed", "早8点", "早8点", "2026-03-12 08:00", "hour", None),
    ("wed", "晚7点", "晚7点", "2026-03-11 19:00", "hour", None),
    ("wed", "下午两点十分左右", "下午两点十分", "2026-03-12 14:10", "minute", None),
    # date + part of day (+ hour)
    ("wed", "明天下午三点", "明天下午三点", "2026-03-12 15:00", "hour", None),
    ("wed", "后天上午九点半", "后天上午九点半", "2026-03-13 09:30", "minute", None),
    ("wed", "明天中午", "明天中午", "2026-03-12 12:00", "hour", None),
    ("wed", "明天下午", "明天下午", "2026-03-12 12:00", "hour", "2026-03-12 18:00"),
    ("wed", "明天傍晚", "明天傍晚", "2026-03-12 17:00", "hour", "2026-03-12 19:00"),
    ("wed", "周五上午", "周五上午", "2026-03-13 08:00", "hour", "2026-03-13 12:00"),
    ("wed", "周日凌晨", "周日凌晨", "2026-03-15 00:00", "hour", "2026-03-15 06:00"),
    ("wed", "下周二下午两点", "下周二下午两点", "2026-03-17 14:00", "hour", None),
    ("wed", "今晚8点", "今晚8点", "2026-03-11 20:00", "hour", None),
    ("wed", "明早8点半", "明早8点半", "2026-03-12 08:30", "minute", None),
    ("wed", "明天上午十点零五分", "明天上午十点零五分", "2026-03-12 10:05", "minute", None),
    ("wed", "明天上午十点05", "明天上午十点05", "2026-03-12 10:05", "minute", None),
    ("wed", "明天10点30分", "明天10点30分", "2026-03-12 10:30", "minute", None),
    ("wed", "今天 15:30", "今天 15:30", "2026-03-11 15:30", "minute", None),
    ("wed", "明天的下午三点", "明天的下午三点", "2026-03-12 15:00", "hour", None),
    ("wed", "明天3点", "明天3点", "2026-03-12 15:00", "hour", None),
    ("wed", "明天一点", "明天一点", "2026-03-12 13:00", "hour", None),
    ("wed", "周三下午3点", "周三下午3点", "2026-03-11 15:00", "hour", None),
    ("wed", "周三上午10点", "周三上午10点", "2026-03-18 10:00", "hour", None),
    ("wed", "三天后下午三点", "三天后下午三点", "2026-03-14 15:00", "hour", None),
    # relative
    ("wed", "半小时后", "半小时后", "2026-03-11 15:00", "minute", None),
    ("wed", "半个小时以后", "半个小时以后", "2026-03-11 15:00", "minute", None),
    ("wed", "两个小时以后", "两个小时以后", "2026-03-11 16:30", "minute", None),
    ("wed", "3小时后", "3小时后", "2026-03-11 17:30", "minute", None),
    ("wed", "2小时后", "2小时后", "2026-03-11 16:30", "minute", None),
    ("wed", "一个半小时后", "一个半小时后", "2026-03-11 16:00", "minute", None),
    ("wed", "10分钟后", "10分钟后", "2026-03-11 14:40", "minute", None),
    ("wed", "五分钟后", "五分钟后", "2026-03-11 14:35", "minute", None),
    ("wed", "三十分钟之后", "三十分钟之后", "2026-03-11 15:00", "minute", None),
    ("wed", "3天后", "3天后", "2026-03-14 00:00", "day", None),
    ("wed", "两天以后", "两天以后", "2026-03-13 00:00", "day", None),
    ("wed", "过两天", "过两天", "2026-03-13 00:00", "day", None),
    ("wed", "一周后", "一周后", "2026-03-18 00:00", "day", None),
    ("wed", "一个星期以后", "一个星期以后", "2026-03-18 00:00", "day", None),
    # Traditional characters
    ("wed", "下個禮拜三下午兩點", "下個禮拜三下午兩點", "2026-03-18 14:00", "hour", None),
    ("wed", "後天晚上8點", "後天晚上8點", "2026-03-13 20:00", "hour", None),
    ("wed", "禮拜六上午十點", "禮拜六上午十點", "2026-03-14 10:00", "hour", None),
    ("wed", "一個半小時後", "一個半小時後", "2026-03-11 16:00", "minute", None),
    ("wed", "明天下午三點半", "明天下午三點半", "2026-03-12 15:30", "minute", None),
    ("wed", "週五", "週五", "2026-03-13 00:00", "day", None),
    ("wed", "下週一", "下週一", "2026-03-16 00:00", "day", None),
    ("wed", "我想約後天早上九點保養", "後天早上九點", "2026-03-13 09:00", "hour", None),
    ("wed", "兩個小時以後再打給我", "兩個小時以後", "2026-03-11 16:30", "minute", None),
    ("wed", "明天１０：３０", "明天１０：３０", "2026-03-12 10:30", "minute", None),
    # embedded in customer sentences
    ("wed", "我想明天上午10点给粤B12345做个小保养", "明天上午10点", "2026-03-12 10:00", "hour", None),
    ("wed", "我想预约明天下午三点做保养", "明天下午三点", "2026-03-12 15:00", "hour", None),
    ("wed", "能不能改到后天上午十点？", "后天上午十点", "2026-03-13 10:00", "hour", None),
    ("wed", "我的车粤B·D12345想下周一早上9点来换机油", "下周一早上9点", "2026-03-16 09:00", "hour", None),
    ("wed", "周六下午有空位吗", "周六下午", "2026-03-14 12:00", "hour", "2026-03-14 18:00"),
    ("wed", "请帮我约12月3日上午", "12月3日上午", "2026-12-03 08:00", "hour", "2026-12-03 12:00"),
    ("wed", "我大概三点半到店", "三点半", "2026-03-11 15:30", "minute", None),
    ("wed", "麻烦安排在这周五下午两点", "这周五下午两点", "2026-03-13 14:00", "hour", None),
    ("wed", "已经开了3万公里，想下周三来做保养", "下周三", "2026-03-18 00:00", "day", None),
    ("wed", "手机13812345678，明天上午来", "明天上午", "2026-03-12 08:00", "hour", "2026-03-12 12:00"),
    ("wed", "预约AP-20261124-0003改到15号下午3点", "15号下午3点", "2026-03-15 15:00", "hour", None),
    ("wed", "车架号LSVAU2180N2183294，明天能修好吗", "明天", "2026-03-12 00:00", "day", None),
    ("wed", "我半小时后到", "半小时后", "2026-03-11 15:00", "minute", None),
    ("wed", "4个轮胎都要换，后天来可以吗", "后天", "2026-03-13 00:00", "day", None),
    ("wed", "下个月5号要年检", "下个月5号", "2026-04-05 00:00", "day", None),
    ("wed", "晚上8点以后有人接电话吗", "晚上8点", "2026-03-11 20:00", "hour", None),
    ("wed", "明天中午12点半我过来", "明天中午12点半", "2026-03-12 12:30", "minute", None),
    ("wed", "星期天上午有人吗", "星期天上午", "2026-03-15 08:00", "hour", "2026-03-15 12:00"),
    ("wed", "礼拜一下午4点可以吗", "礼拜一下午4点", "2026-03-16 16:00", "hour", None),
    ("wed", "我今天下午五点去取车", "今天下午五点", "2026-03-11 17:00", "hour", None),
    ("wed", "你们明早几点开门", "明早", "2026-03-12 08:00", "hour", "2026-03-12 12:00"),
    ("wed", "想约3月20号下午", "3月20号下午", "2026-03-20 12:00", "hour", "2026-03-20 18:00"),
    ("wed", "那就十点吧", "十点", "2026-03-12 10:00", "hour", None),
    ("wed", "早上好，我想后天来", "后天", "2026-03-13 00:00", "day", None),
    ("wed", "保养大概300元吧？那我周五过来", "周五", "2026-03-13 00:00", "day", None),
    ("wed", "我在京A 88888，10分钟后到店门口", "10分钟后", "2026-03-11 14:40", "minute", None),
    ("wed", "能便宜一点吗？明天下午两点半我来签", "明天下午两点半", "2026-03-12 14:30", "minute", None),
    ("wed", "车子异响，下下周二上午能看吗", "下下周二上午", "2026-03-24 08:00", "hour", "2026-03-24 12:00"),
    ("wed", "电话+86 138 1234 5678，请在今晚联系我", "今晚", "2026-03-11 18:00", "hour", "2026-03-11 22:00"),
    ("wed", "工单RO-20261123-0001什么时候能好？明天下午吗", "明天下午", "2026-03-12 12:00", "hour", "2026-03-12 18:00"),
    ("wed", "我下周四下午三点有空", "下周四下午三点", "2026-03-19 15:00", "hour", None),
    ("wed", "周五早上八点半送车过来", "周五早上八点半", "2026-03-13 08:30", "minute", None),
    ("wed", "麻烦改成12/3下午", "12/3下午", "2026-12-03 12:00", "hour", "2026-12-03 18:00"),
    # rollovers
    ("dec28", "1月3日", "1月3日", "2027-01-03 00:00", "day", None),
    ("dec28", "一月三号上午十点", "一月三号上午十点", "2027-01-03 10:00", "hour", None),
    ("dec28", "12月30日", "12月30日", "2026-12-30 00:00", "day", None),
    ("dec28", "12月25日", "12月25日", "2027-12-25 00:00", "day", None),
    ("dec28", "5号", "5号", "2027-01-05 00:00", "day", None),
    ("dec28", "31号", "31号", "2026-12-31 00:00", "day", None),
    ("dec28", "下个月3号", "下个月3号", "2027-01-03 00:00", "day", None),
    ("dec28", "下周一", "下周一", "2027-01-04 00:00", "day", None),
    ("dec28", "周日", "周日", "2027-01-03 00:00", "day", None),
    ("dec28", "1/3", "1/3", "2027-01-03 00:00", "day", None),
    ("dec28", "大后天", "大后天", "2026-12-31 00:00", "day", None),
    ("jan31", "30号", "30号", "2026-03-30 00:00", "day", None),
    ("jan31", "2月29日", "2月29日", "2028-02-29 00:00", "day", None),
    ("jan31", "下个月28号", "下个月28号", "2026-02-28 00:00", "day", None),
    # weekend now (Saturday 10:00, Sunday 09:00)
    ("sat", "周六", "周六", "2026-03-14 00:00", "day", None),
    ("sat", "周日", "周日", "2026-03-15 00:00", "day", None),
    ("sat", "周五", "周五", "2026-03-20 00:00", "day", None),
    ("sat", "下周一", "下周一", "2026-03-16 00:00", "day", None),
    ("sat", "这周一", "这周一", "2026-03-09 00:00", "day", None),
    ("sat", "下周六", "下周六", "2026-03-21 00:00", "day", None),
    ("sat", "今天下午", "今天下午", "2026-03-14 12:00", "hour", "2026-03-14 18:00"),
    ("sat", "上午", "上午", "2026-03-14 08:00", "hour", "2026-03-14 12:00"),
    ("sat", "周六上午", "周六上午", "2026-03-14 08:00", "hour", "2026-03-14 12:00"),
    ("sat", "周六上午9点", "周六上午9点", "2026-03-21 09:00", "hour", None),
    ("sat", "三点", "三点", "2026-03-14 15:00", "hour", None),
    ("sat", "周末", "周末", "2026-03-14 00:00", "day", None),
    ("sun", "下周一", "下周一", "2026-03-16 00:00", "day", None),
    ("sun", "这周六", "这周六", "2026-03-14 00:00", "day", None),
    ("sun", "下周末", "下周末", "2026-03-21 00:00", "day", None),
    # late evening now (Wednesday 22:15)
    ("late", "三点", "三点", "2026-03-12 15:00", "hour", None),
    ("late", "晚上8点", "晚上8点", "2026-03-12 20:00", "hour", None),
    ("late", "今晚", "今晚", "2026-03-11 18:00", "hour", "2026-03-11 22:00"),
    ("late", "晚上", "晚上", "2026-03-12 18:00", "hour", "2026-03-12 22:00"),
    ("late", "十点半", "十点半", "2026-03-12 10:30", "minute", None),
    ("late", "半小时后", "半小时后", "2026-03-11 22:45", "minute", None),
    ("late", "两小时后", "两小时后", "2026-03-12 00:15", "minute", None),
    ("late", "23:30", "23:30", "2026-03-11 23:30", "minute", None),
    ("late", "8点", "8点", "2026-03-12 08:00", "hour", None),
    # another timezone
    ("la", "明天下午3点", "明天下午3点", "2026-03-08T15:00:00.000-07:00", "hour", None),
    ("la", "今天晚上九点", "今天晚上九点", "2026-03-07T21:00:00.000-08:00", "hour", None),
]

# ------------------------------------------------------------------------------------------
# English
# ------------------------------------------------------------------------------------------
EN_CASES = [
    ("wed", "today", "today", "2026-03-11 00:00", "day", None),
    ("wed", "tomorrow", "tomorrow", "2026-03-12 00:00", "day", None),
    ("wed", "tonight", "tonight", "2026-03-11 18:00", "hour", "2026-03-11 22:00"),
    ("wed", "the day after tomorrow", "the day after tomorrow", "2026-03-13 00:00", "day", None),
    ("wed", "tomorrow morning", "tomorrow morning", "2026-03-12 08:00", "hour", "2026-03-12 12:00"),
    ("wed", "tomorrow afternoon", "tomorrow afternoon", "2026-03-12 12:00", "hour", "2026-03-12 18:00"),
    ("wed", "tomorrow evening", "tomorrow evening", "2026-03-12 18:00", "hour", "2026-03-12 22:00"),
    ("wed", "tomorrow night", "tomorrow night", "2026-03-12 18:00", "hour", "2026-03-12 22:00"),
    ("wed", "this afternoon", "this afternoon", "2026-03-11 12:00", "hour", "2026-03-11 18:00"),
    ("wed", "next Tuesday at 3pm", "next Tuesday at 3pm", "2026-03-17 15:00", "hour", None),
    ("wed", "this Saturday 10:30", "this Saturday 10:30", "2026-03-14 10:30", "minute", None),
    ("wed", "on Friday", "on Friday", "2026-03-13 00:00", "day", None),
    ("wed", "noon", "noon", "2026-03-12 12:00", "hour", None),
    ("wed", "midnight", "midnight", "2026-03-12 00:00", "hour", None),
    ("wed", "Dec 3 at 2 pm", "Dec 3 at 2 pm", "2026-12-03 14:00", "hour", None),
    ("wed", "December 3rd", "December 3rd", "2026-12-03 00:00", "day", None),
    ("wed", "3 Dec", "3 Dec", "2026-12-03 00:00", "day", None),
    ("wed", "12/03 14:00", "12/03 14:00", "2026-12-03 14:00", "minute", None),
    ("wed", "3:30 pm", "3:30 pm", "2026-03-11 15:30", "minute", None),
    ("wed", "10am", "10am", "2026-03-12 10:00", "hour", None),
    ("wed", "at 9", "at 9", "2026-03-12 09:00", "hour", None),
    ("wed", "in 2 hours", "in 2 hours", "2026-03-11 16:30", "minute", None),
    ("wed", "in 30 minutes", "in 30 minutes", "2026-03-11 15:00", "minute", None),
    ("wed", "in 3 days", "in 3 days", "2026-03-14 00:00", "day", None),
    ("wed", "next week Monday", "next week Monday", "2026-03-16 00:00", "day", None),
    ("wed", "Monday next week", "Monday next week", "2026-03-16 00:00", "day", None),
    ("wed", "next Monday morning", "next Monday morning", "2026-03-16 08:00", "hour", "2026-03-16 12:00"),
    ("wed", "this evening at 7", "this evening at 7", "2026-03-11 19:00", "hour", None),
    ("wed", "tonight at 8", "tonight at 8", "2026-03-11 20:00", "hour", None),
    ("wed", "tomorrow at 3", "tomorrow at 3", "2026-03-12 15:00", "hour", None),
    ("wed", "3pm", "3pm", "2026-03-11 15:00", "hour", None),
    ("wed", "11am", "11am", "2026-03-12 11:00", "hour", None),
    ("wed", "2pm", "2pm", "2026-03-12 14:00", "hour", None),
    ("wed", "7:45", "7:45", "2026-03-11 19:45", "minute", None),
    ("wed", "09:30", "09:30", "2026-03-12 09:30", "minute", None),
    ("wed", "18:00", "18:00", "2026-03-11 18:00", "minute", None),
    ("wed", "tomorrow 9:15", "tomorrow 9:15", "2026-03-12 09:15", "minute", None),
    ("wed", "next Friday", "next Friday", "2026-03-20 00:00", "day", None),
    ("wed", "this Monday", "this Monday", "2026-03-09 00:00", "day", None),
    ("wed", "Saturday", "Saturday", "2026-03-14 00:00", "day", None),
    ("wed", "Wednesday", "Wednesday", "2026-03-11 00:00", "day", None),
    ("wed", "Sunday at 11", "Sunday at 11", "2026-03-15 11:00", "hour", None),
    ("wed", "on Wednesday at 10am", "on Wednesday at 10am", "2026-03-18 10:00", "hour", None),
    ("wed", "next week Monday at 9am", "next week Monday at 9am", "2026-03-16 09:00", "hour", None),
    ("wed", "on the 20th", "on the 20th", "2026-03-20 00:00", "day", None),
    ("wed", "March 20", "March 20", "2026-03-20 00:00", "day", None),
    ("wed", "March 5", "March 5", "2027-03-05 00:00", "day", None),
    ("wed", "Jan 15, 2027", "Jan 15, 2027", "2027-01-15 00:00", "day", None),
    ("wed", "2026-04-08", "2026-04-08", "2026-04-08 00:00", "day", None),
    ("wed", "4/8 at 10am", "4/8 at 10am", "2026-04-08 10:00", "hour", None),
    ("wed", "in 2 weeks", "in 2 weeks", "2026-03-25 00:00", "day", None),
    ("wed", "the day after tomorrow at 4pm", "the day after tomorrow at 4pm", "2026-03-13 16:00", "hour", None),
    ("wed", "this weekend", "this weekend", "2026-03-14 00:00", "day", None),
    ("wed", "half past 3", "half past 3", "2026-03-11 15:30", "minute", None),
    ("wed", "quarter past 10 tomorrow", "quarter past 10 tomorrow", "2026-03-12 10:15", "minute", None),
    ("wed", "4 o'clock", "4 o'clock", "2026-03-11 16:00", "hour", None),
    ("wed", "12 pm", "12 pm", "2026-03-12 12:00", "hour", None),
    ("wed", "12am", "12am", "2026-03-12 00:00", "hour", None),
    ("wed", "3 p.m.", "3 p.m.", "2026-03-11 15:00", "hour", None),
    ("wed", "TOMORROW AT 3PM", "TOMORROW AT 3PM", "2026-03-12 15:00", "hour", None),
    ("wed", "Thursday afternoon", "Thursday afternoon", "2026-03-12 12:00", "hour", "2026-03-12 18:00"),
    ("wed", "Fri 4pm", "Fri 4pm", "2026-03-13 16:00", "hour", None),
    ("wed", "5 minutes from now", "5 minutes from now", "2026-03-11 14:35", "minute", None),
    ("wed", "2 hours later", "2 hours later", "2026-03-11 16:30", "minute", None),
    ("wed", "in 1.5 hours", "in 1.5 hours", "2026-03-11 16:00", "minute", None),
    ("wed", "in half an hour", "in half an hour", "2026-03-11 15:00", "minute", None),
    ("wed", "in an hour", "in an hour", "2026-03-11 15:30", "minute", None),
    ("wed", "at 8 in the morning", "at 8 in the morning", "2026-03-12 08:00", "hour", None),
    ("wed", "at 7 in the evening", "at 7 in the evening", "2026-03-11 19:00", "hour", None),
    # embedded
    ("wed", "Can I bring my car in tomorrow at 10am?", "tomorrow at 10am", "2026-03-12 10:00", "hour", None),
    ("wed", "I'd like to book a service next Tuesday at 3pm please", "next Tuesday at 3pm", "2026-03-17 15:00", "hour", None),
    ("wed", "Is this Saturday 10:30 available?", "this Saturday 10:30", "2026-03-14 10:30", "minute", None),
    ("wed", "I'll drop it off on Friday", "on Friday", "2026-03-13 00:00", "day", None),
    ("wed", "Could we do it at noon tomorrow", "at noon tomorrow", "2026-03-12 12:00", "hour", None),
    ("wed", "Let's say Dec 3 at 2 pm.", "Dec 3 at 2 pm", "2026-12-03 14:00", "hour", None),
    ("wed", "It has done 30,000 km, can I come on December 3rd?", "on December 3rd", "2026-12-03 00:00", "day", None),
    ("wed", "3 Dec works for me", "3 Dec", "2026-12-03 00:00", "day", None),
    ("wed", "Meet at 3:30 pm", "at 3:30 pm", "2026-03-11 15:30", "minute", None),
    ("wed", "I'll come at 9", "at 9", "2026-03-12 09:00", "hour", None),
    ("wed", "I'll be there in 2 hours", "in 2 hours", "2026-03-11 16:30", "minute", None),
    ("wed", "My plate is 粤B12345, can you fit me in this afternoon?", "this afternoon", "2026-03-11 12:00", "hour", "2026-03-11 18:00"),
    ("wed", "Good morning! Is tomorrow afternoon free?", "tomorrow afternoon", "2026-03-12 12:00", "hour", "2026-03-12 18:00"),
    ("wed", "I need 2 tyres, can I come next Friday at 11am?", "next Friday at 11am", "2026-03-20 11:00", "hour", None),
    ("wed", "Call me on +86 138 1234 5678 tonight", "tonight", "2026-03-11 18:00", "hour", "2026-03-11 22:00"),
    ("wed", "The quote was $99.50, I can pay when I pick it up at 5pm", "at 5pm", "2026-03-11 17:00", "hour", None),
    ("wed", "please move AP-20261124-0003 to Thursday 2:30pm", "Thursday 2:30pm", "2026-03-12 14:30", "minute", None),
    # rollovers, weekend now, late now
    ("dec28", "Jan 3", "Jan 3", "2027-01-03 00:00", "day", None),
    ("dec28", "next Monday", "next Monday", "2027-01-04 00:00", "day", None),
    ("sat", "Saturday afternoon", "Saturday afternoon", "2026-03-14 12:00", "hour", "2026-03-14 18:00"),
    ("sat", "next Monday", "next Monday", "2026-03-16 00:00", "day", None),
    ("late", "at 3", "at 3", "2026-03-12 15:00", "hour", None),
    ("late", "in 2 hours", "in 2 hours", "2026-03-12 00:15", "minute", None),
    # America/Los_Angeles across the DST change (DST starts Sunday 2026-03-08 02:00)
    ("la", "tomorrow at 3pm", "tomorrow at 3pm", "2026-03-08T15:00:00.000-07:00", "hour", None),
    ("la", "today at 9pm", "today at 9pm", "2026-03-07T21:00:00.000-08:00", "hour", None),
    ("la", "in 24 hours", "in 24 hours", "2026-03-08T11:00:00.000-07:00", "minute", None),
    ("la", "next Monday", "next Monday", "2026-03-09T00:00:00.000-07:00", "day", None),
    ("la", "in 3 days", "in 3 days", "2026-03-10T00:00:00.000-07:00", "day", None),
    ("la", "tomorrow at 2:30am", "tomorrow at 2:30am", "2026-03-08T03:30:00.000-07:00", "minute", None),
    ("la_fall", "tomorrow morning", "tomorrow morning", "2026-11-01T08:00:00.000-08:00", "hour", "2026-11-01T12:00:00.000-08:00"),
    ("la_fall", "tomorrow at 10am", "tomorrow at 10am", "2026-11-01T10:00:00.000-08:00", "hour", None),
]

# ------------------------------------------------------------------------------------------
# Several expressions in one message: (now_key, text, [(span, value, grain), ...])
# ------------------------------------------------------------------------------------------
MULTI_CASES = [
    ("wed", "明天下午3点到5点", [("明天下午3点", "2026-03-12 15:00", "hour"), ("5点", "2026-03-12 17:00", "hour")]),
    ("wed", "周三或者周四下午都行", [("周三", "2026-03-11 00:00", "day"),
                              ("周四下午", "2026-03-12 12:00", "hour")]),
    ("wed", "tomorrow at 9 or Friday at 2pm", [("tomorrow at 9", "2026-03-12 09:00", "hour"),
                                                ("Friday at 2pm", "2026-03-13 14:00", "hour")]),
    ("wed", "上午10点到12点之间", [("上午10点", "2026-03-12 10:00", "hour"), ("12点", "2026-03-12 12:00", "hour")]),
    ("wed", "下周一不行，下周二上午可以", [("下周一", "2026-03-16 00:00", "day"),
                                ("下周二上午", "2026-03-17 08:00", "hour")]),
]

# ------------------------------------------------------------------------------------------
# Must give no entity: (now_key, text)
# ------------------------------------------------------------------------------------------
NEGATIVE_CASES = [
    ("wed", "粤B12345"), ("wed", "我的车是粤B12345"), ("wed", "粤B·D12345"), ("wed", "京A 88888"),
    ("wed", "京A88888"), ("wed", "LSVAU2180N2183294"), ("wed", "车架号LSVAU2180N2183294"),
    ("wed", "13812345678"), ("wed", "+86 138 1234 5678"), ("wed", "我的电话是13812345678"),
    ("wed", "3万公里"), ("wed", "30000公里"), ("wed", "已经跑了30,000 km"), ("wed", "30k"),
    ("wed", "12k miles"), ("wed", "it has 12k miles on it"), ("wed", "300元"), ("wed", "¥1200"),
    ("wed", "$99.50"), ("wed", "保养要多少钱，300元吗"), ("wed", "RO-20261123-0001"),
    ("wed", "AP-20261124-0003"), ("wed", "CP-2026-00012"), ("wed", "我的投诉CP-2026-00012怎么样了"),
    ("wed", "4个轮胎"), ("wed", "2 tyres"), ("wed", "I need 2 tyres"), ("wed", "5 years"),
    ("wed", "the warranty is 5 years or 100000 km"), ("wed", "3"), ("wed", "12"),
    ("wed", "version 2.3.1"), ("wed", "系统版本v3.2"), ("wed", "2月30日"), ("wed", "13月5日"),
    ("wed", "25:00"), ("wed", "24点30"), ("wed", "24点"), ("wed", "12:61"), ("wed", "13pm"),
    ("wed", "2月30日下午3点"), ("wed", "下个月31号"), ("wed", "能不能便宜一点"),
    ("wed", "早一点可以吗"), ("wed", "有两点要求"), ("wed", "三点五万公里"), ("wed", "油耗一点五升"),
    ("wed", "一周一次保养"), ("wed", "我十分后悔"), ("wed", "保养2个小时够吗"),
    ("wed", "大概需要3天"), ("wed", "早上好"), ("wed", "good morning"), ("wed", "I sat in the car"),
    ("wed", "5号电池没电了"), ("wed", "坐1号线过来"), ("wed", "3号楼"), ("wed", "空调开到25度"),
    ("wed", "打了8折"), ("wed", "I'm at 4S store"), ("wed", "around 20 dollars"),
    ("wed", "在第3号工位"), ("wed", "好的谢谢"), ("wed", "Hello"), ("wed", ""), ("wed", "🚗🚗🚗"),
    ("wed", "\x00\x01\x02"), ("wed", "机油换5W-30的"), ("wed", "轮胎规格225/45R17"),
    ("wed", "rated 4.5 stars"), ("wed", "1/2 tank"),
]


# ------------------------------------------------------------------------------------------
def run_case(case) -> list:
    """Return the problems found for one positive case ([] when it passes)."""
    key, text, span, value, grain, to = case
    now, tz = NOWS[key]
    entities = parse(text, now, tz)
    if len(entities) != 1:
        return [f"expected 1 entity, got {[(e['text'], e['value']) for e in entities]}"]
    ent, problems = entities[0], []
    info = ent["additional_info"]
    checks = [("text", ent["text"], span), ("value", ent["value"], iso(value)),
              ("grain", info.get("grain"), grain), ("info.value", info.get("value"), iso(value)),
              ("span", text[ent["start"]:ent["end"]], ent["text"])]
    if to is not None:
        checks += [("from", info.get("from"), iso(value)), ("to", info.get("to"), iso(to))]
    elif grain != "day":
        checks += [("no interval", "from" in info or "to" in info, False)]
    for name, got, want in checks:
        if got != want:
            problems.append(f"{name}: got {got!r}, want {want!r}")
    return problems


def _ids(cases):
    return [f"{c[0]}:{c[1]}" for c in cases]


@pytest.mark.parametrize("case", ZH_CASES, ids=_ids(ZH_CASES))
def test_chinese(case):
    assert run_case(case) == []


@pytest.mark.parametrize("case", EN_CASES, ids=_ids(EN_CASES))
def test_english(case):
    assert run_case(case) == []


@pytest.mark.parametrize("case", MULTI_CASES, ids=_ids(MULTI_CASES))
def test_several_expressions(case):
    key, text, expected = case
    now, tz = NOWS[key]
    got = [(e["text"], e["value"], e["additional_info"]["grain"]) for e in parse(text, now, tz)]
    assert got == [(span, iso(value), grain) for span, value, grain in expected]


@pytest.mark.parametrize("case", NEGATIVE_CASES, ids=_ids(NEGATIVE_CASES))
def test_not_a_time(case):
    key, text = case
    now, tz = NOWS[key]
    assert parse(text, now, tz) == []


def test_case_lists_are_large_and_distinct():
    texts = [c[1] for c in ZH_CASES + EN_CASES] + [c[1] for c in MULTI_CASES]
    distinct = set((c[0], c[1]) for c in ZH_CASES + EN_CASES)
    assert len(distinct) == len(ZH_CASES) + len(EN_CASES)
    assert len(set(texts)) >= 200
    assert len(ZH_CASES) > len(EN_CASES)
    assert len(NEGATIVE_CASES) >= 30


# ------------------------------------------------------------------------------------------
# Offsets, shape, time zones, robustness
# ------------------------------------------------------------------------------------------
def test_offsets_point_to_the_expression():
    text = "我想明天上午10点给粤B12345做个小保养"
    now, tz = NOWS["wed"]
    [ent] = parse(text, now, tz)
    assert (ent["start"], ent["end"]) == (2, 9)
    assert text[ent["start"]:ent["end"]] == "明天上午10点" == ent["text"]


def test_offsets_with_several_expressions_and_full_width_text():
    text = "Tomorrow 10am is bad; 后天 15：30 OK? or next Friday"
    now, tz = NOWS["wed"]
    ents = parse(text, now, tz)
    assert [(e["start"], e["end"]) for e in ents] == [(0, 13), (22, 30), (38, 49)]
    assert [text[e["start"]:e["end"]] for e in ents] == ["Tomorrow 10am", "后天 15：30", "next Friday"]
    assert [e["value"] for e in ents] == [iso("2026-03-12 10:00"), iso("2026-03-13 15:30"),
                                           iso("2026-03-20 00:00")]


def test_duckling_shape():
    now, tz = NOWS["wed"]
    [ent] = parse("明天下午", now, tz)
    assert ent["entity"] == "time"
    assert set(ent) >= {"start", "end", "text", "value", "additional_info"}
    assert ent["additional_info"] == {"grain": "hour", "value": iso("2026-03-12 12:00"),
                                      "from": iso("2026-03-12 12:00"), "to": iso("2026-03-12 18:00")}


def test_now_in_another_zone_is_converted():
    utc_now = datetime(2026, 3, 11, 6, 30, tzinfo=timezone.utc)  # 14:30 in Shanghai
    assert parse("三点", utc_now)[0]["value"] == iso("2026-03-11 15:00")
    late_utc = datetime(2026, 3, 11, 16, 30, tzinfo=timezone.utc)  # 00:30 on the 12th in Shanghai
    assert parse("明天", late_utc)[0]["value"] == iso("2026-03-13 00:00")


def test_naive_now_is_taken_as_dealer_time():
    naive = datetime(2026, 3, 11, 14, 30)
    assert parse("两点", naive, "Asia/Shanghai")[0]["value"] == iso("2026-03-12 14:00")
    assert parse("two hours later", naive, "America/Los_Angeles")[0]["value"] == \
        "2026-03-11T16:30:00.000-07:00"
    assert parse("in 2 hours", naive, "America/Los_Angeles")[0]["value"] == "2026-03-11T16:30:00.000-07:00"


def test_tzinfo_objects_are_accepted():
    import pytz
    now = datetime(2026, 3, 7, 10, 0, tzinfo=LA)
    for zone in (LA, pytz.timezone("America/Los_Angeles")):
        assert parse("tomorrow at 3pm", now, zone)[0]["value"] == "2026-03-08T15:00:00.000-07:00"


def test_default_timezone_is_shanghai():
    now = datetime(2026, 3, 11, 14, 30, tzinfo=SH)
    assert parse("明天", now)[0]["value"] == "2026-03-12T00:00:00.000+08:00"


@pytest.mark.parametrize("bad", [None, 42, b"bytes", "", " ", "\n\t", "点" * 50, "号号号",
                                 "周" * 100, "明天" * 5000, "\ud800", "１２：６１"])
def test_never_raises(bad):
    now, tz = NOWS["wed"]
    result = parse(bad, now, tz)
    assert isinstance(result, list)
    for ent in result:
        assert ent["text"] == bad[ent["start"]:ent["end"]]


def test_long_text_finds_the_time_at_the_end():
    now, tz = NOWS["wed"]
    text = "车子有点异响，" * 1500 + "明天下午三点"
    assert len(text) > 10000
    ents = parse(text, now, tz)
    assert [e["text"] for e in ents] == ["明天下午三点"]
    assert ents[0]["start"] == len(text) - 6


def test_random_input_never_raises():
    rng = random.Random(20260311)
    alphabet = "0123456789:/-.号日月周点半刻后天明今晚上下午早凌晨星期礼拜个小时分钟pmamton ,，的一二三四五六七八九十两"
    now, tz = NOWS["wed"]
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for ent in parse(text, now, tz):
            assert text[ent["start"]:ent["end"]] == ent["text"]
            assert ent["additional_info"]["grain"] in ("minute", "hour", "day")
            datetime.fromisoformat(ent["value"])


def test_invalid_timezone_does_not_raise():
    now, _ = NOWS["wed"]
    assert parse("明天", now, "Not/AZone")[0]["value"] == iso("2026-03-12 00:00")


def test_fast_enough():
    now, tz = NOWS["wed"]
    sentences = [c[1] for c in ZH_CASES + EN_CASES]
    parse(sentences[0], now, tz)  # warm up
    start = time.perf_counter()
    for text in sentences:
        parse(text, now, tz)
    per_sentence = (time.perf_counter() - start) / len(sentences)
    assert per_sentence < 0.01
