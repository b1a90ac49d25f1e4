"""Draw the example municipality's logo (pipeline/defaults/logo.png) with Pillow.

Run: .venv/bin/python scripts/make_logo.py. The same Pillow and font give the same bytes, so
the committed PNG can be regenerated and compared.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "defaults" / "logo.png"
FONT_DIR = Path("/usr/share/fonts/truetype/crosextra")
GREEN = (31, 92, 74)  # the policy's house colour #1F5C4A
LEAF = (122, 178, 92)
SCALE = 4  # draw large, then scale down: Pillow's shapes have no anti-aliasing


def _font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / name
    return ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size)


def draw() -> Image.Image:
    """The logo: a green shield with a linden tree, and the municipality's name beside it."""
    w, h = 760 * SCALE, 200 * SCALE
    # Opaque white, not transparent: PDF/A-1 forbids transparency and the title page is white.
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    s = SCALE
    # Shield: a rounded top and a pointed bottom.
    d.rounded_rectangle((10 * s, 10 * s, 170 * s, 130 * s), radius=28 * s, fill=GREEN)
    d.polygon([(10 * s, 110 * s), (170 * s, 110 * s), (90 * s, 190 * s)], fill=GREEN)
    # Linden tree: a trunk and three overlapping round crowns.
    d.rectangle((84 * s, 95 * s, 96 * s, 150 * s), fill=(255, 255, 255))
    for cx, cy, r in ((90, 62, 38), (62, 88, 28), (118, 88, 28)):
        d.ellipse(((cx - r) * s, (cy - r) * s, (cx + r) * s, (cy + r) * s), fill=LEAF,
                  outline=(255, 255, 255), width=4 * s)
    d.text((200 * s, 38 * s), "Gemeente", font=_font("Carlito-Regular.ttf", 54 * s), fill=GREEN)
    d.text((200 * s, 92 * s), "Lindenhoven", font=_font("Carlito-Bold.ttf", 84 * s), fill=GREEN)
    return img.resize((w // SCALE, h // SCALE), Image.Resampling.LANCZOS)


def main() -> None:
    """Write the logo next to the default policy."""
    draw().save(OUT, format="PNG", optimize=True)
    print(f"{OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
