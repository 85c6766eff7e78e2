// The ocrfix web page end to end: the real `ocrfix serve` on a free loopback port, the
// system's Chromium driven by playwright-core. Pastes the sample, runs it, and checks the
// corrected text and the highlighted edits against what POST /v1/correct answers for the
// same text, then saves a screenshot.
//
// Usage: node test_web.mjs OCRFIX_BINARY SAMPLE_TEXT SCREENSHOT_PNG
// Exit codes: 0 passed, 1 failed, 77 skipped (no model; a failure under CI=true).
import { readFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

import { check, withServerAndBrowser } from "./harness.mjs";

const [binary, samplePath, screenshotPath] = process.argv.slice(2);
if (!binary || !samplePath || !screenshotPath) {
  console.error("usage: node test_web.mjs OCRFIX_BINARY SAMPLE_TEXT SCREENSHOT_PNG");
  process.exit(2);
}

const sample = readFileSync(samplePath, "utf8");
await withServerAndBrowser(binary, async ({ url, context, page }) => {
  // What the API answers for the sample is the truth the page must show.
  const expected = await (await fetch(url + "/v1/correct", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text: sample, tier: "balanced" }),
  })).json();
  check(expected.edits.length >= 1, `the API corrects the sample (${expected.edits.length} edits)`);

  await page.goto(url + "/");
  check(await page.title() === "ocrfix: correct OCR text", "the page loads");

  // Loading a .txt through the file picker puts its text in the box.
  await page.setInputFiles("#file", samplePath);
  await page.waitForFunction((text) => document.getElementById("input").value === text, sample);
  check(await page.inputValue("#input") === sample, "a .txt file loads into the text box");

  await page.fill("#input", "");
  await page.fill("#input", sample);  // paste
  await page.selectOption("#tier", "balanced");
  await page.click("#run");
  await page.waitForSelector('#result[data-state="done"]', { timeout: 180000 });

  const shown = await page.textContent("#corrected");
  check(shown === expected.text, "the page shows the corrected text the API returns");
  const marks = await page.locator("#corrected mark.edit").count();
  check(marks === expected.edits.length, `highlighted edits (${marks}) = edits from the API (${expected.edits.length})`);
  const replacements = await page.locator("#corrected mark.edit").allTextContents();
  check(JSON.stringify(replacements) === JSON.stringify(expected.edits.map((e) => e.replacement)),
    "each highlight holds its edit's replacement");
  const summary = await page.textContent("#summary");
  check(summary.startsWith(`${expected.edits.length} edit`), `the summary counts the edits: "${summary}"`);

  // Hovering an edit shows its score and source.
  await page.hover("#corrected mark.edit >> nth=0");
  await page.waitForSelector("#tooltip:not([hidden])");
  const tooltip = await page.textContent("#tooltip");
  const first = expected.edits[0];
  check(tooltip.includes(`score ${first.score.toFixed(2)}`) && tooltip.includes(`source ${first.source}`)
    && tooltip.includes(first.original) && tooltip.includes(first.replacement),
    `the tooltip shows score and source: "${tooltip}"`);

  mkdirSync(dirname(screenshotPath), { recursive: true });
  await page.screenshot({ path: screenshotPath, fullPage: true });
  console.log("screenshot:", screenshotPath);

  // Download gives exactly the corrected text.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  const downloaded = readFileSync(await download.path(), "utf8");
  check(downloaded === expected.text, `download saves the corrected text as ${download.suggestedFilename()}`);

  // Copy puts the corrected text on the clipboard.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
  await page.click("#copy");
  await page.waitForFunction(() => document.getElementById("copy").textContent === "Copied");
  const clipboard = await page.evaluate(() => navigator.clipboard.readText());
  check(clipboard === expected.text, "copy puts the corrected text on the clipboard");
});
