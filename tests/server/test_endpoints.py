"""The server's endpoints as a client sees them, over real HTTP on loopback."""
from __future__ import annotations

import json
import os

import jsonschema
import pytest


def apply_edits(text: str, edits: list[dict]) -> str:
    data = text.encode()
    out, position = b"", 0
    for edit in edits:
        out += data[position:edit["begin"]] + edit["replacement"].encode()
        position = edit["end"]
    return (out + data[position:]).decode()


@pytest.fixture(scope="module")
def openapi(server):
    response = server.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def validate(openapi: dict, schema_name: str, instance) -> None:
    """Checks a real response against the schema the server publishes (OpenAPI 3.1 schemas
    are JSON Schema 2020-12)."""
    # The components ride along in the root, so every "#/components/..." reference resolves.
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": openapi["components"]}
    jsonschema.Draft202012Validator(schema).validate(instance)


def test_healthz(server, openapi):
    response = server.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["workers"] == 2
    validate(openapi, "Health", response.json())


def test_correct_one_text(server, openapi, edited_line):
    response = server.post("/v1/correct", json={"text": edited_line})
    assert response.status_code == 200, response.text
    body = response.json()
    validate(openapi, "CorrectResponse", body)
    assert body["tier"] == "balanced"
    assert body["edits"], "the sample line gets at least one edit"
    assert body["text"] == apply_edits(edited_line, body["edits"])
    for edit in body["edits"]:
        assert edited_line.encode()[edit["begin"]:edit["end"]].decode() == edit["original"]
        assert isinstance(edit["score"], float) and edit["source"]
    assert "ship" in body["text"]


def test_correct_batch_keeps_order_and_tier(server, openapi):
    texts = ["Ths is a smple txt.", "", "Nothing to fix here."]
    response = server.post("/v1/correct", json={"texts": texts, "tier": "fast", "language": "en"})
    assert response.status_code == 200, response.text
    body = response.json()
    validate(openapi, "CorrectResponse", body)
    assert body["tier"] == "fast" and body["language"] == "en"
    assert len(body["results"]) == len(texts)
    for text, result in zip(texts, body["results"]):
        assert result["text"] == apply_edits(text, result["edits"])


def test_plain_text_body(server):
    response = server.post("/v1/correct", data="Ths is a smple txt.\n".encode(),
                           headers={"Content-Type": "text/plain; charset=utf-8"})
    assert response.status_code == 200, response.text
    assert response.json()["text"].endswith("\n")


@pytest.mark.parametrize("body, status, code", [
    (b"{not json", 400, "invalid_request"),
    (b"[1, 2]", 400, "invalid_request"),
    (json.dumps({"text": 5}).encode(), 400, "invalid_request"),
    (json.dumps({"text": "a", "texts": ["b"]}).encode(), 400, "invalid_request"),
    (json.dumps({"text": "a", "tier": "turbo"}).encode(), 400, "invalid_request"),
    (json.dumps({"text": "a", "temperature": 1}).encode(), 400, "invalid_request"),
    (json.dumps({"texts": []}).encode(), 400, "invalid_request"),
    (json.dumps({"texts": ["a"] * 5}).encode(), 413, "batch_too_large"),
    (b'{"text": "caf\xe9"}', 400, "invalid_request"),
])
def test_bad_requests_say_what_is_wrong(server, openapi, body, status, code):
    response = server.post("/v1/correct", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status, response.text
    validate(openapi, "Error", response.json())
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


@pytest.mark.parametrize("language", ["klingon", "../../../etc/passwd"])
def test_a_language_without_a_lexicon_is_400_and_not_echoed(server, openapi, language):
    response = server.post("/v1/correct", json={"text": "Tbe text.", "language": language})
    assert response.status_code == 400, response.text
    validate(openapi, "Error", response.json())
    assert response.json()["error"]["code"] == "invalid_argument"
    assert "no lexicon for language" in response.json()["error"]["message"]
    assert "/etc/passwd" not in response.text


def test_invalid_utf8_plain_text_is_400(server):
    response = server.post("/v1/correct", data=b"caf\xe9 latin-1", headers={"Content-Type": "text/plain"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"


def test_unsupported_media_type(server):
    response = server.post("/v1/correct", data=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    assert response.status_code == 415
    assert "application/xml" in response.json()["error"]["message"]


ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"


def alto_page(words: list[str]) -> bytes:
    strings = "<SP/>".join(f'<String ID="s{i}" HPOS="{10 + 90 * i}" VPOS="10" WIDTH="80" HEIGHT="20" WC="0.5" '
                           f'CONTENT="{word}"/>' for i, word in enumerate(words))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<alto xmlns="{ALTO_NS}"><Layout><Page ID="p1" WIDTH="900" '
            f'HEIGHT="100"><PrintSpace><TextBlock ID="b1"><TextLine ID="l1">{strings}</TextLine></TextBlock>'
            f'</PrintSpace></Page></Layout></alto>\n').encode()


def test_an_alto_document_comes_back_as_alto_with_its_words_corrected(server, openapi):
    import xml.etree.ElementTree as ElementTree

    words = "The committee reccived the letter yesterday".split()
    response = server.post("/v1/correct", data=alto_page(words), headers={"Content-Type": "application/xml"})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/xml")
    assert response.headers["X-Ocrfix-Format"] == "alto" and int(response.headers["X-Ocrfix-Edits"]) >= 1
    strings = ElementTree.fromstring(response.content).findall(f".//{{{ALTO_NS}}}String")
    assert [s.get("CONTENT") for s in strings][2] == "received"
    assert strings[2].find(f"{{{ALTO_NS}}}ALTERNATIVE").text == "reccived"
    assert [(s.get("HPOS"), s.get("WC")) for s in strings] == [(str(10 + 90 * i), "0.5") for i in range(6)]
    assert "application/xml" in openapi["paths"]["/v1/correct"]["post"]["requestBody"]["content"]

    as_json = server.post("/v1/correct", data=alto_page(words),
                          headers={"Content-Type": "application/xml", "Accept": "application/json"})
    assert as_json.status_code == 200, as_json.text
    body = as_json.json()
    validate(openapi, "CorrectResponse", body)
    assert body["input_format"] == "alto" and body["text"].startswith("The committee received")
    # The words with their boxes, for drawing the page; the corrected one names its edit.
    assert [w["text"] for w in body["words"]] == body["text"].split()
    assert [w["box"] for w in body["words"]] == [[10 + 90 * i, 10, 90 + 90 * i, 30] for i in range(6)]
    [corrected] = [i for i, w in enumerate(body["words"]) if w["edits"]]
    assert corrected == 2 and body["edits"][body["words"][2]["edits"][0]]["original"] == "reccived"
    assert body["edits_not_applied"] == 0


def test_malformed_or_unknown_xml_is_400(server, openapi):
    for data in (b"<alto", b'<mets xmlns="http://www.loc.gov/METS/"/>'):
        response = server.post("/v1/correct", data=data, headers={"Content-Type": "text/xml"})
        assert response.status_code == 400, response.text
        validate(openapi, "Error", response.json())


def test_body_over_the_limit_is_413(server, openapi):
    response = server.post("/v1/correct", data=b"a" * 70000, headers={"Content-Type": "text/plain"})
    assert response.status_code == 413
    validate(openapi, "Error", response.json())
    assert openapi["info"]["x-limits"]["max_body_bytes"] == 65536


def test_unknown_route_is_404_json(server):
    response = server.get("/v1/nothing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_models(server, openapi):
    response = server.get("/v1/models")
    assert response.status_code == 200
    body = response.json()
    validate(openapi, "Models", body)
    # The engine may run a converted copy of the store's file, so the path is only checked
    # to be a real GGUF file; the store must list at least the model the server runs.
    assert body["loaded"]["path"].endswith(".gguf") and os.path.isfile(body["loaded"]["path"])
    assert body["loaded"]["id"] and body["loaded"]["workers"] == 2
    assert body["local"] and all(model["size_bytes"] > 0 for model in body["local"])


def test_openapi_describes_every_route_that_answers(server, openapi):
    assert openapi["openapi"].startswith("3.1")
    assert "llama.cpp" in openapi["info"]["version"]
    for path, operations in openapi["paths"].items():
        for method in operations:
            if method == "get":
                response = server.get(path)
                assert str(response.status_code) in operations[method]["responses"], (path, response.status_code)
    # The limits the document states are the ones this instance enforces.
    assert openapi["info"]["x-limits"]["max_batch_texts"] == 4
    assert openapi["info"]["x-limits"]["token_required"] is False
    assert openapi["paths"]["/v1/correct"]["post"]["security"] == []


def test_web_page_and_assets(server):
    page = server.get("/")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<textarea id="input"' in page.text
    # Text from requests and dropped files is shown on this page: no script but its own runs.
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy and "unsafe" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    for asset, kind in [("/app.js", "javascript"), ("/style.css", "text/css")]:
        response = server.get(asset)
        assert response.status_code == 200 and kind in response.headers["Content-Type"]


def test_metrics_count_what_happened(server, edited_line):
    before = server.get("/metrics").text
    assert server.post("/v1/correct", json={"text": "Ths is"}).status_code == 200
    response = server.get("/metrics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    text = response.text

    def value(metrics: str, line_start: str) -> float:
        for line in metrics.splitlines():
            if line.startswith(line_start):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    counter = 'ocrfix_http_requests_total{method="POST",route="/v1/correct",status="200"}'
    assert value(text, counter) == value(before, counter) + 1
    assert value(text, "ocrfix_correction_seconds_count") == value(before, "ocrfix_correction_seconds_count") + 1
    assert value(text, "ocrfix_workers ") == 2
    assert "# TYPE ocrfix_correction_seconds histogram" in text
    assert 'ocrfix_correction_seconds_bucket{le="+Inf"}' in text
