"""What the customer reads about bookings, in Chinese (written Simplified) and English.

Kept apart from the rules (capacity, appointments) and from Rasa: the actions pick the
language, aftersales.language.in_script turns Chinese into Traditional where wanted.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aftersales.capacity import Availability
from aftersales.models import Appointment, ServiceType, Store

ZH_WEEKDAYS = "一二三四五六日"
SYMBOLS = {"CNY": "¥", "USD": "$", "HKD": "HK$", "EUR": "€"}

PROMPTS = {
    "ask_services": ("请问要做什么项目？可以选下面的，也可以直接说（如“小保养+洗车”）。",
                     "What would you like done? Pick below or just say it (e.g. \"oil change and a wash\")."),
    "ask_vehicle": ("请问是哪台车？请发车牌号（如 粤B12345）。",
                    "Which car is it? Please send the plate number."),
    "ask_vehicle_known": ("请问给哪台车预约？", "Which of your cars is it for?"),
    "ask_phone": ("请留一个联系手机号，方便顾问和您确认。",
                  "Please give a mobile number the advisor can reach you on."),
    "ask_phone_owner": ("为保护车主信息，请发这台车登记手机号的后4位（或完整号码）。",
                        "To protect the owner, please send the last 4 digits of the phone number on record for this car (or all of it)."),
    "ask_store": ("请问去哪家店？", "Which store would you like to visit?"),
    "ask_time": ("请问想约什么时间？可以说“明天上午10点”，或选下面最近的空位。",
                 "When would you like to come? Say e.g. \"tomorrow 10am\", or pick one of the nearest free slots."),
    "no_such_time": ("“{when}”这个时间不存在，请换一个，比如“明天上午10点”。",
                     "\"{when}\" is not a real date or time. Please give another one, e.g. \"tomorrow 10am\"."),
    "confirm_hint": ("信息没问题的话请点“确认预约”。想改什么直接说（如“改成后天下午”）。给顾问留言请发“备注：……”。",
                     "If that's right, tap Confirm. To change anything just say it (e.g. \"make it Friday\"). "
                     "To leave the advisor a note, send \"note: ...\"."),
    "phone_mismatch": ("这个号码和车辆登记的不一致，请再核对一下车主手机号。",
                       "That number doesn't match our records for this car. Please check the owner's phone number."),
    "locked": ("核对失败次数太多，为保护车主信息，15分钟内不能再核对。如需帮助请直接致电门店。",
               "Too many attempts that didn't match. To protect the owner, checks are paused for 15 minutes; "
               "please call the store if you need help."),
    "plate_not_yours": ("这台车登记在别的客户名下，无法替他预约。请确认车牌号。",
                        "That car is registered to another customer, so I can't book it for you. Please check the plate."),
    "no_such_service": ("这家店的服务项目里没有找到您说的，请从下面选择。",
                        "I couldn't find that on this store's service menu; please pick from the list."),
    "pick_slot": ("{day}还有这些空位，请选一个：", "Free slots {day}, please pick one:"),
    "nearest_slots": ("最近的空位如下，请选一个：", "The nearest free slots are below; please pick one."),
    "booked": ("预约成功！预约号 {reference}。{when}，{store}，顾问{advisor}。到店请报车牌，如需改约或取消随时告诉我。",
               "You're booked! Reference {reference}. {when} at {store}, advisor {advisor}. "
               "Tell me any time if you need to move or cancel it."),
    "reminder_on": ("我们会在前一天提醒您（回复“退订”可关闭提醒）。",
                    "We'll remind you the day before (reply \"stop reminders\" to turn them off)."),
    "slot_gone": ("抱歉，刚刚这个时间被别人约走了。", "Sorry, that slot was just taken."),
    "transport_full": ("抱歉，当天的{transport}名额已满。", "Sorry, {transport} is fully booked that day."),
    "note_saved": ("已记下备注：{note}", "Noted for the advisor: {note}"),
    "none": ("您目前没有待到店的预约。需要的话我可以帮您预约。",
             "You have no upcoming appointments. I can book one for you if you like."),
    "your_appointments": ("您的预约：", "Your appointments:"),
    "which_appointment": ("请问要改哪一个预约？", "Which appointment do you mean?"),
    "not_found": ("没有找到您名下的这个预约号，请核对一下（只能查看和修改自己的预约）。",
                  "I can't find that reference among your appointments. Please check it "
                  "(you can only see and change your own appointments)."),
    "identify_first": ("请先告诉我您的车牌号，方便核实身份。", "Please tell me your car's plate number first, so I can check it's you."),
    "ask_new_time": ("要改到什么时间？", "What time would you like instead?"),
    "moved": ("已改约：{reference} 改到 {when}。原时间已释放。", "Done: {reference} is now {when}. The old slot has been released."),
    "confirm_cancel": ("确定要取消 {reference}（{when}）吗？", "Cancel {reference} ({when})?"),
    "cancelled": ("已取消预约 {reference}。需要时随时再约。", "Appointment {reference} is cancelled. Book again any time."),
    "kept": ("好的，预约保留不变。", "OK, your appointment stays as it is."),
    "too_late_to_change": ("这个预约已经开始或已结束，无法再修改，请联系门店。",
                           "That appointment has already started or ended; please call the store."),
    "opt_out": ("已关闭预约提醒，以后不会再发。", "Reminders are off; we won't send any more."),
}

TRANSPORT = {
    "wait": ("到店等候", "wait at the store"),
    "drop_off": ("放车后离开", "drop the car off"),
    "pickup_delivery": ("上门取送车", "pickup and delivery"),
}

REASONS = {
    "past": ("这个时间已经过去了。", "That time has already passed."),
    "too_soon": ("这个时间太近了，需要至少提前{lead}预约。", "That's too soon: bookings need at least {lead} notice."),
    "beyond_horizon": ("只能预约{days}天以内的时间，请换一个近一点的日子。",
                       "Bookings open {days} days ahead; please choose an earlier date."),
    "outside_hours": ("这个时间不在营业时间内（{hours}）。", "That's outside our opening hours ({hours})."),
    "closed_weekly": ("那天门店休息（{hours}）。", "The store is closed that day ({hours})."),
    "closed_holiday": ("那天是{holiday}，门店休息。", "The store is closed that day ({holiday})."),
    "full": ("这个时间已约满。", "That time is fully booked."),
    "day_full": ("那天已经约满了。", "That day is fully booked."),
    "transport_full": ("当天这个取送方式的名额已满。", "That transport option is full that day."),
}


def pick(pair: tuple[str, str], language: str | None) -> str:
    return pair[1] if (language or "").startswith("en") else pair[0]


def say(key: str, language: str | None, **values) -> str:
    return pick(PROMPTS[key], language).format(**values)


def english(language: str | None) -> bool:
    return (language or "").startswith("en")


def when(instant: datetime, store: Store, language: str | None) -> str:
    """'11月24日（周二）10:00' or 'Tue Nov 24, 10:00', in the store's time."""
    local = instant.astimezone(ZoneInfo(store.timezone))
    if english(language):
        return f"{local:%a %b} {local.day}, {local:%H:%M}"
    return f"{local.month}月{local.day}日（周{ZH_WEEKDAYS[local.weekday()]}）{local:%H:%M}"


def day_name(instant: datetime, store: Store, language: str | None) -> str:
    local = instant.astimezone(ZoneInfo(store.timezone))
    if english(language):
        return f"on {local:%a %b} {local.day}"
    return f"{local.month}月{local.day}日（周{ZH_WEEKDAYS[local.weekday()]}）"


def short_time(instant: datetime, store: Store, language: str | None) -> str:
    """A button label: '周二 10:00' / 'Tue 10:00'."""
    local = instant.astimezone(ZoneInfo(store.timezone))
    if english(language):
        return f"{local:%a %b} {local.day} {local:%H:%M}"
    return f"{local.month}/{local.day} 周{ZH_WEEKDAYS[local.weekday()]} {local:%H:%M}"


def money(cents: int, currency: str) -> str:
    amount = f"{cents / 100:,.2f}".removesuffix(".00")
    return f"{SYMBOLS.get(currency, currency + ' ')}{amount}"


def service_name(service: ServiceType, language: str | None) -> str:
    return service.name_en if english(language) else service.name


def store_name(store: Store, language: str | None) -> str:
    return store.name_en if english(language) else store.name


def refusal(availability: Availability, store: Store, language: str | None) -> str:
    """Why a wanted time cannot be booked, in a sentence."""
    from aftersales.stores import opening_hours_text

    reason = availability.reason
    if reason == "closed":
        closure = availability.closure
        if closure is not None and closure.kind == "holiday":
            name = (closure.name_en or closure.name) if english(language) else closure.name
            return pick(REASONS["closed_holiday"], language).format(holiday=name)
        reason = "closed_weekly"
    lead_minutes = store.min_lead_minutes
    lead = (f"{lead_minutes // 60} hours" if english(language) else f"{lead_minutes // 60}小时") if lead_minutes >= 60 \
        else (f"{lead_minutes} minutes" if english(language) else f"{lead_minutes}分钟")
    return pick(REASONS.get(reason, REASONS["full"]), language).format(
        lead=lead, days=store.horizon_days, hours=opening_hours_text(store, english(language))
    )


def summary(
    *, store: Store, services: list[ServiceType], plate: str, start: datetime, advisor: str | None,
    estimate, transport: str, note: str | None, language: str | None,
) -> str:
    """The booking as the customer confirms it: labour and parts on lines of their own."""
    en = english(language)
    names = ", ".join(service_name(s, language) for s in services) if en else "、".join(
        service_name(s, language) for s in services)
    hours, minutes = divmod(estimate.duration_minutes, 60)
    duration = (f"{hours} h {minutes} min" if minutes else f"{hours} h") if en else (
        f"{hours}小时{minutes}分钟" if minutes else f"{hours}小时")
    if hours == 0:
        duration = f"{minutes} min" if en else f"{minutes}分钟"
    approx = "" if not estimate.is_estimate else (" (estimate, confirmed after inspection)" if en else "（预估，检查后确认）")
    rows = [
        ("Please check your booking:" if en else "请确认预约信息："),
        (f"Service: {names}" if en else f"项目：{names}"),
        (f"Car: {plate}" if en else f"车辆：{plate}"),
        (f"Store: {store_name(store, language)}" if en else f"门店：{store_name(store, language)}"),
        (f"Time: {when(start, store, language)}" if en else f"时间：{when(start, store, language)}"),
        (f"Advisor: {advisor or 'assigned on arrival'}" if en else f"服务顾问：{advisor or '到店分配'}"),
        (f"Estimated duration: {duration}" if en else f"预计用时：{duration}"),
        (f"Labour: {money(estimate.labour_cents, store.currency)}" if en
         else f"工时费：{money(estimate.labour_cents, store.currency)}"),
        (f"Parts: {money(estimate.parts_cents, store.currency)}" if en
         else f"配件费：{money(estimate.parts_cents, store.currency)}"),
        (f"Estimated total: {money(estimate.total_cents, store.currency)}{approx}" if en
         else f"预计合计：{money(estimate.total_cents, store.currency)}{approx}"),
        (f"Transport: {pick(TRANSPORT[transport], language)}" if en
         else f"交车方式：{pick(TRANSPORT[transport], language)}"),
    ]
    if note:
        rows.append(f"Note: {note}" if en else f"备注：{note}")
    return "\n".join(rows)


def appointment_line(appointment: Appointment, store: Store, language: str | None) -> str:
    names = ("、" if not english(language) else ", ").join(
        service_name(item.service, language) for item in appointment.services
    )
    return f"{appointment.reference}  {when(appointment.starts_at, store, language)}  {names}"


def price_line(store: Store, service: ServiceType, language: str | None) -> str:
    """'小保养：工时费 ¥300 + 配件费 ¥450 = ¥750' (marked when confirmed only after inspection)."""
    labour, parts = money(service.labour_cents, store.currency), money(service.parts_cents, store.currency)
    total = money(service.labour_cents + service.parts_cents, store.currency)
    if english(language):
        extra = " (estimate, confirmed after inspection)" if service.price_is_estimate else ""
        return f"{service.name_en}: labour {labour} + parts {parts} = {total}{extra}"
    extra = "（预估，检查后确认）" if service.price_is_estimate else ""
    return f"{service.name}：工时费 {labour} + 配件费 {parts} = {total}{extra}"
