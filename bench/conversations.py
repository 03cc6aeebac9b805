"""The conversations the benchmark plays: what customers of a dealer really do, half in Chinese,
half in English (booking, maintenance and warranty questions, a complaint, a progress check),
and the stock `rasa init` assistant's own small talk for the framework's floor."""
from __future__ import annotations

import random

ZH_TIMES = ["下周二上午10点", "下周三下午两点", "下周四上午九点半", "下周五下午3点", "下下周一上午十点"]
EN_TIMES = ["next Tuesday at 10am", "next Wednesday at 2pm", "next Thursday 9:30am", "next Friday at 3pm"]


def _zh_plate(rng: random.Random) -> str:
    return "粤A" + "".join(rng.choice("0123456789") for _ in range(5))


def _zh_mobile(rng: random.Random) -> str:
    return "137" + "".join(rng.choice("0123456789") for _ in range(8))


def zh_booking(rng: random.Random) -> list[str]:
    return ["你好", f"我想{rng.choice(ZH_TIMES)}给{_zh_plate(rng)}做个小保养", _zh_mobile(rng), "/affirm"]


def en_booking(rng: random.Random) -> list[str]:
    plate = "8" + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3)) + str(rng.randint(100, 999))
    return ["hi there", f"I'd like to book a minor service {rng.choice(EN_TIMES)} at San Jose", plate,
            f"(408) 555-01{rng.randint(10, 99)}", "/affirm"]


def zh_questions(rng: random.Random) -> list[str]:
    return [rng.choice(["保养多久做一次", "多久做一次保养啊", "机油多久换一次"]),
            rng.choice(["小保养多少钱", "换刹车片要多少钱"]),
            rng.choice(["电池质保几年", "发动机保修多久"]), "谢谢"]


def en_questions(rng: random.Random) -> list[str]:
    return [rng.choice(["how often should I service my car", "when do I need an oil change"]),
            rng.choice(["how much is a minor service", "price of brake pads replacement"]),
            rng.choice(["is the battery covered by warranty", "how long is the engine warranty"]), "thanks"]


def zh_complaint(rng: random.Random) -> list[str]:
    return [rng.choice(["我要投诉，收费比报价多了300块", "投诉！等了三个多小时车还没修好"]), "粤A6C9T1", "9246",
            "/affirm", "/deny", "希望给个说法"]


def en_complaint(rng: random.Random) -> list[str]:
    return [rng.choice(["I want to complain, the advisor was rude", "complaint: I waited 4 hours for an oil change"]),
            "7GHJ289", "0103", "/affirm", "/deny", "an apology"]


def zh_progress(rng: random.Random) -> list[str]:
    return ["我的车修好了吗", "粤A6C9T1", "9246", "好的谢谢"]


def en_progress(rng: random.Random) -> list[str]:
    return ["where is my car, is it ready?", "7GHJ289", "0103", "ok thanks"]


OURS = [zh_booking, en_booking, zh_questions, en_questions, zh_complaint, en_complaint, zh_progress, en_progress]


def stock(rng: random.Random) -> list[str]:
    """What `rasa init`'s moodbot understands (greet, mood, affirm/deny, bot challenge, goodbye)."""
    return [rng.choice(["hello", "hi", "hey there"]), rng.choice(["I am sad", "not good", "very sad"]),
            rng.choice(["yes", "no"]), "are you a bot?", "bye"]


def ours(rng: random.Random) -> list[str]:
    return rng.choice(OURS)(rng)
