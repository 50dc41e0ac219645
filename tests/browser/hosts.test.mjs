// The bundled guide, built for a subpath base URL, works on the hosts its publishers have: a
// plain static server under that subpath, an old server that sends scripts and modules as
// application/octet-stream, a strict Content-Security-Policy, and no server at all (file://),
// minified or not. In each: every link from the home page opens a page, the stylesheet applies,
// the checker agrees with `guide eval`, and the console stays free of errors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO, guide, serve, launch, guideEval, watchErrors, answer } from "./helpers.mjs";

const BASE = "https://example.org/guides/tech-talent/";
const PREFIX = "/guides/tech-talent/";
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/** Builds the guide into PARENT/guides/tech-talent/, as a host would publish it. */
function buildUnder(parent, extra = []) {
  const out = join(parent, "guides", "tech-talent");
  const run = guide(["--root", REPO, "build", "--output", out, "--base-url", BASE, ...extra]);
  if (run.status !== 0) throw new Error(`guide build failed:\n${run.stderr}`);
  return out;
}

/** `python3 -m http.server` serving `dir` on a free loopback port, as a child process. */
async function pythonServer(dir) {
  const child = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const port = await new Promise((ok, fail) => {
    let said = "";
    const timer = setTimeout(() => fail(new Error("python3 -m http.server did not start")), 15000);
    child.stdout.on("data", (chunk) => {
      said += chunk;
      const match = /port (\d+)/.exec(said);
      if (match) { clearTimeout(timer); ok(Number(match[1])); }
    });
    child.once("exit", (code) => { clearTimeout(timer); fail(new Error(`python3 -m http.server exited (${code})`)); });
  });
  return {
    url: `http://127.0.0.1:${port}${PREFIX}`,
    close: () => new Promise((ok) => { child.once("exit", ok); child.kill(); }),
  };
}

let browser, parent, minifiedParent, site, minified;
const servers = [];
before(async () => {
  parent = mkdtempSync(join(tmpdir(), "guide-hosts-"));
  minifiedParent = mkdtempSync(join(tmpdir(), "guide-hosts-min-"));
  site = buildUnder(parent);
  minified = buildUnder(minifiedParent, ["--minify"]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  for (const server of servers) await server.close();
  for (const dir of [parent, minifiedParent]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function started(server) {
  servers.push(server);
  return server;
}

/** Whatever the host, the page at `url` is this page of the guide: its canonical URL. */
function canonicalFor(url, root) {
  return BASE + url.slice(root.length).replace(/index\.html$/, "");
}

/** Follows every internal link of the home page; each must open the page it names. */
async function followHomeLinks(home, root, { fromDisk = false } = {}) {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const response = await page.goto(home);
  if (!fromDisk) assert.equal(response.status(), 200, home);
  const hrefs = await page.$$eval("a[href]", (links) => links.map((link) => link.href));
  const targets = [...new Set(hrefs.map((href) => href.split("#")[0]).filter((href) => href.startsWith(root)))];
  assert.ok(targets.length >= 10, `only ${targets.length} internal links on the home page`);
  for (const url of targets) {
    if (fromDisk) assert.match(url, /\/index\.html$|\.[a-z]+$/, `${url} would open a folder listing from disk`);
    const opened = await page.goto(url);
    if (!fromDisk) assert.equal(opened.status(), 200, url);
    const seen = await page.evaluate(() => ({
      h1: document.querySelector("h1")?.textContent.trim() ?? "",
      canonical: document.querySelector('link[rel="canonical"]')?.href ?? "",
    }));
    assert.equal(seen.canonical, canonicalFor(url, root), `${url} opened something else`);
    assert.ok(seen.h1 && !seen.h1.startsWith("Index of"), `${url} has no page heading`);
  }
  assert.deepEqual(errors, []);
  await page.close();
  return targets.length;
}

/** The stylesheet applies: the body and the layout differ from the browser's defaults. */
async function assertStyled(url) {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  const styles = await page.evaluate(() => {
    const body = getComputedStyle(document.body);
    return { display: body.display, margin: body.margin, wrap: getComputedStyle(document.querySelector(".wrap")).maxWidth };
  });
  assert.deepEqual({ display: styles.display, margin: styles.margin }, { display: "flex", margin: "0px" }, url);
  assert.notEqual(styles.wrap, "none", `${url}: .wrap has no max-width`);
  assert.deepEqual(errors, []);
  await page.close();
}

const cases = [
  { role: "principal", applied_on: "2023-07-16", visa_valid: true, lives_in_us: true,
    outside_canada: true, years_requested: 3, issued_on: "2023-08-15", passport_expires_on: "2031-01-01" },
  { role: "principal", applied_on: "2023-07-18", visa_valid: false, lives_in_us: true,
    outside_canada: true, years_requested: 5, issued_on: "2023-09-01", passport_expires_on: "2025-05-01" },
];

/** The checker on `url` shows what `guide eval` says, for an eligible and an ineligible case. */
async function assertCheckerAgrees(url) {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  for (const answers of cases) {
    await answer(page, answers);
    const expected = guideEval("h1b", answers);
    const shown = await page.evaluate(() => {
      const visible = (selector) => [...document.querySelectorAll(selector)].filter((node) => !node.hidden);
      return {
        outcomes: visible("[data-outcome]").map((node) => node.dataset.outcome),
        failed: visible("[data-criterion]").map((node) => node.dataset.criterion).sort(),
      };
    });
    assert.deepEqual(shown, { outcomes: [expected.outcome], failed: [...expected.failed].sort() }, `${url} ${JSON.stringify(answers)}`);
  }
  assert.notEqual(guideEval("h1b", cases[0]).outcome, guideEval("h1b", cases[1]).outcome, "the cases differ");
  assert.deepEqual(errors, []);
  await page.close();
}

async function proveServed(server) {
  await followHomeLinks(server.url, server.url);
  await assertStyled(server.url);
  await assertCheckerAgrees(new URL("check/", server.url).href);
}

test("under its subpath on a plain static server (python3 -m http.server)", async () => {
  const server = await started(await pythonServer(parent));
  await proveServed(server);
  const missing = await fetch(new URL("no/such/page/", server.url));
  assert.equal(missing.status, 404);
});

// Old servers send unknown types as application/octet-stream. Chromium runs such a script only
// without `X-Content-Type-Options: nosniff` (with it, it refuses the script), which is how those
// servers behave; the module needs no type at all, since it travels inside the script.
test("on a server that sends .js and .wasm as application/octet-stream", async () => {
  const server = await started(await serve(site, {
    prefix: PREFIX,
    types: { ".js": "application/octet-stream", ".wasm": "application/octet-stream" },
  }));
  const page = await browser.newPage();
  const loaded = [];
  page.on("response", (response) => { if (response.url().endsWith(".js")) loaded.push(response.headers()["content-type"]); });
  await page.goto(new URL("check/", server.url).href);
  assert.ok(loaded.length >= 2 && loaded.every((type) => type === "application/octet-stream"), loaded.join(", "));
  await page.close();
  await proveServed(server);
});

test("under a strict Content-Security-Policy, with no violation reported", async () => {
  const server = await started(await serve(site, { prefix: PREFIX, headers: { "Content-Security-Policy": CSP } }));
  const page = await browser.newPage();
  const errors = watchErrors(page);
  const response = await page.goto(new URL("check/", server.url).href);
  assert.equal(response.headers()["content-security-policy"], CSP);
  await page.close();
  assert.deepEqual(errors, [], "a CSP violation is reported as a console error");
  await proveServed(server);
});

test("opened from disk (file://), where links to folders are pointed at their index.html", async () => {
  const root = pathToFileURL(site).href + "/";
  const home = root + "index.html";
  await followHomeLinks(home, root, { fromDisk: true });
  await assertStyled(home);
  await assertCheckerAgrees(root + "check/index.html");

  // Clicking through, as a reader does: a breadcrumb up, then the nav down.
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(root + "stream/family/index.html");
  await page.click(".breadcrumbs a >> nth=0");
  assert.equal(page.url(), home);
  await page.click('.site-nav a[href$="stream/index.html"]');
  assert.equal(page.url(), root + "stream/index.html");
  assert.equal(await page.textContent("h1"), "The H-1B stream");
  assert.deepEqual(errors, []);
  await page.close();
});

test("without JavaScript, disk browsing keeps the folder links (and shows folder listings)", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(pathToFileURL(site).href + "/index.html");
  const href = await page.getAttribute('.site-nav a >> nth=0', "href");
  assert.match(href, /^\.\/[a-z-]+\/$/);
  await context.close();
});

test("minified, served under its subpath and under the strict policy, and from disk", async () => {
  const plain = await started(await pythonServer(minifiedParent));
  await proveServed(plain);
  const strict = await started(await serve(minified, { prefix: PREFIX, headers: { "Content-Security-Policy": CSP } }));
  await proveServed(strict);
  const root = pathToFileURL(minified).href + "/";
  await followHomeLinks(root + "index.html", root, { fromDisk: true });
  await assertCheckerAgrees(root + "check/index.html");
});
