"""Builds the real-photograph fixtures of RealPhotographsTests from Debian's python3-skimage sample data.

    apt-get download python3-skimage && dpkg -x python3-skimage_*.deb x
    python3 make_photos.py x/usr/lib/python3/dist-packages/skimage/data .

Needs Pillow (with WebP). Copies two photographs as they are, re-encodes three so that every format the platform
reads is here (JPEG, PNG, WebP), writes one JPEG whose pixels are stored sideways with an EXIF orientation tag
saying how to turn them upright, and copies the package's own truncated JPEG as a bad input.
"""
import shutil
import sys
from pathlib import Path

from PIL import Image

src, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)
shutil.copy(src / "chelsea.png", out / "chelsea.png")            # 451x300 RGB PNG, CC0
shutil.copy(src / "rocket.jpg", out / "rocket.jpg")              # 427x640 portrait JPEG, public domain
shutil.copy(src / "truncated.jpg", out / "truncated.jpg")        # a JPEG cut short: must fail, not stop the rest
Image.open(src / "astronaut.png").convert("RGB").save(out / "astronaut.jpg", quality=85)  # 512x512, public domain
Image.open(src / "coffee.png").convert("RGB").save(out / "coffee.webp", quality=80)       # 600x400 WebP, CC0
Image.open(src / "camera.png").convert("L").save(out / "camera.png")                       # 512x512 grey PNG, CC0
# Orientation 6: the stored pixels must be turned 90 degrees clockwise to be upright, so store them turned the
# other way. Upright, this is chelsea.png again, 451 wide and 300 high.
sideways = Image.open(src / "chelsea.png").convert("RGB").transpose(Image.Transpose.ROTATE_90)
exif = Image.Exif()
exif[0x0112] = 6
sideways.save(out / "chelsea-exif6.jpg", quality=90, exif=exif.tobytes())
