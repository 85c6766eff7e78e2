"""ocrfix.correct_files: the batch of `ocrfix correct --output-dir` from Python (issue 26).

The fast tier only (no model). The command is the one the package ships (ocrfix._cli).
"""
import json

import pytest

import ocrfix


@pytest.fixture
def folder(tmp_path):
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("Ths is a smple txt.\n")
    (source / "sub" / "b.txt").write_text("Tbe Govemment and tbe pcople.\n")
    (source / "lines.jsonl").write_text(json.dumps({"id": 7, "text": "Ths is a smple txt."}) + "\n")
    return source


def test_correct_files_writes_the_tree_and_returns_the_summary(folder, tmp_path):
    out = tmp_path / "out"
    summary = ocrfix.correct_files(folder, out, tier="fast", language="en", jobs=2)
    assert summary.ok and summary.files == 3 and summary.corrected == 3 and summary.skipped == 0
    assert summary.characters > 50 and summary.jobs == 2
    with ocrfix.Engine(ocrfix.ModelConfig(tier="fast", language="en")) as engine:
        assert (out / "a.txt").read_text() == engine.run_postprocessor("Ths is a smple txt.\n").text
        assert (out / "sub" / "b.txt").read_text() == engine.run_postprocessor("Tbe Govemment and tbe pcople.\n").text
    record = json.loads((out / "lines.jsonl").read_text())
    assert record["id"] == 7 and "edits" in record

    again = ocrfix.correct_files([folder], out, config=ocrfix.ModelConfig(tier="fast", language="en"))
    assert again.skipped == 3 and again.corrected == 0


def test_a_bad_file_is_in_the_summary_not_raised(folder, tmp_path):
    (folder / "latin1.txt").write_bytes("caf\xe9\n".encode("latin-1"))
    summary = ocrfix.correct_files(folder, tmp_path / "out", tier="fast", language="en")
    assert not summary.ok and summary.corrected == 3
    assert [(f.path, f.category) for f in summary.failed] == [("latin1.txt", "invalid_input")]


def test_errors_that_stop_the_batch_raise_the_matching_error(folder, tmp_path):
    with pytest.raises(ocrfix.InvalidArgumentError, match="unknown setting"):
        ocrfix.correct_files(folder, tmp_path / "out", tire="fast")
    with pytest.raises(ocrfix.InvalidArgumentError, match="tier"):
        ocrfix.correct_files(folder, tmp_path / "out", tier="fastest")
    with pytest.raises(ocrfix.FileError, match="no-such-folder"):
        ocrfix.correct_files(tmp_path / "no-such-folder", tmp_path / "out", tier="fast")
    with pytest.raises(ocrfix.InvalidArgumentError, match="overwrite"):
        ocrfix.correct_files(folder, folder, tier="fast")
    assert (folder / "a.txt").read_text() == "Ths is a smple txt.\n"


ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"


def test_engine_corrects_an_alto_document_in_place():
    import xml.etree.ElementTree as ElementTree

    words = "The committee reccived the letter".split()
    strings = "<SP/>".join(f'<String ID="s{i}" HPOS="{10 + 90 * i}" VPOS="10" WIDTH="80" HEIGHT="20" CONTENT="{w}"/>'
                           for i, w in enumerate(words))
    document = (f'<alto xmlns="{ALTO_NS}"><Layout><Page ID="p1"><PrintSpace><TextBlock ID="b1"><TextLine ID="l1">'
                f'{strings}</TextLine></TextBlock></PrintSpace></Page></Layout></alto>').encode()
    with ocrfix.Engine(ocrfix.ModelConfig(tier="fast", language="en")) as engine:
        corrected = engine.correct_document(document)
        with pytest.raises(ocrfix.InvalidInputError):
            engine.correct_document(b"<alto")
    found = ElementTree.fromstring(corrected).findall(f".//{{{ALTO_NS}}}String")
    assert [s.get("CONTENT") for s in found] == "The committee received the letter".split()
    assert [s.get("HPOS") for s in found] == [str(10 + 90 * i) for i in range(5)]


def test_a_command_killed_by_a_signal_is_an_error_not_a_keyboard_interrupt(folder, tmp_path, monkeypatch):
    killed = tmp_path / "killed-ocrfix"
    killed.write_text("#!/bin/sh\nkill -9 $$\n")
    killed.chmod(0o755)
    monkeypatch.setenv("OCRFIX_CLI", str(killed))
    with pytest.raises(ocrfix.InferenceError, match="killed by signal 9"):
        ocrfix.correct_files(folder, tmp_path / "out", tier="fast")
