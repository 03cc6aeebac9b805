"""The demo dealer that `python -m aftersales.seed` writes into an empty service database.

Plain data, meant to be read and edited by the dealer's IT staff; aftersales/seed.py turns it
into rows. Change names, prices or cars here; the seed checks the data as it writes it.

Conventions
-----------
* Money is in the store's currency, in major units: 300 means ¥300.00 in Guangzhou and
  $300.00 in San Jose.
* Service durations are minutes and should be multiples of the store's slot (30 minutes).
* Every point in time is relative to the moment the demo is seeded, so the demo always looks
  current. A time is written one of two ways:
    - a number: hours of the store's opening time from now. -2.5 means "two and a half working
      hours ago" (nights, Sundays and holidays are skipped), +3 means "in three working hours".
    - (open_day, "HH:MM"): the store's local clock on the n-th day the store is open, counted
      from today: -1 is the last open day before today, 2 the second open day after today.
* Vehicle dates are months before today; "last_service" is (months ago, km at that service).
  A delivered repair order below becomes the vehicle's last service.
* Actors are staff usernames (shown by their display names), "bot" or "customer".
"""

GROUP = {"code": "PRG", "name": "珠江汽车集团", "name_en": "Pearl River Auto Group"}

# Services that do not occupy a service bay (a driver fetches the car).
NO_BAY_SERVICES = {"pickup_delivery"}

STORES = [
    {
        "code": "GZ-TH",
        "name": "珠江汽车广州天河店",
        "name_en": "Pearl River Auto Guangzhou Tianhe",
        "city": "广州",
        "address": "广东省广州市天河区黄埔大道西638号珠江汽车服务中心",
        "address_en": "Pearl River Auto Service Centre, 638 Huangpu Avenue West, Tianhe District, "
        "Guangzhou, Guangdong",
        "phone": "020-8888 6666",
        "roadside_phone": "400-830-6666",
        "timezone": "Asia/Shanghai",
        "language": "zh-Hans",
        "country": "CN",
        "currency": "CNY",
        "latitude": 23.1322,
        "longitude": 113.3426,
        "slot_minutes": 30,
        "min_lead_minutes": 120,
        "horizon_days": 60,
        "wait_daily_limit": 8,
        "drop_off_daily_limit": 12,
        "pickup_daily_limit": 3,
        "first_response_minutes": 120,  # the trade's rule: respond to a complaint within 2 hours
        "resolution_days": 3,
        "followup_days": 3,
        "goodwill_wait_minutes": 60,  # the store's goodwill policy for a long wait
        "goodwill_offer": "一张免费精洗券，以及下次保养工时费八折",
        "goodwill_offer_en": "a free premium car wash voucher and 20% off labour on your next service",
        "quiet_hours": ("21:00", "09:00"),  # no reminders or surveys sent in between
        "opening_hours": {
            "Mon": ("08:30", "18:00"),
            "Tue": ("08:30", "18:00"),
            "Wed": ("08:30", "18:00"),
            "Thu": ("08:30", "18:00"),
            "Fri": ("08:30", "18:00"),
            "Sat": ("08:30", "18:00"),
            # Sunday closed
        },
        # Closed days. Fixed dates repeat every year; lunar-calendar holidays list their first
        # day per year. "days" is how many days in a row the store stays closed.
        "holidays": [
            {"name": "元旦", "name_en": "New Year's Day", "month": 1, "day": 1},
            {
                "name": "春节", "name_en": "Spring Festival", "days": 4,  # from New Year's Eve
                "starts": ["2025-01-28", "2026-02-16", "2027-02-05", "2028-01-25",
                           "2029-02-12", "2030-02-02"],
            },
            {
                "name": "清明节", "name_en": "Qingming Festival",
                "starts": ["2025-04-04", "2026-04-05", "2027-04-05", "2028-04-04",
                           "2029-04-04", "2030-04-05"],
            },
            {"name": "劳动节", "name_en": "Labour Day", "month": 5, "day": 1, "days": 2},
            {
                "name": "端午节", "name_en": "Dragon Boat Festival",
                "starts": ["2025-05-31", "2026-06-19", "2027-06-09", "2028-05-28",
                           "2029-06-16", "2030-06-05"],
            },
            {
                "name": "中秋节", "name_en": "Mid-Autumn Festival",
                "starts": ["2025-10-06", "2026-09-25", "2027-09-15", "2028-10-03",
                           "2029-09-22", "2030-09-12"],
            },
            {"name": "国庆节", "name_en": "National Day", "month": 10, "day": 1, "days": 3},
        ],
        # So the demo always shows a closure: when no holiday falls on an open day within the
        # next 60 days, the store closes one weekday about three weeks ahead.
        "closure_if_none_soon": {
            "name": "员工培训日（暂停营业）", "name_en": "Staff training day (closed)", "days_ahead": 21,
        },
        "bays": [
            ("B1", "快修1号工位"),
            ("B2", "快修2号工位"),
            ("B3", "机修3号工位"),
            ("B4", "机修4号工位"),
            ("B5", "钣喷工位"),
        ],
        "staff": [
            # username, display name, English display name, role
            ("li.min", "李敏", "Li Min", "advisor"),
            ("chen.hao", "陈浩", "Chen Hao", "advisor"),
            ("zhang.ting", "张婷", "Zhang Ting", "advisor"),
            ("wang", "王经理", "Manager Wang", "supervisor"),
            ("liu", "刘师傅", "Master Liu", "workshop"),
        ],
        # The service menu. Codes are shared with the NLU's service_type entity: keep them.
        # estimate=True: the advisor confirms the final price after inspecting the car.
        "services": [
            # code                 中文名                    English name                           min  labour parts estimate
            ("minor_service",      "小保养（机油+机滤）",     "Minor service (oil and filter)",        60,  300,   450,  False),
            ("major_service",      "大保养（机油+三滤+检查）", "Major service (oil, filters, checks)",  150, 600,   1200, False),
            ("first_service",      "首次保养（免费）",        "First service (free)",                  60,  0,     0,    False),
            ("brake_pads",         "更换刹车片（单轴）",      "Brake pads (one axle)",                 90,  200,   600,  True),
            ("brake_fluid",        "更换刹车油",             "Brake fluid change",                    60,  150,   180,  False),
            ("tyre_replacement",   "更换轮胎（每条）",        "Tyre replacement (per tyre)",           60,  80,    850,  True),
            ("tyre_rotation",      "轮胎换位",               "Tyre rotation",                         30,  80,    0,    False),
            ("wheel_alignment",    "四轮定位",               "Wheel alignment",                       60,  260,   0,    False),
            ("ac_service",         "空调检修",               "Air-conditioning service",              60,  200,   180,  True),
            ("battery",            "更换蓄电池",             "Battery replacement",                   30,  50,    650,  True),
            ("diagnosis",          "故障诊断",               "Fault diagnosis",                       60,  200,   0,    True),
            ("body_paint",         "钣金喷漆（每面起）",      "Body and paint (per panel, from)",      480, 300,   500,  True),
            ("car_wash",           "精致洗车",               "Car wash and valet",                    30,  60,    0,    False),
            ("pickup_delivery",    "上门取送车",             "Pickup and delivery",                   30,  100,   0,    False),
            ("spark_plugs",        "更换火花塞",             "Spark plug replacement",                60,  150,   360,  False),
            ("transmission_fluid", "更换变速箱油",           "Transmission fluid change",             90,  300,   680,  False),
            ("coolant",            "更换冷却液",             "Coolant change",                        60,  150,   220,  False),
            ("inspection",         "全车安全检测",           "Full safety inspection",                60,  200,   0,    False),
        ],
    },
    {
        "code": "SJ",
        "name": "珠江汽车圣何塞店",
        "name_en": "Pearl River Motors San Jose",
        "city": "San Jose",
        "address": "3150 Stevens Creek Blvd, San Jose, CA 95117, USA",
        "address_en": "3150 Stevens Creek Blvd, San Jose, CA 95117, USA",
        "phone": "(408) 555-0142",
        "roadside_phone": "(800) 555-0199",
        "timezone": "America/Los_Angeles",
        "language": "en",
        "country": "US",
        "currency": "USD",
        "latitude": 37.3233,
        "longitude": -121.9645,
        "slot_minutes": 30,
        "min_lead_minutes": 120,
        "horizon_days": 45,
        "wait_daily_limit": 6,
        "drop_off_daily_limit": 10,
        "pickup_daily_limit": 2,
        "first_response_minutes": 240,
        "resolution_days": 5,
        "followup_days": 3,
        "quiet_hours": ("20:00", "08:00"),
        "opening_hours": {
            "Mon": ("07:30", "18:00"),
            "Tue": ("07:30", "18:00"),
            "Wed": ("07:30", "18:00"),
            "Thu": ("07:30", "18:00"),
            "Fri": ("07:30", "18:00"),
            "Sat": ("08:00", "16:00"),
            # Sunday closed
        },
        # Rule-based dates: "nth" weekday of the month, -1 for the last one.
        "holidays": [
            {"name": "元旦", "name_en": "New Year's Day", "month": 1, "day": 1},
            {"name": "阵亡将士纪念日", "name_en": "Memorial Day", "month": 5, "weekday": "Mon", "nth": -1},
            {"name": "美国独立日", "name_en": "Independence Day", "month": 7, "day": 4},
            {"name": "美国劳工节", "name_en": "Labor Day", "month": 9, "weekday": "Mon", "nth": 1},
            {"name": "感恩节", "name_en": "Thanksgiving Day", "month": 11, "weekday": "Thu", "nth": 4},
            {"name": "圣诞节", "name_en": "Christmas Day", "month": 12, "day": 25},
        ],
        "closure_if_none_soon": {
            "name": "员工培训日（暂停营业）", "name_en": "Staff training day (closed)", "days_ahead": 21,
        },
        "bays": [
            ("B1", "Express Bay 1"),
            ("B2", "Express Bay 2"),
            ("B3", "Service Bay 3"),
            ("B4", "Alignment Bay 4"),
        ],
        "staff": [
            ("emily", "Emily Chen", "Emily Chen", "advisor"),
            ("james", "James Miller", "James Miller", "advisor"),
            ("sofia", "Sofia Ramirez", "Sofia Ramirez", "advisor"),
            ("maria", "Maria Lopez", "Maria Lopez", "supervisor"),
            ("tony", "Tony Nguyen", "Tony Nguyen", "workshop"),
        ],
        "services": [
            # code                 中文名                  English name                           min  labour parts estimate
            ("minor_service",      "小保养（机油+机滤）",   "Oil and filter change",                 60,  60,    45,   False),
            ("major_service",      "大保养",               "Major service (30k/60k miles)",         180, 240,   210,  False),
            ("brake_pads",         "更换刹车片（单轴）",    "Brake pads (one axle)",                 120, 150,   120,  True),
            ("brake_fluid",        "更换刹车油",           "Brake fluid flush",                     60,  90,    25,   False),
            ("tyre_replacement",   "更换轮胎（每条）",      "Tire replacement (per tire)",           60,  30,    190,  True),
            ("tyre_rotation",      "轮胎换位",             "Tire rotation",                         30,  30,    0,    False),
            ("wheel_alignment",    "四轮定位",             "Four-wheel alignment",                  60,  130,   0,    False),
            ("ac_service",         "空调检修",             "A/C service",                           90,  120,   60,   True),
            ("battery",            "更换蓄电池",           "Battery replacement",                   30,  40,    180,  True),
            ("diagnosis",          "故障诊断",             "Diagnostic check",                      60,  160,   0,    True),
            ("body_paint",         "钣金喷漆（每面起）",    "Body and paint (per panel, from)",      480, 400,   300,  True),
            ("car_wash",           "洗车",                 "Car wash",                              30,  25,    0,    False),
            ("pickup_delivery",    "上门取送车",           "Pickup and delivery",                   30,  50,    0,    False),
            ("spark_plugs",        "更换火花塞",           "Spark plug replacement",                90,  150,   80,   False),
            ("transmission_fluid", "更换变速箱油",         "Transmission fluid service",            90,  120,   110,  False),
            ("coolant",            "更换冷却液",           "Coolant flush",                         60,  100,   40,   False),
            ("inspection",         "安全检测",             "Multi-point safety inspection",         60,  60,    0,    False),
        ],
    },
]

# Console logins (/console on the front door): staff with these roles get a password when the
# demo is seeded: CONSOLE_DEMO_PASSWORD from the environment, or else a random one that the seed
# prints once ("console login: wang / <password>"). No password is ever written in this file.
CONSOLE_ROLES = ("supervisor", "workshop")
CONSOLE_PASSWORD_ENV = "CONSOLE_DEMO_PASSWORD"

# Customers and their cars. Phones are digits only: Chinese mobiles (11 digits) or a US number
# with its country code (1 + 10 digits; 555-01xx numbers are reserved for fiction).
CUSTOMERS = [
    {"store": "GZ-TH", "name": "陈志强", "phone": "13922201345", "language": "zh-Hans", "reminders": True,
     "vehicles": [
         {"plate": "粤A8K2M6", "vin": "LVGBV4EK6RG018273", "make": "Toyota", "model": "Camry 2.5G",
          "model_family": "Camry", "bought_months_ago": 24, "km": 40120, "last_service": (6, 30280)},
         {"plate": "粤AD35812", "vin": "LGXCE4CB2T0345167", "make": "BYD", "model": "Han EV",
          "model_family": "Han", "bought_months_ago": 8, "km": 11800, "last_service": (3, 5600)},
     ]},
    {"store": "GZ-TH", "name": "李秀英", "phone": "13602458817", "language": "zh-Hans", "reminders": True,
     "vehicles": [
         {"plate": "粤A3F7N2", "vin": "LHGCV1653L0102846", "make": "Honda", "model": "Accord 1.5T",
          "model_family": "Accord", "bought_months_ago": 74, "km": 96200, "last_service": (7, 88400)},
     ]},
    {"store": "GZ-TH", "name": "黄伟", "phone": "15013579246", "language": "zh-Hans", "opted_out": True,
     "vehicles": [
         {"plate": "粤A6C9T1", "vin": "LSVAX60EXK2136509", "make": "Volkswagen", "model": "Lavida 1.5L",
          "model_family": "Lavida", "bought_months_ago": 86, "km": 121300, "last_service": (11, 109800)},
     ]},
    {"store": "GZ-TH", "name": "梁晓婷", "phone": "18826134570", "language": "zh-Hans", "reminders": True,
     "vehicles": [
         {"plate": "粤AD52178", "vin": "LRW3E7EA3SC219834", "make": "Tesla", "model": "Model 3 Long Range",
          "model_family": "Model 3", "bought_months_ago": 13, "km": 21400, "last_service": (1, 20900)},
     ]},
    {"store": "GZ-TH", "name": "周俊杰", "phone": "13719088623", "language": "zh-Hans",
     "vehicles": [
         {"plate": "粤A2R8H5", "vin": "LGBH52E09M0517238", "make": "Nissan", "model": "Sylphy 1.6L",
          "model_family": "Sylphy", "bought_months_ago": 62, "km": 60350, "last_service": (8, 52100)},
     ]},
    {"store": "GZ-TH", "name": "吴丽华", "phone": "15920346781", "language": "zh-Hans",
     "vehicles": [
         {"plate": "粤B7W3E9", "vin": "LSGUV8E44P1084572", "make": "Buick", "model": "GL8 ES 2.0T",
          "model_family": "GL8", "bought_months_ago": 42, "km": 68900, "last_service": (5, 61200)},
     ]},
    {"store": "GZ-TH", "name": "郑国栋", "phone": "18613427509", "language": "zh-Hans", "reminders": True,
     "vehicles": [
         # New car, first service (首保) due: nothing serviced yet, odometer read when booking.
         {"plate": "粤BF20931", "vin": "LGXCF6CG0T0528913", "make": "BYD", "model": "Song PLUS DM-i",
          "model_family": "Song PLUS", "bought_months_ago": 2, "km": 2850, "km_recorded_days_ago": 3},
     ]},
    {"store": "GZ-TH", "name": "何嘉欣", "phone": "13560872214", "language": "zh-Hans",
     "vehicles": [
         {"plate": "粤A9J4L7", "vin": "LVHFE2652RH301872", "make": "Honda", "model": "Civic 240TURBO",
          "model_family": "Civic", "bought_months_ago": 30, "km": 35600, "last_service": (7, 26900)},
     ]},
    {"store": "GZ-TH", "name": "罗文斌", "phone": "13828791560", "language": "zh-Hans",
     "vehicles": [
         {"plate": "粤A1P6X3", "vin": "LFMAP22C5J0253719", "make": "Toyota", "model": "Corolla 1.2T",
          "model_family": "Corolla", "bought_months_ago": 96, "km": 142800, "last_service": (9, 133500)},
         {"plate": "粤A5N8V2", "vin": "LFMKN3BC4S5102648", "make": "Toyota", "model": "RAV4 2.0L",
          "model_family": "RAV4", "bought_months_ago": 18, "km": 24300, "last_service": (4, 19800)},
     ]},
    {"store": "GZ-TH", "name": "馮婉清", "phone": "15602291473", "language": "zh-Hant",
     "vehicles": [
         {"plate": "粤A4H7K9", "vin": "JTHB21B11N2009413", "make": "Lexus", "model": "ES 300h",
          "model_family": "ES", "bought_months_ago": 50, "km": 58700, "last_service": (5, 52300)},
     ]},
    {"store": "GZ-TH", "name": "邓浩然", "phone": "18923456018", "language": "zh-Hans", "reminders": True,
     "vehicles": [
         {"plate": "粤AD90315", "vin": "LGXCE6CD0R0612084", "make": "BYD", "model": "Seal EV",
          "model_family": "Seal", "bought_months_ago": 22, "km": 33100, "last_service": (2, 30500)},
     ]},
    {"store": "GZ-TH", "name": "林美玲", "phone": "13631472580", "language": "zh-Hans", "reminders": True,
     "vehicles": [
         {"plate": "粤A8T3B5", "vin": "LSVUC6BT9L6072154", "make": "Volkswagen", "model": "Tiguan L 330TSI",
          "model_family": "Tiguan", "bought_months_ago": 70, "km": 87500, "last_service": (6, 80100)},
     ]},
    {"store": "GZ-TH", "name": "谢志明", "phone": "15817239406", "language": "zh-Hans",
     "vehicles": [
         {"plate": "粤B3K8P1", "vin": "LVHRW4876SG033215", "make": "Honda", "model": "CR-V 240TURBO",
          "model_family": "CR-V", "bought_months_ago": 11, "km": 14900, "last_service": (5, 7800)},
     ]},
    {"store": "GZ-TH", "name": "Michael Brown", "phone": "13249876015", "language": "en",
     "vehicles": [
         {"plate": "粤A6E2W8", "vin": "LVGGU6A14RG130586", "make": "Toyota", "model": "Highlander 2.5L Hybrid",
          "model_family": "Highlander", "bought_months_ago": 26, "km": 39800, "last_service": (5, 33600)},
     ]},
    {"store": "GZ-TH", "name": "唐思雨", "phone": "18028617439", "language": "zh-Hans",
     "vehicles": [
         {"plate": "粤A2G5C7", "vin": "LVRHDAEB2M0074392", "make": "Mazda", "model": "CX-5 2.0L",
          "model_family": "CX-5", "bought_months_ago": 60, "km": 71200, "last_service": (10, 63900)},
     ]},
    {"store": "SJ", "name": "David Johnson", "phone": "14085550101", "language": "en", "reminders": True,
     "vehicles": [
         {"plate": "8ABC123", "vin": "1FTFW1E51PFA27461", "make": "Ford", "model": "F-150 XLT",
          "model_family": "F-150", "bought_months_ago": 40, "km": 58700, "last_service": (7, 49800)},
     ]},
    {"store": "SJ", "name": "Jennifer Lee", "phone": "14085550102", "language": "en", "reminders": True,
     "vehicles": [
         {"plate": "9DEF456", "vin": "5YJ3E1EB1SF812345", "make": "Tesla", "model": "Model 3 Long Range",
          "model_family": "Model 3", "bought_months_ago": 12, "km": 19600, "last_service": (5, 11200)},
     ]},
    {"store": "SJ", "name": "Robert Hughes", "phone": "14085550103", "language": "en",
     "vehicles": [
         {"plate": "7GHJ289", "vin": "4T1B11HK5LU093821", "make": "Toyota", "model": "Camry LE",
          "model_family": "Camry", "bought_months_ago": 72, "km": 112400, "last_service": (6, 104300)},
     ]},
    {"store": "SJ", "name": "王琳达 Linda Wang", "phone": "14085550104", "language": "zh-Hans", "reminders": True,
     "vehicles": [
         {"plate": "8KLM531", "vin": "1HGCV1F33NA067412", "make": "Honda", "model": "Accord Sport",
          "model_family": "Accord", "bought_months_ago": 48, "km": 71900, "last_service": (5, 64000)},
         {"plate": "6RST902", "vin": "5TDKZ3DC1JS204518", "make": "Toyota", "model": "Sienna XLE",
          "model_family": "Sienna", "bought_months_ago": 94, "km": 148600, "last_service": (8, 139900)},
     ]},
    {"store": "SJ", "name": "Kevin Patel", "phone": "14085550105", "language": "en",
     "vehicles": [
         {"plate": "9UVW174", "vin": "JTMRWRFV2RD215690", "make": "Toyota", "model": "RAV4 Hybrid XLE",
          "model_family": "RAV4", "bought_months_ago": 20, "km": 30100, "last_service": (4, 23400)},
     ]},
]

# Repair orders, one or more in every stage a customer can see. "timeline" lists every stage
# the car has passed, in order, each with its time and an optional note; the last one is the
# order's current stage. Items: (kind, description, English description, quantity, unit
# price, approval[, channel the customer decided by]). Extra work the customer must approve is
# added at the awaiting_approval step. "booked_via" makes the appointment the car came in on.
REPAIR_ORDERS = [
    {"key": "gz-delivered", "store": "GZ-TH", "plate": "粤A3F7N2", "advisor": "zhang.ting",
     "booked_via": "telegram", "bay": "B3", "services": ["major_service"],
     "timeline": [
         ("received", (-5, "08:50"), "预约到店，环车检查完毕，客户留车"),
         ("diagnosing", (-5, "09:10"), "全车检测"),
         ("awaiting_approval", (-5, "09:40"), "报价已发送：大保养 + 建议更换火花塞、雨刮片"),
         ("waiting_parts", (-5, "10:05"), "客户确认火花塞，不换雨刮片；领料"),
         ("in_repair", (-5, "10:30"), None),
         ("quality_check", (-5, "15:40"), "终检"),
         ("washing", (-5, "16:30"), None),
         ("ready", (-5, "17:05"), "已通知客户取车"),
         ("delivered", (-5, "17:40"), "客户取车，已结算"),
     ],
     "eta": (-5, "14:00"),
     "items": [
         ("labour", "大保养工时", "Major service labour", 1, 600, "not_needed"),
         ("part", "全合成机油 0W-20 4L", "Full-synthetic oil 0W-20 4 L", 1, 480, "not_needed"),
         ("part", "机油滤清器", "Oil filter", 1, 85, "not_needed"),
         ("part", "空气滤清器", "Engine air filter", 1, 160, "not_needed"),
         ("part", "空调滤清器", "Cabin air filter", 1, 140, "not_needed"),
         ("labour", "更换火花塞工时", "Spark plug replacement labour", 1, 150, "approved", "telegram"),
         ("part", "铱金火花塞", "Iridium spark plug", 4, 95, "approved", "telegram"),
         ("part", "雨刮片（对）", "Wiper blades (pair)", 1, 180, "declined", "telegram"),
     ]},
    {"key": "gz-received", "store": "GZ-TH", "plate": "粤A1P6X3", "advisor": "li.min",
     "timeline": [
         ("received", -0.6, "发动机故障灯常亮，客户在休息区等候"),
     ],
     "eta": 3,
     "items": [
         ("labour", "故障诊断", "Fault diagnosis", 1, 200, "not_needed"),
     ]},
    {"key": "gz-diagnosing", "store": "GZ-TH", "plate": "粤A6C9T1", "advisor": "chen.hao",
     "timeline": [
         ("received", -2.5, "刹车时有尖锐异响"),
         ("diagnosing", -2.2, "技师检查刹车系统"),
     ],
     "eta": 4,
     "items": [
         ("labour", "刹车系统检查", "Brake system inspection", 1, 200, "not_needed"),
     ]},
    {"key": "gz-awaiting", "store": "GZ-TH", "plate": "粤A8K2M6", "advisor": "li.min",
     "timeline": [
         ("received", -3.5, "40000公里保养"),
         ("diagnosing", -3.2, "技师检查：前刹车片剩余约2毫米，建议更换"),
         ("awaiting_approval", -2.6, "追加项目报价已发送给客户，等待确认"),
     ],
     "eta": 2,
     "items": [
         ("labour", "小保养工时", "Minor service labour", 1, 300, "not_needed"),
         ("part", "全合成机油 0W-20 4L", "Full-synthetic oil 0W-20 4 L", 1, 420, "not_needed"),
         ("part", "机油滤清器", "Oil filter", 1, 65, "not_needed"),
         ("labour", "更换前刹车片工时", "Front brake pad replacement labour", 1, 200, "pending"),
         ("part", "前刹车片（原厂）", "Front brake pads (genuine)", 1, 680, "pending"),
     ]},
    {"key": "gz-waiting-parts", "store": "GZ-TH", "plate": "粤B7W3E9", "advisor": "zhang.ting",
     "timeline": [
         ("received", (-2, "09:30"), "空调不制冷"),
         ("diagnosing", (-2, "10:10"), "检测：空调压缩机故障"),
         ("awaiting_approval", (-2, "11:30"), "报价：更换空调压缩机"),
         ("waiting_parts", (-2, "14:00"), "客户电话确认；压缩机需厂家调货，预计2天到货"),
     ],
     "eta": (2, "17:00"),
     "items": [
         ("labour", "空调检修", "Air-conditioning check", 1, 200, "not_needed"),
         ("labour", "更换空调压缩机工时", "A/C compressor replacement labour", 1, 450, "approved", "phone"),
         ("part", "空调压缩机", "A/C compressor", 1, 3200, "approved", "phone"),
         ("part", "制冷剂 R134a", "Refrigerant R134a", 1, 180, "approved", "phone"),
     ]},
    {"key": "gz-quality-check", "store": "GZ-TH", "plate": "粤A2R8H5", "advisor": "chen.hao",
     "timeline": [
         ("received", -4.5, "6万公里保养，更换火花塞"),
         ("diagnosing", -4.3, None),
         ("awaiting_approval", -4.1, "报价已确认"),
         ("waiting_parts", -4.0, "领料"),
         ("in_repair", -3.8, None),
         ("quality_check", -0.4, "终检试车"),
     ],
     "eta": 1,
     "items": [
         ("labour", "小保养工时", "Minor service labour", 1, 300, "not_needed"),
         ("part", "半合成机油 5W-30 4L", "Semi-synthetic oil 5W-30 4 L", 1, 320, "not_needed"),
         ("part", "机油滤清器", "Oil filter", 1, 60, "not_needed"),
         ("labour", "更换火花塞工时", "Spark plug replacement labour", 1, 150, "not_needed"),
         ("part", "火花塞", "Spark plug", 4, 90, "not_needed"),
     ]},
    {"key": "gz-washing", "store": "GZ-TH", "plate": "粤A9J4L7", "advisor": "li.min",
     "timeline": [
         ("received", -3.0, "小保养 + 四轮定位"),
         ("diagnosing", -2.9, None),
         ("awaiting_approval", -2.8, "报价已确认"),
         ("waiting_parts", -2.7, "领料"),
         ("in_repair", -2.5, None),
         ("quality_check", -1.2, None),
         ("washing", -0.3, "免费洗车中"),
     ],
     "eta": 0.5,
     "items": [
         ("labour", "小保养工时", "Minor service labour", 1, 300, "not_needed"),
         ("part", "全合成机油 0W-20 4L", "Full-synthetic oil 0W-20 4 L", 1, 420, "not_needed"),
         ("part", "机油滤清器", "Oil filter", 1, 65, "not_needed"),
         ("labour", "四轮定位", "Wheel alignment", 1, 260, "not_needed"),
     ]},
    {"key": "sj-in-repair", "store": "SJ", "plate": "7GHJ289", "advisor": "james",
     "timeline": [
         ("received", -3.0, "Brakes squeal when stopping; customer dropped the car off"),
         ("diagnosing", -2.7, "Front pads at 2 mm, rotors scored"),
         ("awaiting_approval", -2.4, "Quote for pads and rotors sent by text"),
         ("waiting_parts", -2.0, "Approved; parts from stock"),
         ("in_repair", -1.6, None),
     ],
     "eta": 2.5,
     "items": [
         ("labour", "故障诊断", "Diagnostic check", 1, 160, "not_needed"),
         ("labour", "更换前刹车片及刹车盘工时", "Front pads and rotors labour", 1, 220, "approved", "web"),
         ("part", "前刹车片", "Front brake pads", 1, 120, "approved", "web"),
         ("part", "前刹车盘", "Front brake rotor", 2, 95, "approved", "web"),
     ]},
    {"key": "sj-ready", "store": "SJ", "plate": "9DEF456", "advisor": "emily",
     "timeline": [
         ("received", -5.0, "Pulls to the right; tire rotation and alignment"),
         ("diagnosing", -4.8, None),
         ("awaiting_approval", -4.6, "Quote approved at drop-off"),
         ("waiting_parts", -4.5, None),
         ("in_repair", -4.2, None),
         ("quality_check", -2.0, "Road test OK"),
         ("washing", -1.6, None),
         ("ready", -1.2, "Ready for pickup; customer notified"),
     ],
     "eta": -1.0,
     "items": [
         ("labour", "轮胎换位", "Tire rotation", 1, 30, "not_needed"),
         ("labour", "四轮定位", "Four-wheel alignment", 1, 130, "not_needed"),
         ("part", "轮胎平衡块", "Wheel balance weights", 1, 12, "not_needed"),
     ]},
    {"key": "sj-delivered", "store": "SJ", "plate": "8ABC123", "advisor": "sofia",
     "booked_via": "web", "bay": "B1", "services": ["minor_service", "tyre_rotation"],
     "timeline": [
         ("received", (-1, "08:05"), "Oil change and tire rotation"),
         ("diagnosing", (-1, "08:20"), "Multi-point check: all green"),
         ("awaiting_approval", (-1, "08:30"), "Quote approved at drop-off"),
         ("waiting_parts", (-1, "08:40"), None),
         ("in_repair", (-1, "09:00"), None),
         ("quality_check", (-1, "10:20"), None),
         ("washing", (-1, "10:40"), None),
         ("ready", (-1, "11:05"), "Customer notified by text"),
         ("delivered", (-1, "11:40"), "Paid and picked up"),
     ],
     "eta": (-1, "12:00"),
     "items": [
         ("labour", "小保养工时", "Oil change labour", 1, 60, "not_needed"),
         ("part", "全合成机油 5W-30（夸脱）", "Full-synthetic oil 5W-30 (quart)", 6, 7, "not_needed"),
         ("part", "机油滤清器", "Oil filter", 1, 12, "not_needed"),
         ("labour", "轮胎换位", "Tire rotation", 1, 30, "not_needed"),
     ]},
]

# Appointments besides the ones repair orders came in on. Upcoming ones ("booked") reserve
# their bay for every slot they cover; the day is the n-th open day on which they fit.
APPOINTMENTS = [
    {"store": "GZ-TH", "plate": "粤A8T3B5", "status": "booked", "at": (1, "09:00"),
     "services": ["minor_service", "tyre_rotation"], "bay": "B1", "advisor": "li.min",
     "transport": "wait", "channel": "telegram", "reminder": True, "booked": -6.0},
    {"store": "GZ-TH", "plate": "粤BF20931", "status": "booked", "at": (2, "10:30"),
     "services": ["first_service"], "bay": "B2", "advisor": "chen.hao",
     "transport": "drop_off", "channel": "web", "reminder": True, "booked": -14.0,
     "note": "首保，顺便检查车机系统升级"},
    {"store": "GZ-TH", "plate": "粤B3K8P1", "status": "booked", "at": (3, "13:30"),
     "services": ["major_service", "pickup_delivery"], "bay": "B3", "advisor": "zhang.ting",
     "transport": "pickup_delivery", "channel": "telegram", "reminder": False, "booked": -3.0,
     "note": "上门取车地址：天河区体育西路"},
    {"store": "SJ", "plate": "8KLM531", "status": "booked", "at": (1, "08:00"),
     "services": ["minor_service"], "bay": "B1", "advisor": "emily",
     "transport": "wait", "channel": "web", "reminder": True, "booked": -9.0},
    {"store": "SJ", "plate": "9UVW174", "status": "booked", "at": (2, "13:00"),
     "services": ["brake_fluid", "wheel_alignment"], "bay": "B4", "advisor": "james",
     "transport": "drop_off", "channel": "telegram", "reminder": False, "booked": -4.0},
    {"store": "GZ-TH", "plate": "粤A4H7K9", "status": "cancelled", "at": (-3, "14:00"),
     "services": ["ac_service"], "bay": "B4", "advisor": "chen.hao",
     "transport": "wait", "channel": "web", "booked": (-7, "20:15"), "cancelled": (-4, "09:10"),
     "note": "客户临时出差，取消"},
    {"store": "GZ-TH", "plate": "粤A6E2W8", "status": "no_show", "at": (-2, "16:00"),
     "services": ["tyre_replacement"], "bay": "B2", "advisor": "zhang.ting",
     "transport": "wait", "channel": "telegram", "booked": (-6, "11:30")},
    {"store": "SJ", "plate": "9UVW174", "status": "cancelled", "at": (-3, "10:00"),
     "services": ["brake_fluid"], "bay": "B2", "advisor": "james",
     "transport": "wait", "channel": "phone", "booked": (-9, "15:00"), "cancelled": (-4, "08:30"),
     "note": "Customer will rebook together with an alignment"},
]

# Complaints with their timeline: (event, time, actor, detail). The first event is "created";
# deadlines follow from the store's first_response_minutes and resolution_days.
COMPLAINTS = [
    {"store": "GZ-TH", "plate": "粤A3F7N2", "order": "gz-delivered", "channel": "telegram",
     "category": "waiting_time", "severity": "normal", "status": "resolved", "assignee": "wang",
     "description": "说好下午两点取车，结果等到快六点，中间也没人告诉我进度。",
     "desired_outcome": "希望以后能按时交车，或者提前通知",
     "resolution": "致歉；延误因火花塞追加项目调料。赠送一次精致洗车，下次保养优先安排快修工位。",
     "events": [
         ("created", (-5, "18:40"), "customer", None),
         ("acknowledged", (-5, "18:40"), "bot", "已记录投诉，业务主管将在2小时内联系您"),
         ("message_out", (-4, "09:15"), "wang", "电话回访客户并致歉，说明延误原因"),
         ("resolved", (-4, "09:30"), "wang", "客户接受补偿方案"),
     ]},
    {"store": "GZ-TH", "plate": "粤A8K2M6", "order": "gz-awaiting", "channel": "telegram",
     "category": "price", "severity": "normal", "status": "escalated",
     "description": "刹车片报价680，外面店才三百多，是不是乱收费？我要找经理。",
     "desired_outcome": "给个合理价格",
     "events": [
         ("created", -1.5, "customer", None),
         ("acknowledged", -1.5, "bot", "已记录，正在为您转接业务主管"),
         ("escalated", -1.4, "bot", "customer_request"),
     ]},
    {"store": "GZ-TH", "plate": "粤AD52178", "channel": "web",
     "category": "repair_quality", "severity": "normal", "status": "new",
     "description": "上周刚换的左前轮，现在车速一过100方向盘就抖。",
     "desired_outcome": "免费重新做动平衡",
     "events": [
         ("created", -0.5, "customer", None),
         ("acknowledged", -0.5, "bot", "已记录投诉，服务顾问将尽快联系您"),
     ]},
    {"store": "SJ", "plate": "8KLM531", "channel": "web",
     "category": "advisor", "severity": "low", "status": "closed", "assignee": "maria",
     "description": "上次来保养，顾问说会打电话告诉我报价，结果一直没人联系我。",
     "desired_outcome": "希望有人负责跟进",
     "resolution": "Apologised; Emily Chen now handles the customer's visits and confirms quotes by text.",
     "events": [
         ("created", (-8, "11:20"), "customer", None),
         ("acknowledged", (-8, "11:20"), "bot", "已记录投诉，服务经理将尽快联系您"),
         ("message_out", (-8, "13:05"), "maria", "Called the customer (in Mandarin via Emily) and apologised"),
         ("resolved", (-7, "10:00"), "maria", "Advisor changed; quotes confirmed by text from now on"),
         ("closed", (-4, "10:00"), "maria", "Customer confirmed she is satisfied"),
     ]},
]

# Satisfaction surveys (CADA's five dimensions, 1-5), sent followup_days after delivery.
SURVEYS = [
    {"order": "gz-delivered", "answered_after_hours": 3,
     "scores": {"advisor": 5, "service_time": 3, "repair_quality": 5, "price": 4, "facilities": 5},
     "comment": "张顾问很专业，就是等的时间太长了。"},
]
