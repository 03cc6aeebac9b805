"""The dashboard's charts as inline SVG, drawn on the server (no chart library, no CDN).

Every label is escaped; the markup has no scripts and no style attributes, so the console's
Content-Security-Policy (no inline scripts or styles) holds.
"""
from __future__ import annotations

from html import escape

CATEGORY_NAMES = {
    "advisor": ("服务顾问", "Advisor"),
    "waiting_time": ("等待时间", "Waiting time"),
    "repair_quality": ("维修质量", "Repair quality"),
    "price": ("价格", "Price"),
    "facilities": ("设施", "Facilities"),
    "product_quality": ("产品质量", "Product quality"),
    "other": ("其他", "Other"),
}
DIMENSION_NAMES = {
    "advisor": ("服务顾问", "Service advisor"),
    "service_time": ("服务时间", "Service time"),
    "repair_quality": ("维修质量", "Repair quality"),
    "price": ("价格", "Price"),
    "facilities": ("设施环境", "Facilities"),
}
COLOURS = ("#1f6feb", "#d97706", "#16a34a", "#dc2626", "#7c3aed", "#0891b2", "#6b7280")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 260, 40, 40, 16


def name(names: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    zh, en = names.get(key, (key, key))
    return en if lang == "en" else zh


def _svg(body: list[str], label: str, height: int = HEIGHT) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
            f'aria-label="{escape(label)}" class="chart">' + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 11) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="#374151">{escape(text)}</text>')


def _week_label(week: str) -> str:
    return week[5:]  # MM-DD of the Monday


def categories_per_week(figures: dict, lang: str) -> str:
    """Stacked bars: complaints per week, one colour per category, with a legend."""
    weeks, categories = figures["weeks"], figures["categories"]
    totals = [sum(w["counts"].values()) for w in figures["by_category"]]
    top = max(totals + [1])
    plot_h = HEIGHT - BOTTOM - TOP - 24
    slot = (WIDTH - LEFT - 10) / max(len(weeks), 1)
    body = [f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 10}" y2="{TOP + plot_h}" stroke="#9ca3af"/>',
            _text(LEFT - 6, TOP + 8, str(top), "end"), _text(LEFT - 6, TOP + plot_h, "0", "end")]
    for i, week in enumerate(figures["by_category"]):
        x, y = LEFT + i * slot + slot * 0.2, TOP + plot_h
        for c, category in enumerate(categories):
            count = week["counts"].get(category, 0)
            if not count:
                continue
            h = plot_h * count / top
            y -= h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" '
                        f'fill="{COLOURS[c % len(COLOURS)]}" data-category="{escape(category)}" data-count="{count}">'
                        f'<title>{escape(name(CATEGORY_NAMES, category, lang))}: {count}</title></rect>')
        body.append(_text(x + slot * 0.3, TOP + plot_h + 14, _week_label(weeks[i])))
        if totals[i]:
            body.append(_text(x + slot * 0.3, y - 3, str(totals[i])))
    legend_x = LEFT
    for c, category in enumerate(categories):
        label = name(CATEGORY_NAMES, category, lang)
        colour = COLOURS[c % len(COLOURS)]
        body.append(f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>')
        body.append(_text(legend_x + 14, HEIGHT - 5, label, "start", 10))
        legend_x += 24 + len(label) * (6 if lang == "en" else 11)
    title = "Complaints by category per week" if lang == "en" else "每周投诉（按类别）"
    return _svg(body, title)


def rate_per_week(by_week: list[dict], lang: str, title_en: str, title_zh: str, colour: str) -> str:
    """Bars of a rate (0-100 %) per week; a week with nothing to judge shows a dash."""
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT - 10) / max(len(by_week), 1)
    body = [f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - 10}" y2="{TOP + plot_h}" stroke="#9ca3af"/>',
            _text(LEFT - 6, TOP + 8, "100%", "end"), _text(LEFT - 6, TOP + plot_h, "0", "end")]
    for i, week in enumerate(by_week):
        x = LEFT + i * slot + slot * 0.2
        rate = week.get("rate")
        if rate is None:
            body.append(_text(x + slot * 0.3, TOP + plot_h - 4, "–"))
        else:
            h = plot_h * rate
            body.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" '
                        f'fill="{colour}" data-rate="{rate}"><title>{rate:.0%}</title></rect>')
            body.append(_text(x + slot * 0.3, TOP + plot_h - h - 3, f"{rate:.0%}"))
        body.append(_text(x + slot * 0.3, TOP + plot_h + 14, _week_label(week["week"])))
    return _svg(body, title_en if lang == "en" else title_zh)


def satisfaction(figures: dict, lang: str) -> str:
    """Horizontal bars: the average score (of 5) per dimension, with the number of answers."""
    dimensions = figures["dimensions"]
    row_h, label_w = 34, 150
    height = TOP + row_h * len(dimensions) + 10
    scale = (WIDTH - label_w - 80) / 5
    body = []
    for i, (dimension, figure) in enumerate(dimensions.items()):
        y = TOP + i * row_h
        body.append(_text(label_w - 8, y + 16, name(DIMENSION_NAMES, dimension, lang), "end", 12))
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{5 * scale:.1f}" height="18" fill="#e5e7eb"/>')
        if figure["average"] is None:
            body.append(_text(label_w + 8, y + 17, "–", "start"))
            continue
        body.append(f'<rect x="{label_w}" y="{y + 4}" width="{figure["average"] * scale:.1f}" height="18" '
                    f'fill="#16a34a" data-dimension="{escape(dimension)}" data-average="{figure["average"]}">'
                    f'<title>{figure["average"]:.2f} / 5</title></rect>')
        answers = f'{figure["average"]:.1f} ({figure["answers"]})'
        body.append(_text(label_w + 5 * scale + 8, y + 17, answers, "start"))
    return _svg(body, "Satisfaction by dimension" if lang == "en" else "各维度满意度", height)


def charts(figures: dict, lang: str) -> dict[str, str]:
    return {
        "by_category": categories_per_week(figures, lang),
        "sla": rate_per_week(figures["sla"]["by_week"], lang, "First response within the deadline",
                             "首次响应及时率", "#1f6feb"),
        "repeat": rate_per_week(figures["repeat"]["by_week"], lang, "Repeat complaints", "重复投诉率", "#dc2626"),
        "satisfaction": satisfaction(figures["satisfaction"], lang),
    }
