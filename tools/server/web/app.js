// The ocrfix web page: sends the text to POST /v1/correct and shows the answer as the
// corrected text with every accepted edit highlighted. Plain browser JavaScript, no build.
"use strict";

const $ = (id) => document.getElementById(id);
const input = $("input"), tier = $("tier"), run = $("run"), corrected = $("corrected");
const result = $("result"), summary = $("summary"), error = $("error"), tooltip = $("tooltip");
const copy = $("copy"), download = $("download"), token = $("token");

let correctedText = "";
let fileName = "ocr.txt";

// Edits carry byte offsets into the UTF-8 input; JavaScript strings count UTF-16 units, so
// the text is cut as bytes and each piece decoded.
function render(text, edits) {
  const bytes = new TextEncoder().encode(text);
  const decode = (from, to) => new TextDecoder().decode(bytes.subarray(from, to));
  corrected.replaceChildren();
  let position = 0;
  edits.forEach((edit, index) => {
    corrected.append(decode(position, edit.begin));
    const mark = document.createElement("mark");
    mark.className = "edit" + (edit.replacement === "" ? " deletion" : "");
    mark.tabIndex = 0;
    mark.dataset.index = String(index);
    mark.dataset.original = edit.original;
    mark.dataset.score = String(edit.score);
    mark.dataset.source = edit.source;
    mark.textContent = edit.replacement;
    corrected.append(mark);
    position = edit.end;
  });
  corrected.append(decode(position, bytes.length));
}

function showError(message) {
  error.textContent = message;
  error.hidden = !message;
}

async function correct() {
  const text = input.value;
  if (!text.trim()) return showError("Paste some OCR text first, or drop a .txt file.");
  showError("");
  result.dataset.state = "running";
  run.disabled = true;
  summary.textContent = "Correcting…";
  const headers = { "Content-Type": "application/json" };
  if (token.value) headers.Authorization = "Bearer " + token.value;
  try {
    const response = await fetch("/v1/correct", {
      method: "POST",
      headers,
      body: JSON.stringify({ text, tier: tier.value }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      if (response.status === 401) $("token-row").hidden = false;
      throw new Error((body.error && body.error.message) || `the server answered ${response.status}`);
    }
    render(text, body.edits);
    correctedText = body.text;
    copy.disabled = download.disabled = false;
    const count = body.edits.length;
    summary.textContent = `${count} edit${count === 1 ? "" : "s"} accepted · tier ${body.tier} · ` +
      `${Math.round(body.elapsed_ms)} ms · ${body.model}`;
    result.dataset.state = "done";
  } catch (failure) {
    result.dataset.state = "error";
    summary.textContent = "";
    showError("Correction failed: " + failure.message);
  } finally {
    run.disabled = false;
  }
}

function showTooltip(mark) {
  const score = Number(mark.dataset.score);
  const original = mark.dataset.original, replacement = mark.textContent;
  tooltip.replaceChildren();
  const change = document.createElement("div");
  change.className = "change";
  change.textContent = `${JSON.stringify(original)} → ${JSON.stringify(replacement)}`;
  const details = document.createElement("div");
  details.textContent = `score ${Number.isFinite(score) ? score.toFixed(2) : "n/a"} · source ${mark.dataset.source}`;
  tooltip.append(change, details);
  tooltip.hidden = false;
  const box = mark.getBoundingClientRect();
  tooltip.style.left = `${Math.max(4, box.left)}px`;
  tooltip.style.top = `${box.bottom + 6}px`;
}

function hideTooltip() { tooltip.hidden = true; }

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
  link.download = fileName.replace(/(\.txt)?$/i, ".corrected.txt");
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

async function loadFile(file) {
  if (!file) return;
  fileName = file.name;
  input.value = await file.text();
  showError("");
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
corrected.addEventListener("mouseover", (event) => {
  const mark = event.target.closest("mark.edit");
  if (mark) showTooltip(mark);
});
corrected.addEventListener("mouseout", (event) => {
  if (event.target.closest("mark.edit")) hideTooltip();
});
corrected.addEventListener("focusin", (event) => {
  if (event.target.matches("mark.edit")) showTooltip(event.target);
});
corrected.addEventListener("focusout", hideTooltip);
copy.addEventListener("click", copyResult);
download.addEventListener("click", downloadResult);
$("open").addEventListener("click", () => $("file").click());
$("file").addEventListener("change", (event) => loadFile(event.target.files[0]));
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
  loadFile(event.dataTransfer.files[0]);
});
showModel();
