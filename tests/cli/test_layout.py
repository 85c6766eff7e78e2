"""Layout formats through the command line (issue 25, item 1): a page image rendered here,
read by the real Tesseract into hOCR and ALTO (and PAGE XML: Tesseract writes it from 5.4;
with an older one the test builds PAGE from Tesseract's own ALTO words, boxes and
confidences), a word misspelt, `ocrfix correct --tier fast` (no model), and the output
checked as XML against the input. Also the bad inputs: malformed XML, an unknown namespace,
an empty file.

Run by CTest as `cli.layout` (label unit) with OCRFIX_BINARY set. Needs Debian's
tesseract-ocr and tesseract-ocr-eng (text2image, which renders the page, comes with them)
and fonts-dejavu-core: scripts/install-deps.sh installs them.
"""
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

BINARY = os.environ.get("OCRFIX_BINARY", "build/tools/cli/ocrfix")
PAGE_TEXT = "The government of the country\nannounced a new policy today.\nIt was well received by many.\n"
# What the test misspells in Tesseract's output, and what ocrfix --tier fast must make of it.
MISSPELLINGS = {"government": "govemment", "received": "reccived"}
ALTO_NS = "http://www.loc.gov/standards/alto/ns-v3#"
PAGE_NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def ocrfix(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True, timeout=120)


def local(tag):
    return tag.rsplit("}", 1)[-1]


# --- Tesseract's output ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tesseract_output(tmp_path_factory):
    for tool in ("tesseract", "text2image"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: run scripts/install-deps.sh (Debian's tesseract-ocr, tesseract-ocr-eng)")
    fonts = "/usr/share/fonts/truetype/dejavu"
    if not os.path.exists(os.path.join(fonts, "DejaVuSans.ttf")):
        pytest.fail("DejaVu Sans is missing: run scripts/install-deps.sh (Debian's fonts-dejavu-core)")
    folder = tmp_path_factory.mktemp("tesseract")
    (folder / "page.txt").write_text(PAGE_TEXT)
    subprocess.run(["text2image", f"--text={folder / 'page.txt'}", f"--outputbase={folder / 'page'}",
                    "--font=DejaVu Sans", f"--fonts_dir={fonts}", f"--fontconfig_tmpdir={folder}", "--ptsize=12",
                    "--xsize=1400", "--ysize=500", "--margin=30", "--degrade_image=false"],
                   check=True, capture_output=True, timeout=120)
    configs = ["hocr", "alto"]
    tessdata = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    if "eng" not in tessdata:
        pytest.fail("Tesseract's English model is missing: run scripts/install-deps.sh (tesseract-ocr-eng)")
    writes_page = any(os.path.exists(f"/usr/share/tesseract-ocr/{v}/tessdata/configs/page") for v in ("5", "4.00"))
    if writes_page:
        configs.append("page")
    subprocess.run(["tesseract", str(folder / "page.tif"), str(folder / "out"), "-l", "eng", *configs],
                   check=True, capture_output=True, timeout=300)
    files = {"hocr": folder / "out.hocr", "alto": folder / "out.xml"}
    if writes_page:
        files["page"] = folder / "out.page.xml"
    else:
        files["page"] = folder / "out.page.xml"
        files["page"].write_bytes(page_from_alto(files["alto"].read_bytes()))
    for name, path in files.items():
        assert path.exists(), f"Tesseract wrote no {name}"
    words = [w for _, w in word_texts("alto", files["alto"].read_bytes())]
    for right in MISSPELLINGS:
        assert right in words, f"Tesseract did not read '{right}' from the rendered page: {words}"
    return files


def page_from_alto(alto_bytes):
    """PAGE XML 2019 with Tesseract's regions, lines, words, boxes and confidences."""
    alto = ET.fromstring(alto_bytes)
    ET.register_namespace("", PAGE_NS)
    p = f"{{{PAGE_NS}}}"
    root = ET.Element(p + "PcGts")
    metadata = ET.SubElement(root, p + "Metadata")
    ET.SubElement(metadata, p + "Creator").text = "Tesseract (ALTO), converted by ocrfix's test"
    ET.SubElement(metadata, p + "Created").text = "2026-01-01T00:00:00"
    ET.SubElement(metadata, p + "LastChange").text = "2026-01-01T00:00:00"
    alto_page = next(e for e in alto.iter() if local(e.tag) == "Page")
    page = ET.SubElement(root, p + "Page", imageFilename="page.tif", imageWidth=alto_page.get("WIDTH"),
                         imageHeight=alto_page.get("HEIGHT"))

    def coords(parent, e):
        x, y = int(float(e.get("HPOS"))), int(float(e.get("VPOS")))
        r, b = x + int(float(e.get("WIDTH"))), y + int(float(e.get("HEIGHT")))
        ET.SubElement(parent, p + "Coords", points=f"{x},{y} {r},{y} {r},{b} {x},{b}")

    def equiv(parent, text, conf=None):
        e = ET.SubElement(parent, p + "TextEquiv", **({"conf": conf} if conf else {}))
        ET.SubElement(e, p + "Unicode").text = text

    for block in (e for e in alto.iter() if local(e.tag) == "TextBlock"):
        region = ET.SubElement(page, p + "TextRegion", id="r_" + block.get("ID"))
        coords(region, block)
        line_texts = []
        for alto_line in (e for e in block if local(e.tag) == "TextLine"):
            line = ET.SubElement(region, p + "TextLine", id="l_" + alto_line.get("ID"))
            coords(line, alto_line)
            texts = []
            for string in (e for e in alto_line if local(e.tag) == "String"):
                word = ET.SubElement(line, p + "Word", id="w_" + string.get("ID"))
                coords(word, string)
                equiv(word, string.get("CONTENT"), string.get("WC"))
                texts.append(string.get("CONTENT"))
            equiv(line, " ".join(texts))
            line_texts.append(" ".join(texts))
        equiv(region, "\n".join(line_texts))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


# --- reading words and boxes back, per format --------------------------------------------------

def word_elements(fmt, root):
    if fmt == "alto":
        return [e for e in root.iter() if local(e.tag) == "String"]
    if fmt == "hocr":
        return [e for e in root.iter() if "ocrx_word" in (e.get("class") or "").split()]
    return [e for e in root.iter() if local(e.tag) == "Word"]


def word_id(fmt, e):
    return e.get("ID") if fmt == "alto" else e.get("id")


def main_equiv(e):
    equivs = [c for c in e if local(c.tag) == "TextEquiv"]
    if not equivs:
        return None
    return min(equivs, key=lambda c: int(c.get("index", "1000000")))


def word_text(fmt, e):
    if fmt == "alto":
        return e.get("CONTENT")
    if fmt == "hocr":
        return "".join(e.itertext())
    return next(c for c in main_equiv(e) if local(c.tag) == "Unicode").text or ""


def word_box(fmt, e):
    if fmt == "alto":
        x, y = float(e.get("HPOS")), float(e.get("VPOS"))
        return (x, y, x + float(e.get("WIDTH")), y + float(e.get("HEIGHT")))
    if fmt == "hocr":
        bbox = next(p for p in e.get("title").split(";") if p.strip().startswith("bbox"))
        return tuple(float(v) for v in bbox.split()[1:5])
    points = [tuple(float(v) for v in pt.split(",")) for pt in next(c for c in e if local(c.tag) == "Coords").get("points").split()]
    return (min(x for x, _ in points), min(y for _, y in points), max(x for x, _ in points), max(y for _, y in points))


def word_texts(fmt, data):
    root = ET.fromstring(data)
    return [(word_id(fmt, e), word_text(fmt, e)) for e in word_elements(fmt, root)]


def original_mark(fmt, e):
    """The original text the format's marking keeps for a corrected word."""
    if fmt == "alto":
        return [c.text for c in e if local(c.tag) == "ALTERNATIVE"]
    if fmt == "hocr":
        return [e.get("data-ocrfix-original")] if e.get("data-ocrfix-original") is not None else []
    return [next(u for u in c if local(u.tag) == "Unicode").text for c in e
            if local(c.tag) == "TextEquiv" and c.get("index") not in (None, "0")]


# --- comparing as XML -------------------------------------------------------------------------

def canonical(e, skip=lambda e: False):
    """An element as (tag, attributes, text, children), white space between elements left out."""
    text = (e.text or "").strip()
    children = [canonical(c, skip) for c in e if not skip(c)]
    tails = [(c.tail or "").strip() for c in e if not skip(c)]
    return (e.tag, tuple(sorted(e.attrib.items())), text, tuple(children), tuple(t for t in tails if t))


def misspell(fmt, data):
    text = data.decode("utf-8")
    for right, wrong in MISSPELLINGS.items():
        if fmt == "alto":
            text = text.replace(f'CONTENT="{right}"', f'CONTENT="{wrong}"')
        elif fmt == "hocr":
            text = text.replace(f">{right}<", f">{wrong}<")
        else:
            text = text.replace(f"<Unicode>{right}</Unicode>", f"<Unicode>{wrong}</Unicode>")
            # the line and region readings say the same
            text = text.replace(f" {right} ", f" {wrong} ").replace(f" {right}<", f" {wrong}<")
    assert text != data.decode("utf-8")
    return text.encode("utf-8")


# --- round trips ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_round_trip_through_tesseract_output(fmt, tesseract_output, tmp_path):
    source = misspell(fmt, tesseract_output[fmt].read_bytes())
    given = tmp_path / f"in.{fmt}.xml"
    given.write_bytes(source)
    out = tmp_path / f"out.{fmt}.xml"
    result = ocrfix("correct", "--tier", "fast", "-o", str(out), str(given))
    assert result.returncode == 0, result.stderr.decode()

    before, after = ET.fromstring(source), ET.fromstring(out.read_bytes())  # it parses
    words_before = {word_id(fmt, e): e for e in word_elements(fmt, before)}
    words_after = {word_id(fmt, e): e for e in word_elements(fmt, after)}

    # Corrected words hold the corrected text, marked the format's way, boxes kept.
    corrected = set()
    for key, e in words_before.items():
        wrong = word_text(fmt, e)
        right = next((r for r, w in MISSPELLINGS.items() if w == wrong), None)
        if right is None:
            continue
        corrected.add(key)
        assert word_text(fmt, words_after[key]) == right, f"{key}: {word_text(fmt, words_after[key])!r}"
        assert wrong in original_mark(fmt, words_after[key])
        assert word_box(fmt, words_after[key]) == word_box(fmt, e)
    assert len(corrected) == len(MISSPELLINGS)

    # Merges and splits (none expected from this text in the fast tier, checked when they occur):
    # a word gone was merged into the word before it, whose box is now the union; a new word
    # is a piece of the word whose id it extends, inside that word's old box.
    for key in words_after.keys() - words_before.keys():
        base = key.rsplit("_", 1)[0]
        assert base in words_before, f"a new word {key} that belongs to no word of the input"
        old = word_box(fmt, words_before[base])
        new = word_box(fmt, words_after[key])
        assert old[0] - 1 <= new[0] and new[2] <= old[2] + 1, (key, old, new)
    for key in words_before.keys() - words_after.keys():
        keys = list(words_before)
        survivor = next(k for k in reversed(keys[:keys.index(key)]) if k in words_after)
        union = word_box(fmt, words_after[survivor])
        gone = word_box(fmt, words_before[key])
        assert union[0] <= gone[0] and gone[2] <= union[2], (key, survivor, union, gone)

    # Everything else is as it was, compared as XML: the words not corrected entirely, and
    # the tree without the corrected words (and, in PAGE, the line and region readings,
    # which follow their words and were checked above through the words).
    for key, e in words_before.items():
        if key not in corrected and key in words_after:
            assert canonical(words_after[key]) == canonical(e), f"{key} changed"
    changed = {id(e) for k, e in words_before.items() if k in corrected} | {
        id(e) for k, e in words_after.items() if k in corrected}

    def skip(e):
        return id(e) in changed or (fmt == "page" and local(e.tag) == "TextEquiv")
    assert canonical(after, skip) == canonical(before, skip)
    if fmt == "page":
        for line in (e for e in after.iter() if local(e.tag) == "TextLine"):
            words = [word_text(fmt, w) for w in line if local(w.tag) == "Word"]
            reading = next(c for c in main_equiv(line) if local(c.tag) == "Unicode").text
            assert reading == " ".join(words)


@pytest.mark.parametrize("fmt", ["hocr", "alto", "page"])
def test_a_page_with_nothing_to_correct_comes_back_equal(fmt, tesseract_output, tmp_path):
    out = tmp_path / "out.xml"
    result = ocrfix("correct", "--tier", "fast", "-o", str(out), str(tesseract_output[fmt]))
    assert result.returncode == 0, result.stderr.decode()
    assert canonical(ET.fromstring(out.read_bytes())) == canonical(ET.fromstring(tesseract_output[fmt].read_bytes()))


def test_tesseracts_character_boxes_spell_the_words_and_follow_a_correction(tesseract_output, tmp_path):
    # hOCR with one ocrx_cinfo span per character, indented: the words are what the spans spell.
    base = tmp_path / "chars"
    page = tesseract_output["hocr"].parent / "page.tif"
    subprocess.run(["tesseract", str(page), str(base), "-l", "eng", "-c", "hocr_char_boxes=1", "hocr"],
                   check=True, capture_output=True, timeout=300)
    data = (tmp_path / "chars.hocr").read_bytes()
    assert data.count(b"ocrx_cinfo") > 50  # a span per character
    as_text = [ocrfix("correct", "--tier", "fast", "-f", "json", str(path)) for path in
               (tmp_path / "chars.hocr", tesseract_output["hocr"])]
    import json
    assert json.loads(as_text[0].stdout)["text"] == json.loads(as_text[1].stdout)["text"]

    # Misspell one word through its characters; the correction gives each character its part.
    root = ET.fromstring(data)
    word = next(e for e in word_elements("hocr", root) if "".join(e.itertext()).split() == list("government"))
    characters = [e for e in word.iter() if e.get("class") == "ocrx_cinfo"]
    characters[4].text, characters[5].text = "m", ""  # govemment, as if "rn" were read as one "m"
    given = tmp_path / "misspelt.hocr"
    given.write_bytes(ET.tostring(root, encoding="utf-8"))
    out = tmp_path / "out.hocr"
    result = ocrfix("correct", "--tier", "fast", "-o", str(out), str(given))
    assert result.returncode == 0, result.stderr.decode()
    after = next(e for e in word_elements("hocr", ET.fromstring(out.read_bytes())) if e.get("id") == word.get("id"))
    spans = [e for e in after.iter() if e.get("class") == "ocrx_cinfo"]
    assert "".join(e.text or "" for e in spans) == "government"
    assert [e.text for e in spans[:3] + spans[6:]] == list("govment")  # the characters right as read stay
    assert "m" in {e.get("data-ocrfix-original") for e in spans[3:6]}
    assert [e.get("title") for e in spans] == [e.get("title") for e in characters]  # every box kept


def test_json_gives_the_text_and_edits_of_a_layout_file(tesseract_output, tmp_path):
    given = tmp_path / "in.xml"
    given.write_bytes(misspell("alto", tesseract_output["alto"].read_bytes()))
    result = ocrfix("correct", "--tier", "fast", "-f", "json", str(given))
    assert result.returncode == 0, result.stderr.decode()
    import json
    document = json.loads(result.stdout)
    assert document["input_format"] == "alto"
    assert "The government of the country\n" in document["text"]
    assert {e["original"] for e in document["edits"]} == set(MISSPELLINGS.values())


def test_input_format_text_reads_xml_as_text(tesseract_output):
    data = tesseract_output["alto"].read_bytes()
    result = ocrfix("correct", "--tier", "fast", "--input-format", "text", "-", stdin=data)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.startswith(b"<?xml")


# --- bad input --------------------------------------------------------------------------------

BAD_INPUTS = {
    "malformed.xml": (b'<?xml version="1.0"?><alto xmlns="' + ALTO_NS.encode() + b'"><Layout><Page>', [],
                      "not well-formed XML"),
    "unknown-namespace.xml": (b'<alto xmlns="http://example.org/not-alto"><Layout/></alto>', [], "namespace"),
    "empty.xml": (b"", ["--input-format", "alto"], "is empty"),
    "no-words.xml": (b'<alto xmlns="' + ALTO_NS.encode() + b'"><Layout><Page/></Layout></alto>', [],
                     "without any words"),
    "other.xml": (b'<svg xmlns="http://www.w3.org/2000/svg"><text>Tbe</text></svg>', [], "not hOCR, ALTO or PAGE"),
    # deep enough to overflow a recursive reader's stack (it crashed ocrfix before 0.x)
    "deep.xml": (b'<alto xmlns="' + ALTO_NS.encode() + b'"><Layout>' + b"<a>" * 300000 + b"</a>" * 300000 +
                 b'<TextLine><String CONTENT="Tbe"/></TextLine></Layout></alto>', [], "nests elements"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_a_clear_error_and_writes_nothing(name, tmp_path):
    data, args, message = BAD_INPUTS[name]
    given = tmp_path / name
    given.write_bytes(data)
    out = tmp_path / "out.xml"
    out.write_bytes(b"the old output\n")
    result = ocrfix("correct", "--tier", "fast", *args, "-o", str(out), str(given))
    assert result.returncode == 4, (result.returncode, result.stderr.decode())
    stderr = result.stderr.decode()
    assert name in stderr and message in stderr, stderr
    assert out.read_bytes() == b"the old output\n"
    assert sorted(os.listdir(tmp_path)) == sorted([name, "out.xml"])
    assert result.stdout == b""


def test_layout_output_options_are_checked(tesseract_output, tmp_path):
    alto = str(tesseract_output["alto"])
    result = ocrfix("correct", "--tier", "fast", "-f", "hocr", alto)
    assert result.returncode == 2 and b"its own format" in result.stderr, result.stderr
    result = ocrfix("correct", "--tier", "fast", alto, str(tesseract_output["hocr"]))
    assert result.returncode == 2 and b"one at a time" in result.stderr, result.stderr
    result = ocrfix("correct", "--tier", "fast", "--input-format", "page", alto)
    assert result.returncode == 4 and b"is alto, not page" in result.stderr, result.stderr
