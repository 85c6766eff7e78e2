// What the web page tests share: checks that count failures, the skip when the default model
// is missing, the real `ocrfix serve` on a free loopback port, and the system's Chromium driven
// by playwright-core (no browser download).
//
// Exit codes of a test: 0 passed, 1 failed, 77 skipped (no model; a failure under CI=true).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const chromiumPath = process.env.OCRFIX_CHROMIUM || "/usr/bin/chromium";
const chromiumFlags = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export const failures = [];

export function check(condition, message) {
  if (!condition) {
    failures.push(message);
    console.log("FAIL:", message);
  } else {
    console.log("ok:", message);
  }
}

// Exits 77 (skipped) when `binary` finds no default model, 1 under CI=true.
export function skipWithoutModel(binary) {
  const probe = spawnSync(binary, ["models", "path"], { encoding: "utf8" });
  if (probe.status !== 3) return;
  const message = "default model not installed; run `make models`";
  if (process.env.CI === "true") {
    console.log("FAIL:", message, probe.stderr);
    process.exit(1);
  }
  console.log("SKIPPED:", message);
  process.exit(77);
}

function startServer(binary) {
  return new Promise((resolve, reject) => {
    const server = spawn(binary, ["serve", "--port", "0", "-t", "1"], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    const timer = setTimeout(() => reject(new Error("ocrfix serve did not start: " + output)), 120000);
    server.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (match) {
        clearTimeout(timer);
        resolve({ server, url: match[1] });
      }
    });
    server.on("exit", (code) => reject(new Error(`ocrfix serve exited with ${code}: ${output}`)));
  });
}

// Starts the server and Chromium, runs `body({ url, context, page, pageErrors })`, then checks
// that the page raised no JavaScript error and broke no Content-Security-Policy rule, stops
// both and exits with the test's code.
export async function withServerAndBrowser(binary, body) {
  skipWithoutModel(binary);
  // Imported here rather than at the top, so a missing install says how to fix it.
  const { chromium } = await import("playwright-core").catch(() => {
    console.log("FAIL: playwright-core is not installed; run `make test` (it runs npm ci in tests/web)");
    process.exit(1);
  });
  const { server, url } = await startServer(binary);
  const profile = mkdtempSync(join(tmpdir(), "ocrfix-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumFlags,
      viewport: { width: 1280, height: 720 },
      acceptDownloads: true,
    });
    const page = context.pages()[0] || await context.newPage();
    const pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(String(error)));
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    await body({ url, context, page, pageErrors });
    check(pageErrors.length === 0, `no JavaScript errors or blocked content (${pageErrors.join("; ")})`);
  } catch (error) {
    failures.push(String(error));
    console.log("FAIL:", error);
  } finally {
    if (context) await context.close();
    server.kill("SIGTERM");
    rmSync(profile, { recursive: true, force: true });
  }
  process.exit(failures.length ? 1 : 0);
}
