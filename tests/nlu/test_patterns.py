"""Tests for nlu/components/patterns.py (rule-based entity extraction).

The case lists are module-level so that other scripts (e.g. a training-data or
evaluation generator) can import them:

* POSITIVE_CASES: (text, entity, canonical value, (start, end) or None)
* NEGATIVE_CASES: (text, entity or None); None means "no entity at all",
  otherwise "no entity of this name".
* EXACT_CASES:    (text, [(entity, value), ...]) - the complete, ordered result.
"""
from __future__ import annotations

import time

import pytest

from nlu.components import patterns

from nlu.components.patterns import (
    extract,
    normalize_phone,
    normalize_plate,
    normalize_vin,
    parse_mileage,
)

ENTITY_KEYS = {"entity", "start", "end", "value", "text"}

# ---------------------------------------------------------------------------
# Positive cases: (text, entity, value, span or None)
# ---------------------------------------------------------------------------

PLATE_CASES = [
    ("我的车牌是粤B12345，想预约保养", "plate_number", "粤B12345", (5, 12)),
    ("车牌号：京A·88888。", "plate_number", "京A88888", (4, 12)),
    ("帮我查下粤B·12345的RO-20261120-0007", "plate_number", "粤B12345", (4, 12)),
    ("新能源车 粤BD12345 的充电口坏了", "plate_number", "粤BD12345", (5, 13)),
    ("粤B12345F 是我们公司的货车", "plate_number", "粤B12345F", (0, 8)),
    ("My plate is 浙A 12345, can I come tomorrow?", "plate_number", "浙A12345", (12, 20)),
    ("苏E.5K8M9 要做四轮定位", "plate_number", "苏E5K8M9", (0, 8)),
    ("鲁B-6G123的车钥匙丢了", "plate_number", "鲁B6G123", None),
    ("川A•12345 今天能取车吗", "plate_number", "川A12345", None),
    ("渝b12345 is my car", "plate_number", "渝B12345", None),
    ("粤b·d12345 新能源", "plate_number", "粤BD12345", None),
    ("粤B-12345F 大车", "plate_number", "粤B12345F", None),
    ("粤 B12345 的保养记录", "plate_number", "粤B12345", None),
    ("车牌粤Ｂ１２３４５", "plate_number", "粤B12345", (2, 9)),
    ("我的車牌是粵B·12345，請幫我查一下", "plate_number", "粤B12345", (5, 13)),
    ("我的電動車是粵BD12345", "plate_number", "粤BD12345", None),
    ("我的車牌是滬A12345", "plate_number", "沪A12345", None),
    ("遼B67890 的車什麼時候修好", "plate_number", "辽B67890", None),
    ("魯C12345 預約保養", "plate_number", "鲁C12345", None),
    ("蘇E54321 要換輪胎", "plate_number", "苏E54321", None),
    ("贛A11223 的保險到期了", "plate_number", "赣A11223", None),
    ("貴A1234D 這台車", "plate_number", "贵A1234D", None),
    ("閩D88888 洗車", "plate_number", "闽D88888", None),
    ("陝A12345 檢查剎車", "plate_number", "陕A12345", None),
    ("寧A12345 換機油", "plate_number", "宁A12345", None),
    ("瓊A12345 空調不冷", "plate_number", "琼A12345", None),
    ("雲A12345 年檢", "plate_number", "云A12345", None),
    ("晉A12345 噴漆", "plate_number", "晋A12345", None),
    ("豫A12345 河南的车", "plate_number", "豫A12345", None),
    ("蒙A12345 要做保养", "plate_number", "蒙A12345", None),
    ("藏A12345 的车", "plate_number", "藏A12345", None),
    ("黑A12345 冬天打不着火", "plate_number", "黑A12345", None),
    ("湘A12345这台车什么时候能修好", "plate_number", "湘A12345", None),
    ("皖A12345 异响", "plate_number", "皖A12345", None),
    ("新A12345 需要拖车", "plate_number", "新A12345", None),
    ("津A12345 钣金", "plate_number", "津A12345", None),
    ("冀A12345 喷漆", "plate_number", "冀A12345", None),
    ("甘A12345 预约", "plate_number", "甘A12345", None),
    ("桂A12345 洗车", "plate_number", "桂A12345", None),
    ("吉A12345 换电瓶", "plate_number", "吉A12345", None),
    ("青A12345 检测", "plate_number", "青A12345", None),
    ("宁A12345 补胎", "plate_number", "宁A12345", None),
    ("琼B12345 三包", "plate_number", "琼B12345", None),
    ("鄂A12345 召回", "plate_number", "鄂A12345", None),
    ("赣B·5D6F7 的车", "plate_number", "赣B5D6F7", None),
    ("沪AD12345 充不进电", "plate_number", "沪AD12345", None),
    ("教练车粤A1234学的刹车片", "plate_number", "粤A1234学", (3, 10)),
    ("警车京A1234警需要保养", "plate_number", "京A1234警", None),
    ("领馆车沪A1234领", "plate_number", "沪A1234领", None),
    ("两地牌粤Z1234港", "plate_number", "粤Z1234港", None),
    ("教練車粵A1234學", "plate_number", "粤A1234学", None),
    ("京A12345和京B54321两台车", "plate_number", "京B54321", (8, 15)),
]

VIN_CASES = [
    ("车架号LSVAU2180N2183294", "vin", "LSVAU2180N2183294", (3, 20)),
    ("VIN: LFV2A21K0H3123456", "vin", "LFV2A21K0H3123456", (5, 22)),
    ("my vin is 1HGCM82633A004352, thanks", "vin", "1HGCM82633A004352", (10, 27)),
    ("vin lsvau2180n2183294 thanks", "vin", "LSVAU2180N2183294", (4, 21)),
    ("車架號：WBA3A5C51CF256789", "vin", "WBA3A5C51CF256789", None),
    ("LGBH52E01KY123456 这个车架号查一下保养记录", "vin", "LGBH52E01KY123456", (0, 17)),
    ("车架号ＬＳＶＡＵ２１８０Ｎ２１８３２９４", "vin", "LSVAU2180N2183294", (3, 20)),
    ("Benz VIN WDDGF8AB0DA123456 needs recall check", "vin", "WDDGF8AB0DA123456", None),
    ("JTDKB20U793123456 is a Prius", "vin", "JTDKB20U793123456", None),
    ("特斯拉 5YJ3E1EA7KF123456", "vin", "5YJ3E1EA7KF123456", None),
    ("VIN是LVSHCAMB1CE123456，谢谢", "vin", "LVSHCAMB1CE123456", None),
    ("車架號碼 LHGCR2650E8012345 請查詢", "vin", "LHGCR2650E8012345", None),
    ("WVWZZZ3CZWE123456", "vin", "WVWZZZ3CZWE123456", (0, 17)),
    ("vin: salga2ef9ea123456", "vin", "SALGA2EF9EA123456", None),
    ("LFPH4ACC2K1A12345 比亚迪", "vin", "LFPH4ACC2K1A12345", None),
    ("车架号(LSGGF53X4DH123456)", "vin", "LSGGF53X4DH123456", None),
    ("L13812345678ABCDE", "vin", "L13812345678ABCDE", (0, 17)),
]

PHONE_CASES = [
    ("我的手机号13812345678", "phone", "13812345678", (5, 16)),
    ("电话：138 1234 5678", "phone", "13812345678", (3, 16)),
    ("手机 138-1234-5678 谢谢", "phone", "13812345678", (3, 16)),
    ("you can reach me on +86 13812345678", "phone", "13812345678", (20, 35)),
    ("+8613912345678", "phone", "13912345678", (0, 14)),
    ("86 15012345678", "phone", "15012345678", (0, 14)),
    ("0086 18612345678", "phone", "18612345678", None),
    ("(+86) 17712345678", "phone", "17712345678", None),
    ("+86-199-1234-5678", "phone", "19912345678", None),
    ("call me at 186 0000 1111 after 6pm", "phone", "18600001111", (11, 24)),
    ("請致電13512345678聯繫我", "phone", "13512345678", (3, 14)),
    ("手机１３８１２３４５６７８", "phone", "13812345678", (2, 13)),
    ("手机号是13812345678，车牌粤B12345", "phone", "13812345678", (4, 15)),
    ("tel: 16612345678.", "phone", "16612345678", None),
    ("14712345678", "phone", "14712345678", None),
    ("我換號碼了，新號碼是 159 8765 4321", "phone", "15987654321", None),
    ("phone 138 1234-5678 wechat same", "phone", "13812345678", None),
    ("13812345678 或 13912345678 都可以", "phone", "13912345678", (14, 25)),
    ("店里电话020-12345678", "phone", "02012345678", (4, 16)),
    ("座机 020 8888 6666", "phone", "02088886666", None),
    ("(0755)88886666 是公司电话", "phone", "075588886666", (0, 14)),
    ("北京的座机010-87654321", "phone", "01087654321", None),
    ("公司電話（021）12345678", "phone", "02112345678", None),
    ("0571-8765432 杭州店", "phone", "05718765432", None),
    ("0755-8888 6666", "phone", "075588886666", None),
]

MILEAGE_CASES = [
    ("现在跑了3万公里了", "mileage", 30000, (4, 8)),
    ("表显3.5万公里", "mileage", 35000, (2, 8)),
    ("大概三万公里", "mileage", 30000, (2, 6)),
    ("两万五公里该做什么保养", "mileage", 25000, (0, 5)),
    ("30000公里保养多少钱", "mileage", 30000, (0, 7)),
    ("odometer reads 30,000 km", "mileage", 30000, (15, 24)),
    ("30000km first service", "mileage", 30000, (0, 7)),
    ("My car has 30k on it", "mileage", 30000, (11, 14)),
    ("it's at 30k km now", "mileage", 30000, (8, 14)),
    ("已经30K公里了", "mileage", 30000, (2, 7)),
    ("about 12k miles", "mileage", 19312, (6, 15)),
    ("12,000 miles on the clock", "mileage", 19312, (0, 12)),
    ("开了8000英里", "mileage", 12875, (2, 8)),
    ("5千公里的时候", "mileage", 5000, (0, 4)),
    ("5千km首保", "mileage", 5000, (0, 4)),
    ("离店5千米", "mileage", 5, (2, 5)),
    ("一万公里首保免费吗", "mileage", 10000, (0, 4)),
    ("十万公里要换正时皮带吗", "mileage", 100000, None),
    ("十二万公里了", "mileage", 120000, None),
    ("兩萬五公里該做什麼保養", "mileage", 25000, None),
    ("已經跑了三萬公里", "mileage", 30000, None),
    ("八千五公里", "mileage", 8500, None),
    ("一万零五百公里", "mileage", 10500, None),
    ("1万5公里", "mileage", 15000, None),
    ("3万5千公里", "mileage", 35000, None),
    ("3万多公里了", "mileage", 30000, (0, 5)),
    ("only 2.5k miles", "mileage", 4023, None),
    ("7500 mi on it", "mileage", 12070, None),
    ("45,678 km", "mileage", 45678, None),
    ("1.2w公里", "mileage", 12000, None),
    ("3W公里", "mileage", 30000, None),
    ("60000 kilometers", "mileage", 60000, None),
    ("60000 kilometres", "mileage", 60000, None),
    ("just 5 miles", "mileage", 8, None),
    ("100 miles", "mileage", 161, None),
    ("里程：12345公里", "mileage", 12345, (3, 10)),
    ("8000多公里", "mileage", 8000, None),
    ("跑了五千公里", "mileage", 5000, None),
    ("大約兩萬公里", "mileage", 20000, None),
    ("行驶了30000 公里", "mileage", 30000, (3, 11)),
    ("the car has 50k, needs service?", "mileage", 50000, None),
    ("3万km了", "mileage", 30000, None),
    ("1000英哩", "mileage", 1609, None),
    ("３万公里", "mileage", 30000, (0, 4)),
    ("每5000公里/6个月保养一次", "mileage", 5000, (1, 7)),
    ("odometer 88,888 KM", "mileage", 88888, None),
    ("二十万公里", "mileage", 200000, None),
    ("九千八百公里", "mileage", 9800, None),
]

ORDER_CASES = [
    ("帮我查下粤B·12345的RO-20261120-0007", "order_id", "RO-20261120-0007", (13, 29)),
    ("工单号RO-20261123-0001", "order_id", "RO-20261123-0001", (3, 19)),
    ("ro-20261123-0001 status?", "order_id", "RO-20261123-0001", (0, 16)),
    ("RO_20261123_0001", "order_id", "RO-20261123-0001", None),
    ("RO 20261123 0001", "order_id", "RO-20261123-0001", None),
    ("RO202611230001", "order_id", "RO-20261123-0001", (0, 14)),
    ("维修单 ro20261123 0001 好了吗", "order_id", "RO-20261123-0001", (4, 19)),
    ("AP-20261201-0042", "order_id", "AP-20261201-0042", None),
    ("预约号ap20261201-0042", "order_id", "AP-20261201-0042", (3, 18)),
    ("my appointment AP 20261201 0042 needs to move", "order_id", "AP-20261201-0042", (15, 31)),
    ("ＲＯ－２０２６１１２３－０００１", "order_id", "RO-20261123-0001", (0, 16)),
    ("RO - 20261123 - 0001", "order_id", "RO-20261123-0001", (0, 20)),
    ("RO-20240229-0003 闰年", "order_id", "RO-20240229-0003", None),
    ("請幫我查維修單RO-20261231-9999", "order_id", "RO-20261231-9999", None),
    ("AP-20270101-0001 可以改期吗", "order_id", "AP-20270101-0001", None),
    ("RO-20261123-0001 和 AP-20261125-0002", "order_id", "AP-20261125-0002", (19, 35)),
    ("RO–20261123–0001", "order_id", "RO-20261123-0001", None),
    ("Ap_20261130_0100", "order_id", "AP-20261130-0100", None),
    ("預約單號ＡＰ２０２６１２０１００４２", "order_id", "AP-20261201-0042", None),
]

TICKET_CASES = [
    ("投诉单CP-2026-00012进度如何", "ticket_id", "CP-2026-00012", (3, 16)),
    ("cp-2026-00012", "ticket_id", "CP-2026-00012", (0, 13)),
    ("CP 2026 00012", "ticket_id", "CP-2026-00012", None),
    ("CP_2026_00012", "ticket_id", "CP-2026-00012", None),
    ("CP202600012", "ticket_id", "CP-2026-00012", (0, 11)),
    ("ＣＰ－２０２６－０００１２", "ticket_id", "CP-2026-00012", (0, 13)),
    ("my complaint CP-2025-12345 has not been answered", "ticket_id", "CP-2025-12345", (13, 26)),
    ("投訴編號：CP-2026-00345", "ticket_id", "CP-2026-00345", None),
    ("about cp2026-99999", "ticket_id", "CP-2026-99999", None),
]

POSITIVE_CASES = PLATE_CASES + VIN_CASES + PHONE_CASES + MILEAGE_CASES + ORDER_CASES + TICKET_CASES

# ---------------------------------------------------------------------------
# Negative cases: (text, entity or None)
# ---------------------------------------------------------------------------

NEGATIVE_CASES = [
    # prices, dates, times, quantities
    ("保养一次300元", None),
    ("报价¥1200太贵了", None),
    ("￥1,200 能便宜点吗", None),
    ("预约2026-11-23上午", None),
    ("10:30到店可以吗", None),
    ("2026年11月23日 10:30", None),
    ("周六上午10点半可以吗", None),
    ("买了4个轮胎", None),
    ("机油要5升", None),
    ("订单金额12345678元", None),
    ("等了2个小时了", None),
    ("30000", "mileage"),
    ("预算三万", "mileage"),
    ("两万五能搞定吗", "mileage"),
    # money / non-distance k
    ("$30k budget", "mileage"),
    ("¥30k", "mileage"),
    ("30k元的车", "mileage"),
    ("30k块", "mileage"),
    ("around 30k dollars", "mileage"),
    ("30K USD", "mileage"),
    ("30k rmb", "mileage"),
    ("4K屏幕", "mileage"),
    ("30kg的货", "mileage"),
    ("60kWh battery", "mileage"),
    ("150kW motor", "mileage"),
    # speed / consumption / range
    ("高速开到120km/h就抖", "mileage"),
    ("120公里/小时有异响", "mileage"),
    ("时速120公里方向盘抖", "mileage"),
    ("限速 60 公里", "mileage"),
    ("油耗6.5L/100km", "mileage"),
    ("百公里油耗7升", "mileage"),
    ("续航500公里", "mileage"),
    ("附近几十公里都没有4S店", "mileage"),
    ("一年跑一两万公里", "mileage"),
    ("大概三四万公里吧", "mileage"),
    ("花了3万元修车", "mileage"),
    # VIN look-alikes
    ("LSVAU2180N218329", None),
    ("LSVAU2180N21832945", None),
    ("LSVAU2180N2I83294", None),
    ("LSVOU2180N2183294", None),
    ("LSVQU2180N2183294", None),
    ("12345678901234567", None),
    ("ABCDEFGHJKLMNPRST", None),
    ("粤B12345的车", "vin"),
    # phone look-alikes
    ("138123456789", None),
    ("2138123456789", None),
    ("12812345678", None),
    ("1381234567", None),
    ("+886 912345678", None),
    ("我的手机尾号5678", None),
    ("02012345678", None),
    ("RO-20261123-0001", "phone"),
    ("LSVAU2180N2183294", "phone"),
    ("L13812345678ABCDE", "phone"),
    ("RO-20261123-0001", "mileage"),
    # invalid order / ticket ids
    ("RO-20260230-0001", None),
    ("RO-20261301-0001", None),
    ("AP-20261132-0001", None),
    ("RO-19991231-0001", None),
    ("RO-2026112-0001", None),
    ("RO-20261123-001", None),
    ("RO-20261123-00011", None),
    ("XRO-20261123-0001", None),
    ("CP-2026-0012", None),
    ("CP-1999-00012", None),
    ("CP-2026-000123", None),
    # plates
    ("港B12345", None),
    ("台A12345", None),
    ("海B12345", None),
    ("粤B1234", None),
    ("粤B1234567", None),
    ("粤BI2345", None),
    ("粤BO2345", None),
    ("粤B123456", None),
    ("B12345 没有省份", None),
    ("粤BABCDE", None),
    ("粤B12ABC", None),
    # misc
    ("VIN码是多少？", None),
    ("保养套餐A1234", None),
    ("HDMI 1080p", None),
    ("Model 3 Long Range", None),
    ("😀😀😀", None),
    ("", None),
]

# ---------------------------------------------------------------------------
# Exact results for mixed sentences and overlaps
# ---------------------------------------------------------------------------

EXACT_CASES = [
    ("帮我查下粤B·12345的RO-20261120-0007",
     [("plate_number", "粤B12345"), ("order_id", "RO-20261120-0007")]),
    ("L13812345678ABCDE", [("vin", "L13812345678ABCDE")]),
    ("RO-20261123-0001", [("order_id", "RO-20261123-0001")]),
    ("CP-2026-00012", [("ticket_id", "CP-2026-00012")]),
    ("车牌粤B12345，手机13812345678，跑了3万公里",
     [("plate_number", "粤B12345"), ("phone", "13812345678"), ("mileage", 30000)]),
    ("VIN LSVAU2180N2183294, phone +86 138 1234 5678, 45,000 km, RO-20261123-0001, CP-2026-00012",
     [("vin", "LSVAU2180N2183294"), ("phone", "13812345678"), ("mileage", 45000),
      ("order_id", "RO-20261123-0001"), ("ticket_id", "CP-2026-00012")]),
    ("my car 浙A12345 has 12k miles, appointment ap20261201 0042",
     [("plate_number", "浙A12345"), ("mileage", 19312), ("order_id", "AP-20261201-0042")]),
    ("我的車牌是粵B·12345，車架號LSVAU2180N2183294，已經跑了兩萬五公里",
     [("plate_number", "粤B12345"), ("vin", "LSVAU2180N2183294"), ("mileage", 25000)]),
    ("13812345678，30000公里", [("phone", "13812345678"), ("mileage", 30000)]),
    ("预约2026-11-23 10:30，RO-20261123-0001，费用300元",
     [("order_id", "RO-20261123-0001")]),
    ("RO-20260230-0001 is wrong, the right one is RO-20260228-0001",
     [("order_id", "RO-20260228-0001")]),
]


def _case_id(case) -> str:
    text = case[0]
    return text if len(text) <= 40 else text[:40] + "…"


def _check_shape(text: str, entities: list[dict]) -> None:
    for e in entities:
        assert set(e) == ENTITY_KEYS
        assert 0 <= e["start"] < e["end"] <= len(text)
        assert e["text"] == text[e["start"]:e["end"]]


@pytest.mark.parametrize("text,entity,value,span", POSITIVE_CASES, ids=[_case_id(c) for c in POSITIVE_CASES])
def test_positive(text, entity, value, span):
    entities = extract(text)
    _check_shape(text, entities)
    matches = [e for e in entities if e["entity"] == entity and e["value"] == value]
    assert matches, f"expected {entity}={value!r} in {entities!r}"
    if span is not None:
        assert (matches[0]["start"], matches[0]["end"]) == span, matches[0]
    # spans never overlap
    spans = sorted((e["start"], e["end"]) for e in entities)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert e1 <= s2


@pytest.mark.parametrize("text,entity", NEGATIVE_CASES, ids=[_case_id(c) for c in NEGATIVE_CASES])
def test_negative(text, entity):
    entities = extract(text)
    _check_shape(text, entities)
    if entity is None:
        assert entities == []
    else:
        assert [e for e in entities if e["entity"] == entity] == []


@pytest.mark.parametrize("text,expected", EXACT_CASES, ids=[_case_id(c) for c in EXACT_CASES])
def test_exact(text, expected):
    entities = extract(text)
    _check_shape(text, entities)
    assert [(e["entity"], e["value"]) for e in entities] == expected


def test_value_types():
    by_name = {e["entity"]: e["value"] for e in extract("粤B12345 13812345678 3万公里 RO-20261123-0001")}
    assert isinstance(by_name["mileage"], int) and by_name["mileage"] == 30000
    assert isinstance(by_name["phone"], str) and by_name["phone"] == "13812345678"
    assert by_name["plate_number"] == "粤B12345"
    assert by_name["order_id"] == "RO-20261123-0001"


def test_offsets_point_into_original_fullwidth_text():
    text = "单号：ＲＯ－２０２６１１２３－０００１，手机１３８１２３４５６７８"
    entities = extract(text)
    assert [(e["entity"], e["value"], e["text"]) for e in entities] == [
        ("order_id", "RO-20261123-0001", "ＲＯ－２０２６１１２３－０００１"),
        ("phone", "13812345678", "１３８１２３４５６７８"),
    ]
    assert entities[0]["start"] == 3 and entities[1]["start"] == 22


# ---------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------

ODD_INPUTS = [
    "",
    " ",
    "\x00\x01\x02\x1b[31m",
    "😀🚗💥" * 100,
    "\u200b\u200d\ufeff",
    "一" * 10000,
    "1" * 10000,
    "A" * 10000,
    "3万" * 5000,
    "1," * 5000,
    "粤B" * 5000,
    "RO-" * 3000,
    "k" * 10000,
    "\ud800",  # lone surrogate
    "\n\t\r",
]


@pytest.mark.parametrize("text", ODD_INPUTS, ids=[f"odd{i}" for i in range(len(ODD_INPUTS))])
def test_odd_input_never_raises(text):
    entities = extract(text)
    assert isinstance(entities, list)
    _check_shape(text, entities)


@pytest.mark.parametrize("value", [None, 123, b"\xe7\xb2\xa4B12345", ["粤B12345"]])
def test_non_string_input(value):
    assert extract(value) == []


def test_long_message_is_fast_and_complete():
    chunk = "车牌粤B12345，手机138 1234 5678，跑了3.5万公里，工单RO-20261123-0001。"
    text = (chunk + "价格300元，时间10:30。") * 150
    assert len(text) > 7000
    start = time.perf_counter()
    entities = extract(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0
    assert len(entities) == 4 * 150
    assert {e["entity"] for e in entities} == {"plate_number", "phone", "mileage", "order_id"}


# ---------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------

PLATE_HELPER_CASES = [
    ("粵b·12345", "粤B12345"),
    ("  京A 88888 ", "京A88888"),
    ("粤BD12345。", "粤BD12345"),
    ("粤A1234學", "粤A1234学"),
    ("粤B1234", None),
    ("港B12345", None),
    ("粤B12345 粤B54321", None),
    ("我的车牌是粤B12345", None),
    ("", None),
    (None, None),
]

PHONE_HELPER_CASES = [
    ("+86 138-1234-5678", False, "13812345678"),
    ("13812345678", True, "13812345678"),
    ("１３８ １２３４ ５６７８", False, "13812345678"),
    ("020-12345678", False, "02012345678"),
    ("020-12345678", True, None),
    ("1381234567", False, None),
    ("138123456789", False, None),
    ("abc", False, None),
    (None, False, None),
]

VIN_HELPER_CASES = [
    ("lsvau2180n2183294", "LSVAU2180N2183294"),
    (" LSVAU2180 N2183294 ", "LSVAU2180N2183294"),
    ("LSVAU2180N218329", None),
    ("LSVIU2180N2183294", None),
    ("12345678901234567", None),
    ("", None),
]

MILEAGE_HELPER_CASES = [
    ("3.5万公里", False, 35000),
    ("12k miles", False, 19312),
    ("30k", False, 30000),
    ("两万五公里", False, 25000),
    ("30000", False, None),
    ("30000", True, 30000),
    ("三万", True, 30000),
    ("两万五", True, 25000),
    ("3.5万", True, 35000),
    ("30k元", False, None),
    ("120km/h", False, None),
    ("abc", True, None),
    ("一三万", True, None),
    (None, False, None),
]


@pytest.mark.parametrize("text,expected", PLATE_HELPER_CASES)
def test_normalize_plate(text, expected):
    assert normalize_plate(text) == expected


@pytest.mark.parametrize("text,mobile_only,expected", PHONE_HELPER_CASES)
def test_normalize_phone(text, mobile_only, expected):
    assert normalize_phone(text, mobile_only=mobile_only) == expected


@pytest.mark.parametrize("text,expected", VIN_HELPER_CASES)
def test_normalize_vin(text, expected):
    assert normalize_vin(text) == expected


@pytest.mark.parametrize("text,assume_km,expected", MILEAGE_HELPER_CASES)
def test_parse_mileage(text, assume_km, expected):
    assert parse_mileage(text, assume_km=assume_km) == expected


def test_case_counts():
    assert len(POSITIVE_CASES) >= 150
    assert len(NEGATIVE_CASES) >= 40
    assert {c[1] for c in POSITIVE_CASES} == {
        "plate_number", "vin", "phone", "mileage", "order_id", "ticket_id"}


@pytest.mark.parametrize("answer, plate", [
    ("7ABC123", "7ABC123"), ("plate is 8xyz 789", "8XYZ789"), ("My license plate is 6-TRJ-244", "6TRJ244"),
    ("粤a·12345", "粤A12345"), ("hello", None), ("12345", None), ("tomorrow", None), ("ok", None),
])
def test_a_plate_given_as_a_direct_answer_may_be_foreign(answer, plate):
    assert patterns.loose_plate(answer) == plate


@pytest.mark.parametrize("answer, phone", [
    ("(408) 555-0134", "14085550134"), ("+1 408 555 0134", "14085550134"), ("408.555.0134", "14085550134"),
    ("138 1234 5678", "13812345678"), ("555-0134", None), ("call me maybe", None), ("0123456789", None),
])
def test_a_phone_given_as_a_direct_answer_may_be_north_american(answer, phone):
    assert patterns.loose_phone(answer) == phone
