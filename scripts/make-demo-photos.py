"""Draws the demo articles' six photos (demo/photos/*.jpg) once; they are
committed, so `make run` needs nothing of this. Synthetic scenes (no people,
no places): a sky, a sun, buildings, a crowd of shapes. Each photo comes as
the 960 px picture and its 320 px thumbnail, as an upload would make them.

    python3 -m venv /tmp/pil && /tmp/pil/bin/pip install pillow
    /tmp/pil/bin/python scripts/make-demo-photos.py
"""
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "demo" / "photos"
SCENES = [
    ("safety-quiz", (70, 130, 200), (250, 220, 170)),
    ("workshop", (40, 60, 110), (240, 150, 90)),
    ("winter-visit", (150, 180, 210), (245, 245, 250)),
    ("library", (120, 90, 60), (240, 220, 180)),
    ("sports-day", (90, 170, 230), (200, 240, 200)),
    ("award", (170, 30, 40), (250, 210, 120)),
]


def scene(seed, top, bottom):
    rng = random.Random(seed)
    w, h = 960, 640
    img = Image.new("RGB", (w, h))
    px = ImageDraw.Draw(img)
    for y in range(h):
        t = y / h
        px.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    sun = (rng.randint(100, 860), rng.randint(60, 200))
    px.ellipse([sun[0] - 50, sun[1] - 50, sun[0] + 50, sun[1] + 50], fill=(255, 235, 160))
    x = 0
    while x < w:
        bw, bh = rng.randint(60, 140), rng.randint(160, 380)
        shade = rng.randint(40, 90)
        px.rectangle([x, h - bh, x + bw, h], fill=(shade, shade + 10, shade + 25))
        for wy in range(h - bh + 20, h - 20, 36):
            for wx in range(x + 12, x + bw - 16, 28):
                if rng.random() < 0.6:
                    px.rectangle([wx, wy, wx + 12, wy + 18], fill=(255, 226, 140))
        x += bw + rng.randint(4, 20)
    for _ in range(40):
        cx, cy = rng.randint(0, w), rng.randint(h - 120, h)
        colour = rng.choice([(200, 16, 46), (30, 30, 30), (250, 250, 250), (40, 90, 160)])
        px.ellipse([cx - 14, cy - 40, cx + 14, cy - 12], fill=(240, 200, 170))
        px.rounded_rectangle([cx - 22, cy - 12, cx + 22, cy + 60], radius=12, fill=colour)
    return img.filter(ImageFilter.SMOOTH)


OUT.mkdir(parents=True, exist_ok=True)
for i, (name, top, bottom) in enumerate(SCENES):
    img = scene(i, top, bottom)
    img.save(OUT / f"{name}.jpg", quality=80, optimize=True)
    img.resize((320, 213), Image.LANCZOS).save(OUT / f"{name}-320.jpg", quality=80, optimize=True)
print("wrote", len(SCENES) * 2, "files to", OUT)
