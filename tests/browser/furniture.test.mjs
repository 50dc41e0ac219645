// What readers expect of the bundled guide beyond its text, in a real browser: an old address
// (an alias) sends the reader on to the page under a subpath and from disk, with or without
// JavaScript; on a phone the nav folds behind a "Menu" button that a keyboard opens.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO, guide, serve, launch, watchErrors, axeViolations } from "./helpers.mjs";

const BASE = "https://example.org/guides/tech-talent/";
const PREFIX = "/guides/tech-talent/";
const ALIAS = "h1b-stream/the-cap/";
// Screenshots are kept for a person to look at, in a folder git ignores.
const SHOTS = join(REPO, "test-results");

let browser, temp, out, server;
before(async () => {
  temp = mkdtempSync(join(tmpdir(), "guide-furniture-"));
  // The bundled guide, with an old address for the page about the cap.
  const root = join(temp, "site");
  for (const part of ["site.toml", "content", "themes"]) cpSync(join(REPO, part), join(root, part), { recursive: true });
  const page = join(root, "content/stream/cap.md");
  const text = readFileSync(page, "utf8");
  writeFileSync(page, text.replace("+++\n", `+++\naliases = ["${ALIAS}"]\n`));
  out = join(temp, "public", "guides", "tech-talent");
  const run = guide(["--root", root, "build", "--output", out, "--base-url", BASE]);
  if (run.status !== 0) throw new Error(`guide build failed:\n${run.stderr}`);
  server = await serve(out, { prefix: PREFIX });
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

async function followAlias(start, { javaScriptEnabled = true } = {}) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(start);
  await page.waitForURL(/\/stream\/cap\/index\.html$/);
  const heading = await page.textContent("main h1");
  const url = page.url();
  await context.close();
  assert.deepEqual(errors, []);
  return { heading, url };
}

test("an alias sends the reader on to its page under a subpath", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const { heading, url } = await followAlias(`${server.url}${ALIAS}`, { javaScriptEnabled });
    assert.equal(url, `${server.url}stream/cap/index.html`);
    assert.match(heading, /cap/i);
  }
});

test("an alias sends the reader on to its page from disk", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const start = pathToFileURL(join(out, ALIAS, "index.html")).href;
    const { heading, url } = await followAlias(start, { javaScriptEnabled });
    assert.equal(url, pathToFileURL(join(out, "stream/cap/index.html")).href);
    assert.match(heading, /cap/i);
  }
});

test("on a phone the nav folds behind a Menu button a keyboard opens", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  const links = page.locator(".site-nav a");
  assert.ok((await links.count()) >= 3);
  assert.equal(await links.first().isVisible(), false, "the nav is folded");
  assert.equal(await page.isVisible(".site-menu > summary"), true);
  const header = await page.locator(".site-header").boundingBox();
  assert.ok(header.height < 80, `the folded header is ${header.height}px high`);
  await page.screenshot({ path: join(SHOTS, "phone-menu-closed.png") });
  assert.deepEqual(await axeViolations(page), []);

  // Tab to the button, as a keyboard reader does, and open it with Enter.
  let focused = "";
  for (let step = 0; step < 6 && focused !== "SUMMARY"; step++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement?.tagName ?? "");
  }
  assert.equal(focused, "SUMMARY");
  await page.keyboard.press("Enter");
  assert.equal(await page.getAttribute(".site-menu", "open"), "");
  for (const link of await links.all()) assert.equal(await link.isVisible(), true);
  await page.screenshot({ path: join(SHOTS, "phone-menu-open.png") });
  assert.deepEqual(await axeViolations(page), []);
  // The next Tab reaches the first link of the menu.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.closest(".site-nav") !== null), true);
  await context.close();
  assert.deepEqual(errors, []);
});

test("on a wide screen the nav is open and the Menu button hidden", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.url}stream/cap/`);
  assert.equal(await page.isVisible(".site-menu > summary"), false);
  // Every section is in view; the search page's item is for phones, whose header has no form.
  for (const link of await page.locator(".site-nav li:not(.search-nav-item) a").all()) assert.equal(await link.isVisible(), true);
  assert.equal(await page.isVisible(".site-header form[role=search]"), true);
  // Previous and next within the section.
  assert.equal(await page.getAttribute('a[rel="prev"]', "href"), "../../stream/who-qualified/");
  assert.equal(await page.getAttribute('a[rel="next"]', "href"), "../../stream/permit/");
  await context.close();
});
