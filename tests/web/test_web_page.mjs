// The web page's page view end to end (issue 25, item 4): the real `ocrfix serve`, the system's
// Chromium. The sample text (its OCR errors included) is drawn as a page image here, with
// text2image, and Tesseract writes its hOCR. Then, on the page:
//   - the PNG, chosen as a file: drawn with its word boxes, the corrected words highlighted, as
//     many of each as POST /v1/ocr answers; hover and keyboard focus show the edit;
//   - the TIFF text2image wrote, which a browser cannot draw: the boxes on a blank sheet;
//   - the hOCR with the PNG: the same page from the layout file, drawn over its image;
//   - an ALTO file made here, one word of it markup: drawn on a blank sheet, the words as text,
//     the markup shown as text and never run.
// Screenshots: OUTPUT_DIR/ocrfix-web-page.png and OUTPUT_DIR/ocrfix-web-layout.png.
//
// Usage: OCRFIX_PYTHON=python node test_web_page.mjs OCRFIX_BINARY SAMPLE_TEXT OUTPUT_DIR
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { check, withServerAndBrowser } from "./harness.mjs";

const [binary, samplePath, outputDir] = process.argv.slice(2);
if (!binary || !samplePath || !outputDir) {
  console.error("usage: OCRFIX_PYTHON=python node test_web_page.mjs OCRFIX_BINARY SAMPLE_TEXT OUTPUT_DIR");
  process.exit(2);
}

const pageDir = join(outputDir, "page");
mkdirSync(pageDir, { recursive: true });
const rendered = spawnSync(process.env.OCRFIX_PYTHON || "python3",
  [join(dirname(fileURLToPath(import.meta.url)), "render_page.py"), samplePath, pageDir], { encoding: "utf8" });
if (rendered.status !== 0) {
  console.log("FAIL: could not render the page image:", rendered.stdout, rendered.stderr);
  process.exit(1);
}
const pngPath = join(pageDir, "page.png"), hocrPath = join(pageDir, "page.hocr");

// An ALTO page with one misread word and one word that is markup.
const HOSTILE = `<img src=x onerror="window.pwned=1">`;
const ALTO_WORDS = ["The", "committee", "reccived", "the", HOSTILE, "letter"];
const escapeXml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
const alto = `<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page ID="p1" WIDTH="1000" HEIGHT="120">
<PrintSpace><TextBlock ID="b1"><TextLine ID="l1">${ALTO_WORDS.map((word, i) =>
  `<String ID="s${i}" HPOS="${20 + 160 * i}" VPOS="40" WIDTH="140" HEIGHT="36" WC="0.8" CONTENT="${escapeXml(word)}"/>`)
  .join("<SP/>")}</TextLine></TextBlock></PrintSpace></Page></Layout></alto>
`;

async function answer(url, path, body, contentType) {
  const response = await fetch(url + path, {
    method: "POST", body, headers: { "Content-Type": contentType, Accept: "application/json" },
  });
  return response.json();
}

// Opens `files` with the page's file chooser and waits for the page and the text to be shown.
async function openAndWait(page, files) {
  await page.evaluate(() => {
    document.getElementById("page-panel").dataset.state = "stale";
    document.getElementById("result").dataset.state = "stale";
  });
  await page.setInputFiles("#file", files);
  await page.waitForSelector('#page-panel[data-state="done"]', { timeout: 300000 });
  await page.waitForSelector('#result[data-state="done"]', { timeout: 30000 });
}

// The boxes drawn against the words `expected` (a page of the API's answer) has.
async function checkBoxes(page, expected, what) {
  const boxes = await page.locator("#page-view g.word").count();
  const highlighted = await page.locator("#page-view g.word.corrected").count();
  const words = expected.words.filter((word) => word.box).length;
  const corrected = expected.words.filter((word) => word.edits.length).length;
  check(boxes === words && boxes >= 10, `${what}: a box per word (${boxes}; the API has ${words})`);
  check(highlighted === corrected && highlighted >= 1,
    `${what}: the corrected words highlighted (${highlighted}; the API has ${corrected})`);
  check(await page.textContent("#corrected") === expected.text, `${what}: the corrected text shown is the API's`);
}

// Hovers the first highlighted word: the tooltip names its edit's original and replacement.
async function checkHover(page, expected, what) {
  const word = expected.words.find((candidate) => candidate.edits.length);
  const edit = expected.edits[word.edits[0]];
  await page.hover("#page-view g.word.corrected >> nth=0");
  await page.waitForSelector("#tooltip:not([hidden])");
  const tooltip = await page.textContent("#tooltip");
  check(tooltip.includes(JSON.stringify(edit.original)) && tooltip.includes(JSON.stringify(edit.replacement))
    && tooltip.includes(`score ${edit.score.toFixed(2)}`) && tooltip.includes(`source ${edit.source}`),
    `${what}: hovering a corrected word shows its edit: "${tooltip}"`);
}

await withServerAndBrowser(binary, async ({ url, page }) => {
  const png = readFileSync(pngPath);
  await page.goto(url + "/");
  await page.selectOption("#tier", "balanced");

  // The page image: recognised by the server, drawn with its boxes over the image.
  const fromImage = (await answer(url, "/v1/ocr?tier=balanced", png, "image/png")).pages[0];
  await openAndWait(page, pngPath);
  check(await page.locator("#page-view svg image").count() === 1, "the image: drawn under the boxes");
  await checkBoxes(page, fromImage, "the image");
  await checkHover(page, fromImage, "the image");

  // The keyboard reaches the corrected words, one Tab each, and Escape hides the tooltip.
  const corrected = page.locator("#page-view g.word.corrected");
  await corrected.first().focus();
  check(await page.isVisible("#tooltip"), "the image: focusing a corrected word shows its tooltip");
  await page.keyboard.press("Escape");
  check(await page.isHidden("#tooltip"), "Escape hides the tooltip");
  if (await corrected.count() > 1) {
    await page.keyboard.press("Tab");
    check(await corrected.nth(1).evaluate((element) => element === document.activeElement),
      "Tab moves to the next corrected word");
  }
  await page.evaluate(() => document.activeElement.blur());
  await page.locator("#page-view").scrollIntoViewIfNeeded();
  await page.hover("#page-view g.word.corrected >> nth=0");
  await page.screenshot({ path: join(outputDir, "ocrfix-web-page.png"), fullPage: true });
  console.log("screenshot:", join(outputDir, "ocrfix-web-page.png"));

  // The same page as TIFF, which the browser cannot draw: the boxes on a blank sheet, with words.
  await openAndWait(page, join(pageDir, "page.tif"));
  check(await page.locator("#page-view svg.blank image").count() === 0
    && (await page.locator("#page-view svg.blank g.word text").allTextContents()).join(" ") === fromImage.text
      .trim().split(/\s+/).join(" "), "the TIFF: drawn on a blank sheet, the corrected words written in their boxes");
  await checkBoxes(page, fromImage, "the TIFF");

  // Tesseract's hOCR of the same page, with the image: the boxes come from the file.
  const hocr = readFileSync(hocrPath);
  const fromHocr = await answer(url, "/v1/correct", hocr, "application/xml");
  await openAndWait(page, [hocrPath, pngPath]);
  check((await page.textContent("#page-name")).includes("(HOCR)"), "the hOCR: named with its format");
  check(await page.locator("#page-view svg image").count() === 1, "the hOCR: drawn over the image dropped with it");
  await checkBoxes(page, fromHocr, "the hOCR");
  await checkHover(page, fromHocr, "the hOCR");

  // An ALTO file alone: a blank sheet with the words written in their boxes; markup stays text.
  await openAndWait(page, { name: "letter.alto.xml", mimeType: "application/xml", buffer: Buffer.from(alto) });
  const texts = await page.locator("#page-view svg.blank g.word text").allTextContents();
  check(texts.length === ALTO_WORDS.length && texts.includes("received") && texts.includes(HOSTILE),
    `the ALTO: its words written on a blank sheet, corrected and as read (${JSON.stringify(texts)})`);
  check(await page.locator("#page-view g.word.corrected").count() === 1, "the ALTO: the corrected word highlighted");
  check(await page.evaluate(() => document.querySelectorAll("img, #page-view foreignObject").length === 0
    && window.pwned === undefined), "the ALTO: the word that is markup is shown as text, never run");
  await page.hover("#page-view g.word.corrected >> nth=0");
  const tooltip = await page.textContent("#tooltip");
  check(tooltip.includes('"reccived" → "received"'), `the ALTO: the tooltip shows the edit: "${tooltip}"`);
  await page.screenshot({ path: join(outputDir, "ocrfix-web-layout.png"), fullPage: true });
  console.log("screenshot:", join(outputDir, "ocrfix-web-layout.png"));
});
