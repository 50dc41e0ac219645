// Shared set-up for the browser tests: build the site with the real binary, serve it from a
// real HTTP server on loopback, drive Debian's Chromium through playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, statSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, normalize, extname, resolve } from "node:path";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

export const REPO = resolve(import.meta.dirname, "../..");
export const GUIDE = process.env.GUIDE_BIN || join(REPO, "target/release/guide");

export function guide(args, input) {
  const run = spawnSync(GUIDE, args, { input, encoding: "utf8" });
  if (run.error) throw run.error;
  return run;
}

/** Builds the bundled guide (or `root`) into a fresh temporary folder. */
export function buildSite({ baseUrl, root = REPO } = {}) {
  const out = mkdtempSync(join(tmpdir(), "guide-site-"));
  const args = ["--root", root, "build", "--output", join(out, "public")];
  if (baseUrl) args.push("--base-url", baseUrl);
  const run = guide(args);
  if (run.status !== 0) throw new Error(`guide build failed:\n${run.stderr}`);
  return join(out, "public");
}

/** The native evaluator's verdict on `answers`. */
export function guideEval(rulesId, answers) {
  const run = guide(["--root", REPO, "eval", rulesId, "--answers", "-"], JSON.stringify(answers));
  if (run.status !== 0) throw new Error(`guide eval failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".wasm": "application/wasm", ".svg": "image/svg+xml", ".xml": "application/xml",
  ".txt": "text/plain", ".png": "image/png",
};

/**
 * Serves `dir` under `prefix` (e.g. "/guides/x/"). `types` overrides MIME types by extension;
 * `headers` are added to every response.
 */
export async function serve(dir, { prefix = "/", types = {}, headers = {} } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix)) { res.writeHead(404); res.end(); return; }
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir)) { res.writeHead(400); res.end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    const status = existsSync(file) ? 200 : 404;
    if (status === 404) file = join(dir, "404.html");
    const ext = extname(file);
    res.writeHead(status, { "content-type": types[ext] ?? TYPES[ext] ?? "application/octet-stream", ...headers });
    res.end(existsSync(file) ? readFileSync(file) : "");
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Collects console errors and page errors, to assert there were none. */
export function watchErrors(page) {
  const errors = [];
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("pageerror", (error) => errors.push(String(error)));
  return errors;
}

/**
 * Answers checker `checker`'s questions on `page` as a reader would: a radio button for yes/no
 * and choices, day, month and year for a date, the field for a number. A question the earlier
 * answers do not ask is hidden, and skipped, as `guide eval` sets its answer aside.
 */
export async function answer(page, answers, checker = "h1b") {
  for (const [id, value] of Object.entries(answers)) {
    if (value === undefined) continue;
    const field = `#checker-${checker}-${id}`;
    const radio = (await page.locator(`input[type="radio"][name="${id}"]`).count()) > 0;
    const date = !radio && (await page.locator(`${field}-day`).count()) > 0;
    const first = radio ? `input[name="${id}"] >> nth=0` : date ? `${field}-day` : field;
    if (!(await page.isVisible(first))) continue;
    if (radio) await page.check(`${field}-${typeof value === "boolean" ? (value ? "yes" : "no") : value}`);
    else if (date) {
      const [year, month, day] = String(value).split("-");
      await page.fill(`${field}-day`, String(Number(day)));
      await page.fill(`${field}-month`, String(Number(month)));
      await page.fill(`${field}-year`, year);
    } else await page.fill(field, String(value));
  }
}

/// What axe finds wrong on the page as it is now, one line per rule and its nodes.
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`);
}

/** Starts `guide serve` on `root` and resolves with its process and URL once it serves. */
export function startServe(root, port = 0) {
  const child = spawn(GUIDE, ["--root", root, "serve", "--port", String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      const match = line.match(/^serving at (http:\/\/\S+)/);
      if (match) resolve({ child, url: match[1] });
    });
    child.on("exit", (code) => reject(new Error(`guide serve exited with ${code}`)));
  });
}
