"""The feelings heat map: feelings down, touchpoints across, coloured by valence.

Good feelings are drawn in blue, bad ones in orange and indifference in grey, darker
for more (a count, or a share of the touchpoint's observations); the number is written
in every cell and the rows are grouped under "Good", "Neutral" and "Bad", so the
picture reads without colour. Blue against orange stays apart for the common forms of
colour blindness. Labels are horizontal: the chart is drawn one unit a pixel and
scrolls sideways on a phone rather than shrinking its text.
"""

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy, pgettext_lazy

from insights.charts import GRID, MUTED, _el, _svg, _text, ink_on, percent
from insights.journey import NEGATIVE, POSITIVE

COUNTS, SHARES = "counts", "shares"
MODES = (COUNTS, SHARES)

# From the palest to the darkest shade of each hue.
HUES = {
    "good": ((236, 244, 251), (8, 69, 148)),
    "neutral": ((243, 244, 246), (75, 85, 99)),
    "bad": ((254, 240, 226), (153, 52, 4)),
}
GROUP_LABELS = {
    "good": gettext_lazy("Good feelings"),
    "neutral": pgettext_lazy("feelings", "Neutral"),
    "bad": gettext_lazy("Bad feelings"),
}
EMPTY = "#ffffff"
# Drawn one unit a pixel, so this is the rendered size.
FONT = 13


def valence(emotion: str) -> str:
    if emotion in POSITIVE:
        return "good"
    if emotion in NEGATIVE:
        return "bad"
    return "neutral"


def colour(emotion: str, strength: float) -> str:
    """The valence's hue, from pale (strength 0) to dark (strength 1)."""
    low, high = HUES[valence(emotion)]
    t = 0.15 + 0.85 * max(0.0, min(strength, 1.0))
    rgb = (round(a + (b - a) * t) for a, b in zip(low, high, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def add_shares(data: dict) -> None:
    """Each cell's share of its touchpoint's observations, and the largest of each kind."""
    for row in data["rows"]:
        row["total"] = sum(cell["count"] for cell in row["cells"])
        for cell in row["cells"]:
            cell["share"] = cell["count"] / row["total"] if row["total"] else 0.0
    data["max_share"] = max(
        (cell["share"] for row in data["rows"] for cell in row["cells"]), default=0.0
    )


def cell_text(cell: dict, mode: str) -> str:
    return percent(cell["share"]) if mode == SHARES else str(cell["count"])


def _column_width(label: str) -> int:
    # About 7.5 units a character at 13 units, with a margin: no label is cut or rotated.
    return max(56, round(7.5 * len(label)) + 12)


def heatmap(data: dict, *, mode: str, title: str, desc: str) -> SafeString:
    """Rows are feelings, best to worst, grouped by valence; columns are touchpoints."""
    label_w, row_h, head, group_h = 100, 30, 24, 22
    columns = data["rows"]
    widths = [_column_width(column["label"]) for column in columns]
    peak = max(data["max_share"] if mode == SHARES else data["max"], 1e-9)
    body = []
    x = label_w
    for column, width in zip(columns, widths, strict=True):
        body.append(_text(x + width / 2, head - 8, column["label"], anchor="middle", size=FONT))
        x += width
    width_total = x + 4
    y = head
    group = None
    for index, (emotion, label) in enumerate(data["emotions"]):
        if valence(emotion) != group:
            group = valence(emotion)
            body.append(_text(4, y + 15, GROUP_LABELS[group], fill=MUTED, weight="600", size=FONT))
            body.append(_el("line", x1=4, y1=y + 20, x2=width_total - 4, y2=y + 20, stroke=GRID))
            y += group_h
        body.append(_text(label_w - 6, y + row_h / 2 + 4, label, anchor="end", size=FONT))
        x = label_w
        for column, width in zip(columns, widths, strict=True):
            cell = column["cells"][index]
            strength = (cell["share"] if mode == SHARES else cell["count"]) / peak
            fill = colour(emotion, strength) if cell["count"] else EMPTY
            body.append(
                _el(
                    "rect",
                    x=x + 1,
                    y=f"{y + 1:.1f}",
                    width=width - 2,
                    height=row_h - 2,
                    fill=fill,
                    stroke=GRID,
                    data_valence=valence(emotion),
                )
            )
            if cell["count"]:
                body.append(
                    _text(
                        x + width / 2,
                        y + row_h / 2 + 4,
                        cell_text(cell, mode),
                        anchor="middle",
                        fill=ink_on(fill),
                        size=FONT,
                    )
                )
            x += width
        y += row_h
    return _svg(width_total, y + 4, title, desc, body, natural=True)
