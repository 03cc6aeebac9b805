"""What the customer reads about maintenance, warranty, parts and symptoms (zh written
Simplified, en). The facts come from the knowledge tables; only the sentence frames are here."""
from __future__ import annotations

from datetime import date

from aftersales.booking_text import english, money
from aftersales.maintenance import Due
from aftersales.models import MaintenanceItem, Part, Store, Symptom, Vehicle, WarrantyPolicy
from aftersales.warranty import Period

WEAR_SERVICES = {"minor_service", "major_service", "brake_pads", "tyre_replacement", "tyre_rotation",
                 "car_wash", "wheel_alignment", "spark_plugs", "brake_fluid", "coolant", "transmission_fluid"}


def item_name(item: MaintenanceItem, language: str | None) -> str:
    return item.name_en if english(language) else item.name


def interval(item: MaintenanceItem, language: str | None) -> str:
    parts = []
    if item.km_interval:
        parts.append(f"{item.km_interval:,} km" if english(language) else f"{item.km_interval:,}公里")
    if item.month_interval:
        parts.append(f"{item.month_interval} months" if english(language) else f"{item.month_interval}个月")
    joiner = " or " if english(language) else "或"
    return joiner.join(parts)


def _names(items, language) -> str:
    return (", " if english(language) else "、").join(item_name(i, language) for i in items)


def maintenance_at_km(km: int, due: list[MaintenanceItem], by_time: list[MaintenanceItem], language: str | None) -> str:
    time_part = (", ".join(f"{item_name(i, language)} every {interval(i, language)}" for i in by_time) if english(language)
                 else "、".join(f"{item_name(i, language)}每{interval(i, language)}" for i in by_time))
    if english(language):
        head = (f"At {km:,} km: {_names(due, language)}." if due
                else f"Nothing on the schedule falls due exactly at {km:,} km.")
        return head + (f" By time, whatever the mileage: {time_part}." if time_part else "")
    head = f"{km:,}公里需要做：{_names(due, language)}。" if due else f"{km:,}公里没有到期的保养项目。"
    return head + (f"另外按时间：{time_part}（不论里程）。" if time_part else "")


def maintenance_general(items: list[MaintenanceItem], language: str | None) -> str:
    lines = [f"{item_name(i, language)}: every {interval(i, language)}" if english(language)
             else f"{item_name(i, language)}：每{interval(i, language)}" for i in items]
    head = ("Our maintenance schedule (whichever comes first). Tell me your mileage, e.g. \"what's due at 30k km\":"
            if english(language) else "保养周期如下（以先到者为准）。告诉我里程，比如“3万公里要做什么”，我帮您列出来：")
    return head + "\n" + "\n".join(lines)


def _day(day: date, language: str | None) -> str:
    return f"{day:%b} {day.day}, {day.year}" if english(language) else f"{day.year}年{day.month}月{day.day}日"


def maintenance_next_visit(vehicle: Vehicle, visit: list[Due], km_now: int, language: str | None) -> str:
    if not visit:
        return maintenance_general([], language)
    first = visit[0]
    at_km = f" (about {first.at_km:,} km)" if english(language) and first.at_km else (
        f"（约{first.at_km:,}公里）" if first.at_km else "")
    names = _names([d.item for d in visit], language)
    if english(language):
        return (f"{vehicle.plate} is at about {km_now:,} km by our estimate. Next service around "
                f"{_day(first.on, language)}{at_km}: {names}.")
    return f"{vehicle.plate} 估计目前约{km_now:,}公里，下次保养大约在{_day(first.on, language)}{at_km}，项目：{names}。"


def _period(label: str, period: Period, language: str | None) -> str:
    if english(language):
        if period.active:
            return f"{label}: {period.days_left} days and {period.km_left:,} km left (until {_day(period.ends_on, language)} or {period.km_limit:,} km)."
        return f"{label}: ended ({_day(period.ends_on, language)} / {period.km_limit:,} km)."
    if period.active:
        return f"{label}：还剩{period.days_left}天、{period.km_left:,}公里（到{_day(period.ends_on, language)}或{period.km_limit:,}公里）。"
    return f"{label}：已过期（{_day(period.ends_on, language)} / {period.km_limit:,}公里）。"


def warranty_for_car(vehicle: Vehicle, policy: WarrantyPolicy, basic: Period, repair: Period, km: int,
                     language: str | None) -> str:
    if english(language):
        labels = ("Three-guarantees period", "Repair warranty") if policy.country == "CN" else ("Basic warranty", "Powertrain warranty")
        head = f"{vehicle.plate}, bought {_day(vehicle.purchase_date, language)}, about {km:,} km now:"
    else:
        labels = ("三包有效期", "包修期") if policy.country == "CN" else ("基本保修", "动力总成保修")
        head = f"{vehicle.plate}（{_day(vehicle.purchase_date, language)}购车，目前约{km:,}公里）："
    return "\n".join([head, _period(labels[0], basic, language), _period(labels[1], repair, language)])


def warranty_facts(policy: WarrantyPolicy, language: str | None, topic: list[str] | None = None) -> str:
    facts = (policy.facts_en if english(language) else policy.facts).split("\n")
    lines = [policy.name_en if english(language) else policy.name] + [f"• {f}" for f in facts]
    if topic and set(topic) & WEAR_SERVICES:
        lines.append("Routine maintenance and wear parts (pads, tyres, filters, fluids) are not warranty repairs; "
                     "a quality fault in them within the period is." if english(language)
                     else "常规保养和易损件（刹车片、轮胎、滤芯、油液）本身不在保修范围内；但在保修期内出现的质量问题可以免费处理。")
    return "\n".join(lines)


def part_lines(store: Store | None, found: list[Part], language: str | None) -> str:
    if store is None or not found:
        return ("I couldn't find that part in our stock list. Tell me the part name or number, or I can put you through to the parts desk."
                if english(language) else "库存里没有找到这个配件。请告诉我配件名称或编号，或者我帮您转配件部。")
    lines = []
    for part in found:
        name, price = (part.name_en if english(language) else part.name), money(part.price_cents, store.currency)
        if part.quantity > 0:
            lines.append(f"{name} ({part.part_number}): {part.quantity} in stock, {price}" if english(language)
                         else f"{name}（{part.part_number}）：有货，{part.quantity}件，{price}")
        elif part.expected_on:
            lines.append(f"{name} ({part.part_number}): out of stock, expected {_day(part.expected_on, language)}, {price}"
                         if english(language) else f"{name}（{part.part_number}）：暂时缺货，预计{_day(part.expected_on, language)}到货，{price}")
        else:
            lines.append(f"{name}: out of stock; the parts desk will give a date" if english(language)
                         else f"{name}：暂时缺货，到货时间请咨询配件部")
    store_name = store.name_en if english(language) else store.name
    return (f"{store_name}:\n" if english(language) else f"{store_name}：\n") + "\n".join(lines)


def triage_text(symptom: Symptom | None, store: Store | None, language: str | None) -> str:
    if symptom is None:
        return ("I'm sorry to hear that. Could you describe it a bit more (a noise, a warning light, a smell, when it happens)? "
                "A diagnosis appointment will find it for sure." if english(language)
                else "不好意思让您遇到这个问题。能再描述一下吗（什么声音、哪个灯亮、什么味道、什么时候出现）？也可以直接预约故障诊断。")
    name = symptom.name_en if english(language) else symptom.name
    causes = symptom.causes_en if english(language) else symptom.causes
    roadside = store.roadside_phone if store else ""
    if symptom.urgency == "stop":
        if english(language):
            return (f"⚠️ {name}: please do not drive on. Pull over somewhere safe and switch off. {causes} "
                    f"Call our roadside assistance: {roadside}. I've alerted our service team, who will contact you.")
        return (f"⚠️ {name}：请不要继续驾驶，靠边停到安全的地方并熄火。{causes}"
                f"请拨打道路救援电话 {roadside}。我已通知服务团队，他们会尽快联系您。")
    if symptom.urgency == "soon":
        return (f"{name}: {causes} Please have it checked within the next few days." if english(language)
                else f"{name}：{causes}建议近几天内到店检查。")
    return (f"{name}: {causes} Book a check when it suits you." if english(language)
            else f"{name}：{causes}方便的时候预约检查即可。")
