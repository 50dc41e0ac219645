// `guide serve` in a real browser: a page under a strict Content-Security-Policy follows edits
// by itself (reload, stylesheet swap without reload, the error overlay and its clearing), and
// reconnects to a restarted server.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { REPO, launch, startServe, watchErrors } from "./helpers.mjs";

const site = mkdtempSync(join(tmpdir(), "guide-serve-"));
cpSync(join(REPO, "tests/fixtures/serve"), site, { recursive: true });

/** Saves as editors do: a temporary file renamed over the target. */
function save(relative, text) {
  const target = join(site, relative);
  const temporary = join(dirname(target), `.${basename(target)}.tmp`);
  writeFileSync(temporary, text);
  renameSync(temporary, target);
}

function edit(relative, from, to) {
  const text = readFileSync(join(site, relative), "utf8");
  assert.ok(text.includes(from), `${relative} lacks ${from}`);
  save(relative, text.replace(from, to));
}

/** Starts `guide serve` on the copy and resolves with its URL once it serves. */
function startServer(port = 0) {
  return startServe(site, port);
}

function stopServer(child) {
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", resolve);
    child.kill("SIGINT");
  });
}

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (server) await stopServer(server.child);
});

/** Opens a page and waits until its live-reload connection is up. */
async function open(path) {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(new URL(path, server.url).href);
  await page.waitForFunction(() => window.__guideLive?.events.some((e) => e.name === "hello"));
  return { page, errors };
}

const overlayText = (page) =>
  page.evaluate(() => document.getElementById("guide-error-overlay")?.shadowRoot?.textContent ?? null);

test("an edit shows up in the open page without navigating", async () => {
  const { page, errors } = await open("stream/family/");
  edit("content/stream/family.md", "Spouses and children.", "Spouses, partners and children.");
  await page.waitForFunction(() => document.body.textContent.includes("Spouses, partners and children."));
  assert.equal(new URL(page.url()).pathname, "/stream/family/");
  assert.deepEqual(errors, [], "no console errors, no CSP violations");
  await page.close();
});

test("a stylesheet change is swapped in without a reload", async () => {
  const { page, errors } = await open("stream/");
  await page.evaluate(() => { window.notReloaded = true; });
  save("themes/plain/assets/style.css", "body { color: rgb(1, 2, 3); }\n");
  await page.waitForFunction(() => getComputedStyle(document.body).color === "rgb(1, 2, 3)");
  // The old stylesheet goes once the new one has loaded.
  await page.waitForFunction(() => document.querySelectorAll('link[rel="stylesheet"]').length === 1);
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a build error shows over the page as text, and fixing it reloads", async () => {
  const { page, errors } = await open("stream/the-cap/");
  // Markup in the error must show as text, never run.
  edit("content/stream/cap.md", 'title = "The cap"', 'title = <img src=x onerror="window.pwned=1">');
  await page.waitForSelector("#guide-error-overlay");
  const text = await overlayText(page);
  assert.match(text, /content\/stream\/cap\.md:2:\d+/);
  assert.match(text, /<img src=x onerror="window.pwned=1">/);
  assert.equal(await page.evaluate(() => document.getElementById("guide-error-overlay").shadowRoot.querySelector("img")), null);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.match(await page.textContent("main"), /The cap is 10,000/, "the last good page stays under it");

  // A page opened while the site is broken shows the error too.
  const second = await open("stream/");
  await second.page.waitForSelector("#guide-error-overlay");
  await second.page.close();

  edit("content/stream/cap.md", 'title = <img src=x onerror="window.pwned=1">', 'title = "The capped stream"');
  await page.waitForFunction(() => document.title.startsWith("The capped stream"));
  assert.equal(await overlayText(page), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a page reconnects to a restarted server and reloads", async () => {
  const { page } = await open("stream/family/");
  await page.evaluate(() => { window.notReloaded = true; });
  const port = new URL(server.url).port;
  await stopServer(server.child);
  server = null;
  edit("content/stream/family.md", "## Who counts", "## Who came along");
  server = await startServer(port);
  await page.waitForFunction(() => document.body.textContent.includes("Who came along"), null, { timeout: 20000 });
  assert.equal(await page.evaluate(() => window.notReloaded), undefined, "the page reloaded");
  await page.close();
});
