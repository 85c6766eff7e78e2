"""Renders a text file as a page image, and has Tesseract write its hOCR, for the web page test
(test_web_page.mjs): OUT_DIR/page.png and OUT_DIR/page.hocr. Drawn as the other OCR tests draw
theirs (tests/page_images.py).

Usage: python render_page.py TEXT_FILE OUT_DIR
"""
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from page_images import render_png, require_tools  # noqa: E402


def main() -> None:
    text_file, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    require_tools()
    png = render_png(out_dir, "page", text_file.read_text())
    subprocess.run(["tesseract", png, out_dir / "page", "-l", "eng", "hocr"], check=True, capture_output=True,
                   timeout=300)
    print(png)


if __name__ == "__main__":
    main()
