"""Charts drawn on the server as SVG: no script, no inline style, readable on a phone.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that says
in words what the picture shows; the page puts the data table next to it. Colours
are presentation attributes, which the content security policy allows.
"""

import datetime as dt
import math
from itertools import count

from django.utils.formats import date_format, get_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

# Drawn in a 400-unit wide box: on a 360 px phone the box is about 330 px wide, so
# 15-unit text renders at 12 px or more; on a laptop the box is capped by CSS.
WIDTH = 400
FONT = 15
INK = "#1f2d3d"
MUTED = "#4f5b66"
GRID = "#d5dbe0"
BAR = "#0b4f6c"
TARGET = "#b3541e"
# Light and dark by turns, so neighbouring segments differ by 3:1 or more; each
# segment's number is written on it in black or white, whichever reads.
STATUS_COLOURS = {
    "open": "#fdd49e",
    "in_progress": "#08519c",
    "done": "#a1d99b",
    "verified": "#00441b",
    "dropped": "#d9d9d9",
}
_ids = count(1)


def _attrs(attrs: dict) -> str:
    return " ".join(f'{key.replace("_", "-")}="{escape(value)}"' for key, value in attrs.items())


def _el(tag: str, content: str = "", **attrs) -> str:
    if content:
        return f"<{tag} {_attrs(attrs)}>{content}</{tag}>"
    return f"<{tag} {_attrs(attrs)}/>"


def _text(x, y, text, *, size=FONT, anchor="start", fill=INK, weight="normal") -> str:
    return _el(
        "text",
        escape(text),
        x=f"{x:.1f}",
        y=f"{y:.1f}",
        font_size=size,
        text_anchor=anchor,
        fill=fill,
        font_weight=weight,
    )


def _svg(
    width: int, height: float, title: str, desc: str, body: list[str], *, natural: bool = False
) -> SafeString:
    """natural: drawn one unit a pixel (width and height given), for charts that scroll
    sideways on a phone rather than shrink their text."""
    n = next(_ids)
    size = format_html(' width="{}" height="{}"', width, f"{height:.0f}") if natural else ""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}"{} role="img" '
        'aria-labelledby="chart-title-{} chart-desc-{}" class="chart-svg{}" '
        'font-family="system-ui, sans-serif">'
        '<title id="chart-title-{}">{}</title><desc id="chart-desc-{}">{}</desc>{}</svg>',
        width,
        f"{height:.0f}",
        size,
        n,
        n,
        " chart-natural" if natural else "",
        n,
        title,
        n,
        desc,
        mark_safe("".join(body)),  # noqa: S308 - every piece is built from escaped values
    )


def short_day(value: dt.date) -> str:
    """A day with its month shortened the reader's way: "4 Jun 2026", "4 juin 2026"."""
    return date_format(value, pgettext("date format", "j M Y"))


def short_day_month(value: dt.date) -> str:
    """The same without the year: "4 Jun", "4 juin"."""
    return date_format(value, pgettext("date format", "j M"))


def signed(value: float) -> str:
    """A score with its sign and one decimal, the reader's decimal mark: "+1.5", "+1,5"."""
    return f"{value:+.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def one_place(value: float) -> str:
    """One decimal, the reader's decimal mark: "2.0", "2,0"."""
    return f"{value:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))


def percent(value: float | None) -> str:
    """A share as a whole percentage, written the reader's way ("45%", "45 %")."""
    if value is None:
        return gettext("no data")
    return gettext("%(number)s%%") % {"number": f"{value * 100:.0f}"}


def _week_label(week: dt.date) -> str:
    return short_day_month(week)


def weekly_bars(
    points: list[dict],
    *,
    title: str,
    desc: str,
    value: str,
    target: str | None = None,
    as_percent: bool = False,
    label=None,
    mark_missing: bool = False,
) -> SafeString:
    """Vertical bars, one per week (or per point), with an optional dashed target line.

    With ``mark_missing``, a point without a value (None) carries a "no data" mark above
    its axis, so a month with nothing to measure is not read as a month at 0 %.
    """
    label = label or _week_label
    height, top, bottom, left, right = 210, 18, 40, 48, 8
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    values = [p[value] for p in points]
    targets = [p[target] for p in points] if target else []
    peak = 1.0 if as_percent else max([v or 0 for v in values] + targets + [1])
    slot = plot_w / max(len(points), 1)
    body = [
        _el("line", x1=left, y1=top + plot_h, x2=WIDTH - right, y2=top + plot_h, stroke=INK),
        _el("line", x1=left, y1=top, x2=WIDTH - right, y2=top, stroke=GRID),
        _text(left - 4, top + 5, percent(peak) if as_percent else f"{peak:.3g}", anchor="end"),
        _text(left - 4, top + plot_h + 5, "0", anchor="end"),
    ]
    # Labels at least 60 units apart: a date at 15 units is about 45 wide.
    label_every = max(1, math.ceil(60 / slot))
    for i, point in enumerate(points):
        x = left + i * slot
        v = point[value]
        if v:
            h = plot_h * v / peak
            body.append(
                _el(
                    "rect",
                    x=f"{x + slot * 0.15:.1f}",
                    y=f"{top + plot_h - h:.1f}",
                    width=f"{slot * 0.7:.1f}",
                    height=f"{h:.1f}",
                    fill=BAR,
                )
            )
        elif v is None and mark_missing:
            body.append(
                _text(x + slot / 2, top + plot_h - 6, gettext("n/a"), anchor="middle", fill=MUTED)
            )
        if i % label_every == 0:
            body.append(
                _text(x + slot / 2, height - bottom + 20, label(point["week"]), anchor="middle")
            )
    if targets:
        line = " ".join(
            f"{left + (i + 0.5) * slot:.1f},{top + plot_h - plot_h * t / peak:.1f}"
            for i, t in enumerate(targets)
        )
        body.append(
            _el(
                "polyline",
                points=line,
                fill="none",
                stroke=TARGET,
                stroke_width=2,
                stroke_dasharray="6 4",
            )
        )
    return _svg(WIDTH, height, title, desc, body)


def ink_on(fill: str) -> str:
    """White or black text, whichever contrasts more with the fill."""
    return "#ffffff" if contrast(fill, "#ffffff") >= contrast(fill, "#000000") else "#000000"


def _luminance(hex_colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(one: str, other: str) -> float:
    high, low = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def stacked_bars(
    rows: list[dict], segments: list[tuple[str, str]], *, title: str, desc: str
) -> SafeString:
    """Horizontal bars split into segments (actions by status), the label above each bar
    and each segment's number on it when it is wide enough (the data table has them all)."""
    left, right, bar_h, row_h = 4, 44, 22, 50
    legend_h = 26 * ((len(segments) + 2) // 3)
    plot_w = WIDTH - left - right
    peak = max([sum(row["values"].values()) for row in rows] + [1])
    body = []
    for i, (key, label) in enumerate(segments):
        x, y = 4 + (i % 3) * 132, 6 + (i // 3) * 26
        body.append(
            _el(
                "rect",
                x=x,
                y=y,
                width=14,
                height=14,
                fill=STATUS_COLOURS.get(key, BAR),
                stroke=INK,
                rx=2,
            )
        )
        body.append(_text(x + 20, y + 13, label))
    for r, row in enumerate(rows):
        y = legend_h + 8 + r * row_h
        body.append(_text(left, y + 14, row["label"], weight="600"))
        x = left
        for key, _ in segments:
            v = row["values"].get(key, 0)
            if v:
                w = plot_w * v / peak
                fill = STATUS_COLOURS.get(key, BAR)
                body.append(
                    _el(
                        "rect",
                        x=f"{x:.1f}",
                        y=y + 20,
                        width=f"{w:.1f}",
                        height=bar_h,
                        fill=fill,
                        stroke=INK,
                        stroke_width="0.5",
                    )
                )
                if w >= 9 * len(str(v)) + 4:
                    body.append(
                        _text(x + w / 2, y + 36, str(v), anchor="middle", fill=ink_on(fill))
                    )
                x += w
        total = sum(row["values"].values())
        body.append(_text(x + 4, y + 36, str(total)))
    return _svg(WIDTH, legend_h + 16 + len(rows) * row_h, title, desc, body)


def ranking_bars(
    rows: list[dict], *, title: str, desc: str, target: float | None = None, as_percent=True
) -> SafeString:
    """Horizontal bars, the label above each and the value printed after it.

    Scaled to the largest value (or the target, if larger), so 240% and 168% differ;
    target: a dashed mark at that value, labelled.
    """
    left, right, bar_h, row_h = 4, 56, 20, 48
    plot_w = WIDTH - left - right
    peak = max([row["value"] or 0 for row in rows] + [target or 0, 1e-9])
    if as_percent:
        peak = max(peak, 1.0)
    top = 22 if target else 4
    body = []
    for r, row in enumerate(rows):
        y = top + r * row_h
        body.append(_text(left, y + 14, row["label"], weight="600"))
        body.append(_el("rect", x=left, y=y + 20, width=plot_w, height=bar_h, fill="#eef1f4"))
        value = row["value"]
        if value:
            body.append(
                _el(
                    "rect",
                    x=left,
                    y=y + 20,
                    width=f"{plot_w * value / peak:.1f}",
                    height=bar_h,
                    fill=BAR,
                )
            )
        shown = percent(value) if as_percent else str(value)
        body.append(_text(left + plot_w + 4, y + 35, shown))
    height = top + len(rows) * row_h + 4
    if target:
        x = left + plot_w * target / peak
        body.append(
            _el(
                "line",
                x1=f"{x:.1f}",
                y1=16,
                x2=f"{x:.1f}",
                y2=height - 4,
                stroke=TARGET,
                stroke_width=2,
                stroke_dasharray="5 3",
            )
        )
        shown = percent(target) if as_percent else f"{target:g}"
        label = gettext("target %(target)s") % {"target": shown}
        body.append(_text(x, 13, label, anchor="end" if x > WIDTH / 2 else "start", fill=TARGET))
    return _svg(WIDTH, height, title, desc, body)
