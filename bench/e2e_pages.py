"""Page images for bench/e2e_ocr.py: ground-truth text laid out in lines, drawn with Pillow,
then degraded with ImageMagick's convert, every random choice seeded.

Pillow draws, not Tesseract's text2image: the benchmark needs the exact text of every
drawn line as its reference (text2image wraps and drops characters on its own), glyphs a
face lacks drawn from a fallback face, and one seeded layout per record.

Needs Pillow and fontTools (requirements-dev.txt) and ImageMagick (scripts/install-deps.sh).
"""

import hashlib
import random
import subprocess
import unicodedata

from PIL import Image, ImageDraw, ImageFont

DPI = 300  # the resolution pages are drawn at; a level may lower it
MARGIN_PX = 150
TEXT_WIDTH_PX = 1650  # 5.5 inches at 300 dpi: a book's or a newspaper's wide column
LINE_SPACING = 1.35   # line pitch over the font size


class FaceChain:
    """A face and its fallbacks: each character is drawn with the first face that has it.

    Fraktur faces lack a few characters of the German ground truth (combining small e,
    the double hyphen ⸗); they come from a Debian face instead of being dropped, so the
    page still shows every character of its reference text."""

    def __init__(self, paths, size_px):
        from fontTools.ttLib import TTFont  # only here: the cmap of each face

        self.paths = list(paths)
        self.fonts = [ImageFont.truetype(path, size_px) for path in self.paths]
        self.coverage = [set(TTFont(path, lazy=True).getBestCmap()) for path in self.paths]
        self.size_px = size_px

    def face_of(self, cluster):
        for index, covered in enumerate(self.coverage):
            if all(ord(c) in covered for c in cluster):
                return index
        return 0  # no face has it all: the first face's missing glyph, counted by missing()

    def runs(self, line):
        """The line cut into (face index, text) runs. A letter and its combining marks go
        together to a face that has them all (a mark alone would be drawn on a dotted circle)."""
        clusters = []
        for char in line:
            if clusters and unicodedata.combining(char):
                clusters[-1] += char
            else:
                clusters.append(char)
        runs = []
        for cluster in clusters:
            face = self.face_of(cluster)
            if runs and (runs[-1][0] == face or cluster.isspace()):
                runs[-1][1].append(cluster)
            else:
                runs.append((face, [cluster]))
        return [(face, "".join(parts)) for face, parts in runs]

    def width(self, line):
        return sum(self.fonts[face].getlength(text) for face, text in self.runs(line))

    def missing(self, text):
        """Characters no face of the chain has (drawn as the first face's missing glyph)."""
        return sorted({c for c in text if not c.isspace() and all(ord(c) not in cov for cov in self.coverage)})


# Marks a transcription puts at a line end for what the page printed there: HIPE-OCRepair's
# ground truths write ¬ for a word hyphenated across the line break.
PRINTED_LINE_ENDS = {"¬": "-"}


def page_lines(text, fits):
    """The ground truth as the lines drawn on the page: the text's own line breaks kept,
    lines too wide for the column wrapped at spaces, spaces collapsed and empty lines left
    out (a page shows neither), a line-end ¬ printed as the hyphen it stands for. Joined
    with "\\n", this is the page's reference text."""
    lines = []
    for source_line in text.split("\n"):
        source_line = source_line.rstrip()
        if source_line and source_line[-1] in PRINTED_LINE_ENDS:
            source_line = source_line[:-1] + PRINTED_LINE_ENDS[source_line[-1]]
        words = source_line.split()
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if current and not fits(candidate):
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
    return lines


def cut_text(text, max_chars):
    """At most about max_chars characters of the text, cut at a line end or a space."""
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    cut = max(head.rfind("\n"), head.rfind(" "))
    return head[:cut] if cut > max_chars // 2 else head


def render_page(lines, faces, path):
    """Draws the lines, black on white, at DPI; returns the image size."""
    pitch = round(faces.size_px * LINE_SPACING)
    width = TEXT_WIDTH_PX + 2 * MARGIN_PX
    height = 2 * MARGIN_PX + pitch * max(len(lines), 1)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        x = MARGIN_PX
        y = MARGIN_PX + row * pitch
        for face, text in faces.runs(line):
            font = faces.fonts[face]
            draw.text((x, y), text, font=font, fill=0)
            x += font.getlength(text)
    image.save(path, dpi=(DPI, DPI))
    return image.size


def stable_seed(*parts):
    """A 31-bit seed from strings, the same in every process and Python version."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF


class Level:
    """One degradation level: ImageMagick operations whose random parts are drawn per page."""

    def __init__(self, name, summary, skew_degrees, scale, blur_sigma, noise, speckle, dpi_out):
        self.name = name
        self.summary = summary
        self.skew_degrees = skew_degrees  # the page is rotated by up to this much either way
        self.scale = scale                # resampling factor (0.5 = half the resolution)
        self.blur_sigma = blur_sigma      # Gaussian blur, in pixels of the drawn page
        self.noise = noise                # ImageMagick -attenuate for Gaussian noise
        self.speckle = speckle            # -attenuate for impulse (salt and pepper) noise; 0 = none
        self.dpi_out = dpi_out

    def describe(self):
        return {"summary": self.summary, "skew_degrees": self.skew_degrees, "scale": self.scale,
                "blur_sigma": self.blur_sigma, "noise": self.noise, "speckle": self.speckle, "dpi": self.dpi_out}

    def convert_arguments(self, source, target, seed):
        """The `convert` command line for one page; `seed` fixes the angle and the noise."""
        angle = random.Random(seed).uniform(-self.skew_degrees, self.skew_degrees)
        arguments = ["convert", source, "-seed", str(seed), "-background", "white",
                     "-rotate", f"{angle:.3f}", "-blur", f"0x{self.blur_sigma}"]
        if self.scale != 1:
            arguments += ["-resize", f"{self.scale * 100:g}%"]
        arguments += ["-attenuate", f"{self.noise}", "+noise", "Gaussian"]
        if self.speckle:
            arguments += ["-attenuate", f"{self.speckle}", "+noise", "Impulse"]
        arguments += ["-colorspace", "Gray", "-units", "PixelsPerInch", "-density", str(self.dpi_out), target]
        return arguments

    def degrade(self, source, target, seed):
        subprocess.run(self.convert_arguments(source, target, seed), check=True, capture_output=True)


# From a good scan to a poor one. Both stay within what Tesseract reads at all: the point is
# the text that comes out, not pages nobody could recognise.
LEVELS = {
    "light": Level("light", "300 dpi, skew up to 0.5°, slight blur and noise",
                   skew_degrees=0.5, scale=1, blur_sigma=0.6, noise=0.3, speckle=0, dpi_out=300),
    "medium": Level("medium", "200 dpi, skew up to 1°, blur and noise",
                    skew_degrees=1.0, scale=2 / 3, blur_sigma=0.9, noise=0.7, speckle=0.1, dpi_out=200),
    "heavy": Level("heavy", "150 dpi, skew up to 1.5°, blur, strong noise and speckles",
                   skew_degrees=1.5, scale=0.5, blur_sigma=1.2, noise=1.2, speckle=0.3, dpi_out=150),
}


def normalise_ocr_text(text):
    """Tesseract's text as compared with a page's reference: the blank lines it puts between
    blocks and its trailing spaces and form feed left out (the page has neither)."""
    lines = [line.rstrip() for line in text.replace("\f", "\n").split("\n")]
    return "\n".join(line for line in lines if line.strip())
