"""Page images rendered in the tests, for the OCR tests of the command line, the Python package
and the server: Tesseract's text2image draws the text in DejaVu Sans, Leptonica (through ctypes)
writes PNGs and multi-page TIFFs. Needs Debian's tesseract-ocr, tesseract-ocr-eng,
fonts-dejavu-core and libleptonica-dev: scripts/install-deps.sh. A missing tool fails the test
(it is part of the set-up, not an optional extra).
"""
import ctypes
import ctypes.util
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

FONTS = "/usr/share/fonts/truetype/dejavu"
IFF_PNG, IFF_TIFF_ZIP = 3, 10  # Leptonica's imageio.h


def require_tools():
    for tool in ("tesseract", "text2image"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: run scripts/install-deps.sh (Debian's tesseract-ocr, tesseract-ocr-eng)")
    if not os.path.exists(os.path.join(FONTS, "DejaVuSans.ttf")):
        pytest.fail("DejaVu Sans is missing: run scripts/install-deps.sh (Debian's fonts-dejavu-core)")


def leptonica():
    name = ctypes.util.find_library("lept") or "liblept.so.5"
    lib = ctypes.CDLL(name)
    lib.pixRead.restype = ctypes.c_void_p
    lib.pixRead.argtypes = [ctypes.c_char_p]
    lib.pixWrite.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
    lib.pixWriteTiff.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p]
    lib.pixDestroy.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    lib.pixCreate.restype = ctypes.c_void_p
    lib.pixCreate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    return lib


def render_tiff(folder: Path, name: str, text: str) -> Path:
    """`text` drawn on a 1400 x 400 page by text2image, as folder/NAME.tif."""
    (folder / f"{name}.txt").write_text(text)
    subprocess.run(["text2image", f"--text={folder / name}.txt", f"--outputbase={folder / name}",
                    "--font=DejaVu Sans", f"--fonts_dir={FONTS}", f"--fontconfig_tmpdir={folder}", "--ptsize=12",
                    "--xsize=1400", "--ysize=400", "--margin=30", "--degrade_image=false"],
                   check=True, capture_output=True, timeout=120)
    return folder / f"{name}.tif"


def render_png(folder: Path, name: str, text: str) -> Path:
    """`text` drawn as in render_tiff, written as folder/NAME.png."""
    lept = leptonica()
    pix = ctypes.c_void_p(lept.pixRead(str(render_tiff(folder, name, text)).encode()))
    assert pix.value, "Leptonica could not read the rendered page"
    assert lept.pixWrite(str(folder / f"{name}.png").encode(), pix, IFF_PNG) == 0
    lept.pixDestroy(ctypes.byref(pix))
    return folder / f"{name}.png"


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares width x height pixels: a decompression bomb's shape,
    refused from the header before anything is decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1024))
            + chunk(b"IEND", b""))


def blank_pdf(width_points: float, height_points: float, pages: int = 1) -> bytes:
    """A PDF of `pages` empty pages of the given size (1/72 inch): with pages=0, one without any;
    with a huge size, a page that would render to billions of pixels at 300 DPI."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>"]
    objects += [f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_points} {height_points}] >>"] * pages
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
