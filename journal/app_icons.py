"""Draws the installable app's icons from one drawing: an SVG and PNGs of 192 and 512 px.

Run `python -m journal.app_icons` after changing the drawing; the files are committed.
The PNGs come from Pillow alone, drawn four times larger and scaled down for smooth edges,
so the same drawing gives the same bytes on any machine with the same Pillow.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
# The favicon's drawing on a 32-unit square, padded so Android's round mask keeps it whole.
UNITS = 32
BACKGROUND = "#0b4f6c"
SHAPES = (
    # (centre x, centre y, radius x, radius y, colour): two footprints, walking.
    (12.0, 19.0, 3.4, 5.5, "#ffffff"),
    (20.0, 13.0, 3.4, 5.5, "#ffbf47"),
)
SUPERSAMPLE = 4


def svg() -> str:
    ellipses = "".join(
        f'<ellipse cx="{cx}" cy="{cy}" rx="{rx}" ry="{ry}" fill="{colour}"/>'
        for cx, cy, rx, ry, colour in SHAPES
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {UNITS} {UNITS}">'
        f'<rect width="{UNITS}" height="{UNITS}" fill="{BACKGROUND}"/>{ellipses}</svg>\n'
    )


def png(size: int) -> Image.Image:
    big = size * SUPERSAMPLE
    scale = big / UNITS
    image = Image.new("RGB", (big, big), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for cx, cy, rx, ry, colour in SHAPES:
        box = ((cx - rx) * scale, (cy - ry) * scale, (cx + rx) * scale, (cy + ry) * scale)
        draw.ellipse(box, fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "app-icon.svg").write_text(svg())
    for size in (192, 512):
        png(size).save(OUT / f"app-icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
