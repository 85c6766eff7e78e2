// The ocrfix web page. Text: sent to POST /v1/correct, shown as the corrected text with every
// accepted edit highlighted. A page image or PDF: sent to POST /v1/ocr; an hOCR, ALTO or PAGE
// file: sent to POST /v1/correct as XML, answered as JSON. Either way the page is drawn with its
// word boxes, the corrected words highlighted. Plain browser JavaScript, no build.
//
// Everything the server or a file says is put on the page as text (textContent, attributes),
// never as markup; the server's Content-Security-Policy backs that up.
"use strict";

const $ = (id) => document.getElementById(id);
const input = $("input"), tier = $("tier"), run = $("run"), corrected = $("corrected");
const result = $("result"), summary = $("summary"), error = $("error"), tooltip = $("tooltip");
const copy = $("copy"), download = $("download"), token = $("token");
const pagePanel = $("page-panel"), pageView = $("page-view");
const SVG = "http://www.w3.org/2000/svg";

let correctedText = "";
let fileName = "ocr.txt";
let pageImageUrl = null;  // the blob: URL of the page image on show, revoked when replaced

// What a file is, from its type or, when the browser gives none, its name.
const PAGE_IMAGE_TYPES = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", tif: "image/tiff",
  tiff: "image/tiff", pdf: "application/pdf" };
const LAYOUT_EXTENSIONS = ["xml", "hocr", "html", "htm", "xhtml"];
// Page images the browser itself can draw under the boxes (not TIFF, not PDF).
const DRAWABLE_TYPES = ["image/png", "image/jpeg"];

function extension(file) {
  const match = /\.([^.]+)$/.exec(file.name);
  return match ? match[1].toLowerCase() : "";
}

function pageImageType(file) {
  if (Object.values(PAGE_IMAGE_TYPES).includes(file.type)) return file.type;
  return PAGE_IMAGE_TYPES[extension(file)] || null;
}

function isLayoutFile(file) {
  return /^(application|text)\/(xml|xhtml\+xml|html)$/.test(file.type) || LAYOUT_EXTENSIONS.includes(extension(file));
}

// Each edit's span in the corrected text, in bytes: its offsets are into the original, so every
// edit before it moves it by what it added or removed.
function correctedSpans(edits) {
  const encoder = new TextEncoder();
  let shift = 0;
  return edits.map((edit) => {
    const begin = edit.begin + shift, length = encoder.encode(edit.replacement).length;
    shift += length - (edit.end - edit.begin);
    return { begin, end: begin + length };
  });
}

// Appends `text` (corrected) to #corrected with each edit's replacement in a <mark>. Offsets are
// bytes of UTF-8; JavaScript strings count UTF-16 units, so the text is cut as bytes.
function appendCorrected(text, edits) {
  const bytes = new TextEncoder().encode(text);
  const decode = (from, to) => new TextDecoder().decode(bytes.subarray(from, to));
  let position = 0;
  correctedSpans(edits).forEach((span, index) => {
    const edit = edits[index];
    corrected.append(decode(position, span.begin));
    const mark = document.createElement("mark");
    mark.className = "edit" + (edit.replacement === "" ? " deletion" : "");
    mark.tabIndex = 0;
    mark.dataset.original = edit.original;
    mark.edits = [edit];
    mark.textContent = edit.replacement;
    corrected.append(mark);
    position = span.end;
  });
  corrected.append(decode(position, bytes.length));
}

function showError(message) {
  error.textContent = message;
  error.hidden = !message;
}

// POSTs `body` and returns the JSON answer; throws with the server's message when it refuses.
async function post(path, body, headers) {
  if (token.value) headers.Authorization = "Bearer " + token.value;
  const response = await fetch(path, { method: "POST", headers, body });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401) $("token-row").hidden = false;
    throw new Error((answer.error && answer.error.message) || `the server answered ${response.status}`);
  }
  return answer;
}

// Runs `request` (which returns the answer's pages, each with text and edits) with the page
// in its busy state, and shows the corrected text.
async function runRequest(what, request) {
  showError("");
  result.dataset.state = "running";
  run.disabled = true;
  summary.textContent = what + "…";
  try {
    const { pages, answer, words } = await request();
    corrected.replaceChildren();
    pages.forEach((page, index) => {
      if (index > 0) corrected.append("\n\n");
      appendCorrected(page.text, page.edits);
    });
    correctedText = answer.text;
    copy.disabled = download.disabled = false;
    const count = pages.reduce((sum, page) => sum + page.edits.length, 0);
    summary.textContent = `${count} edit${count === 1 ? "" : "s"} accepted · ` +
      (words === undefined ? "" : `${words} words on ${pages.length} page${pages.length === 1 ? "" : "s"} · `) +
      `tier ${answer.tier} · ${Math.round(answer.elapsed_ms)} ms · ${answer.model}`;
    result.dataset.state = "done";
  } catch (failure) {
    result.dataset.state = "error";
    if (pagePanel.dataset.state === "running") pagePanel.dataset.state = "error";
    summary.textContent = "";
    showError(`${what} failed: ${failure.message}`);
  } finally {
    run.disabled = false;
  }
}

function correct() {
  const text = input.value;
  if (!text.trim()) return showError("Paste some OCR text first, or drop a file.");
  pagePanel.hidden = true;  // the page on show is not this text's
  return runRequest("Correcting", async () => {
    const answer = await post("/v1/correct", JSON.stringify({ text, tier: tier.value }),
      { "Content-Type": "application/json" });
    return { pages: [answer], answer };
  });
}

// A page image or PDF: recognised and corrected by the server, then drawn.
function recognize(file, type) {
  pagePanel.dataset.state = "running";
  return runRequest("Reading the page", async () => {
    const answer = await post(`/v1/ocr?tier=${encodeURIComponent(tier.value)}`, file,
      { "Content-Type": type, Accept: "application/json" });
    const image = DRAWABLE_TYPES.includes(type) ? await loadImage(file) : null;
    drawPages(file.name, answer.pages, image);
    return { pages: answer.pages, answer, words: countWords(answer.pages) };
  });
}

// An hOCR, ALTO or PAGE file (and, optionally, its page image to draw under the boxes).
function correctLayout(file, imageFile) {
  pagePanel.dataset.state = "running";
  return runRequest("Correcting the page", async () => {
    const answer = await post("/v1/correct", file, { "Content-Type": "application/xml", Accept: "application/json" });
    const image = imageFile ? await loadImage(imageFile) : null;
    drawPages(`${file.name} (${answer.input_format.toUpperCase()})`, [answer], image);
    return { pages: [answer], answer, words: countWords([answer]) };
  });
}

const countWords = (pages) => pages.reduce((sum, page) => sum + page.words.length, 0);

async function loadImage(file) {
  if (pageImageUrl) URL.revokeObjectURL(pageImageUrl);
  pageImageUrl = URL.createObjectURL(file);
  const image = new Image();
  image.src = pageImageUrl;
  try {
    await image.decode();
  } catch {
    return null;  // the browser cannot draw it: the boxes go on a blank page
  }
  return { url: pageImageUrl, width: image.naturalWidth, height: image.naturalHeight };
}

function svgElement(name, attributes) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

// Draws each page as an SVG: the image (first page only) or a blank sheet as large as the
// boxes reach, a rectangle per word, and, without an image, the word's text in its box.
function drawPages(name, pages, image) {
  pageView.replaceChildren();
  $("page-name").textContent = name;
  pages.forEach((page, index) => {
    const boxes = page.words.filter((word) => word.box);
    const background = index === 0 ? image : null;
    const margin = boxes.length ? Math.min(...boxes.map((word) => Math.min(word.box[0], word.box[1]))) : 0;
    const width = background ? background.width : Math.max(1, ...boxes.map((word) => word.box[2] + margin));
    const height = background ? background.height : Math.max(1, ...boxes.map((word) => word.box[3] + margin));
    const correctedCount = page.words.filter((word) => word.edits.length).length;
    const svg = svgElement("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "group",
      class: background ? "page" : "page blank" });
    svg.setAttribute("aria-label", `Page ${page.page || index + 1}: ${page.words.length} words, ` +
      `${correctedCount} corrected`);
    if (background) svg.append(svgElement("image", { href: background.url, x: 0, y: 0, width, height }));
    else svg.append(svgElement("rect", { class: "sheet", x: 0, y: 0, width, height }));
    // One type size for the page's words (the median box height), so that "a" and "day," match.
    const heights = boxes.map((word) => word.box[3] - word.box[1]).sort((a, b) => a - b);
    const fontSize = background ? 0 : 0.8 * (heights[heights.length >> 1] || 0);
    for (const word of boxes) svg.append(drawWord(word, page.edits, fontSize));
    pageView.append(svg);
    fitTextsInBoxes(svg);
  });
  pagePanel.hidden = false;
  pagePanel.dataset.state = "done";
}

// A word's box; with a `fontSize` (a page without its image), its text written in the box.
function drawWord(word, edits, fontSize) {
  const [left, top, right, bottom] = word.box;
  const wordEdits = word.edits.map((index) => edits[index]).filter(Boolean);
  const group = svgElement("g", { class: wordEdits.length ? "word corrected" : "word" });
  group.word = word;
  group.edits = wordEdits;
  group.append(svgElement("rect", { x: left, y: top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) }));
  if (fontSize) {
    const text = svgElement("text", { x: left, y: Math.min(bottom, top + fontSize), "font-size": fontSize });
    text.textContent = word.text;
    group.append(text);
  }
  if (wordEdits.length) {
    // Only corrected words take the keyboard focus: a page has hundreds of words.
    group.setAttribute("tabindex", "0");
    group.setAttribute("role", "img");
    group.setAttribute("aria-label", wordEdits.map((edit) =>
      `corrected ${JSON.stringify(edit.original)} to ${JSON.stringify(edit.replacement)}`).join("; "));
    group.setAttribute("aria-describedby", "tooltip");
  }
  return group;
}

// Squeezes each word's text that is wider than its box into it (measured once it is drawn;
// all measured first, then all changed, so the browser lays the page out once).
function fitTextsInBoxes(svg) {
  const texts = Array.from(svg.querySelectorAll("g.word text"));
  const widths = texts.map((text) => text.getComputedTextLength());
  texts.forEach((text, index) => {
    const boxWidth = Number(text.previousElementSibling.getAttribute("width"));
    if (widths[index] > boxWidth) {
      text.setAttribute("textLength", String(boxWidth));
      text.setAttribute("lengthAdjust", "spacingAndGlyphs");
    }
  });
}

const formatScore = (score) => Number.isFinite(score) ? score.toFixed(2) : "n/a";

// The tooltip of a highlighted edit in the text, or of a word on the page: each edit's
// original and replacement, score and source; a word's OCR confidence.
function showTooltip(anchor) {
  tooltip.replaceChildren();
  for (const edit of anchor.edits || []) {
    const change = document.createElement("div");
    change.className = "change";
    change.textContent = `${JSON.stringify(edit.original)} → ${JSON.stringify(edit.replacement)}`;
    const details = document.createElement("div");
    details.textContent = `score ${formatScore(edit.score)} · source ${edit.source}`;
    tooltip.append(change, details);
  }
  if (anchor.word) {
    const about = document.createElement("div");
    about.className = "about";
    const confidence = anchor.word.confidence;
    about.textContent = (anchor.edits.length ? "" : `${JSON.stringify(anchor.word.text)} as read · `) +
      (confidence >= 0 ? `OCR confidence ${Math.round(confidence * 100)}%` : "no OCR confidence");
    tooltip.append(about);
  }
  tooltip.hidden = false;
  const box = anchor.getBoundingClientRect();
  tooltip.style.left = `${Math.max(4, Math.min(box.left, innerWidth - tooltip.offsetWidth - 4))}px`;
  const below = box.bottom + 6;
  tooltip.style.top = `${below + tooltip.offsetHeight > innerHeight ? box.top - tooltip.offsetHeight - 6 : below}px`;
}

function hideTooltip() { tooltip.hidden = true; }

// Hover and keyboard focus show the tooltip of the elements `selector` finds inside `container`.
function explainOnHoverAndFocus(container, selector) {
  container.addEventListener("mouseover", (event) => {
    const anchor = event.target.closest(selector);
    if (anchor) showTooltip(anchor);
  });
  container.addEventListener("mouseout", (event) => {
    if (event.target.closest(selector)) hideTooltip();
  });
  container.addEventListener("focusin", (event) => {
    const anchor = event.target.closest(selector);
    if (anchor) showTooltip(anchor);
  });
  container.addEventListener("focusout", hideTooltip);
}

async function copyResult() {
  try {
    await navigator.clipboard.writeText(correctedText);
  } catch {
    // Clipboard API refused (insecure origin, no permission): select the text instead.
    const range = document.createRange();
    range.selectNodeContents(corrected);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    document.execCommand("copy");
  }
  copy.textContent = "Copied";
  setTimeout(() => { copy.textContent = "Copy"; }, 1500);
}

function downloadResult() {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([correctedText], { type: "text/plain;charset=utf-8" }));
  link.download = fileName.replace(/(\.[^.]*)?$/, ".corrected.txt");
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

// One file or several chosen or dropped: a layout file (with a page image, drawn under it), a
// page image or PDF, or a text for the text box.
async function openFiles(fileList) {
  const files = Array.from(fileList || []);
  if (!files.length) return;
  showError("");
  const layout = files.find(isLayoutFile);
  const image = files.find((file) => pageImageType(file));
  const opened = layout || image || files[0];
  fileName = opened.name;
  if (layout) return correctLayout(layout, image && DRAWABLE_TYPES.includes(pageImageType(image)) ? image : null);
  if (image) return recognize(image, pageImageType(image));
  input.value = await opened.text();
}

async function showModel() {
  try {
    const response = await fetch("/healthz");
    const health = await response.json();
    $("model").textContent = `Model ${health.model} · ${health.workers} workers · ${health.status}`;
  } catch {
    $("model").textContent = "";
  }
}

run.addEventListener("click", correct);
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) correct();
});
explainOnHoverAndFocus(corrected, "mark.edit");
explainOnHoverAndFocus(pageView, "g.word");
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") hideTooltip();
});
copy.addEventListener("click", copyResult);
download.addEventListener("click", downloadResult);
$("open").addEventListener("click", () => $("file").click());
$("file").addEventListener("change", (event) => {
  openFiles(event.target.files);
  event.target.value = "";  // choosing the same file again runs it again
});
document.addEventListener("dragover", (event) => {
  event.preventDefault();
  $("drop-hint").hidden = false;
});
document.addEventListener("dragleave", (event) => {
  if (!event.relatedTarget) $("drop-hint").hidden = true;
});
document.addEventListener("drop", (event) => {
  event.preventDefault();
  $("drop-hint").hidden = true;
  openFiles(event.dataTransfer.files);
});
showModel();
