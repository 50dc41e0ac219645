// The bilingual fixture in a real browser: the language toggle lands on the same page in the
// other language, both ways; every page and every passage in another language carries the
// right `lang`; the one 404 page a host serves speaks both languages; axe finds nothing in
// either language.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, guide, serve, launch, watchErrors, axeViolations } from "./helpers.mjs";

const BASE = "https://example.org/guide/";
const PREFIX = "/guide/";

let browser, temp, server;
before(async () => {
  temp = mkdtempSync(join(tmpdir(), "guide-languages-"));
  const out = join(temp, "public");
  const root = join(REPO, "tests/fixtures/bilingual");
  const run = guide(["--root", root, "build", "--output", out, "--base-url", BASE]);
  if (run.status !== 0) throw new Error(`guide build failed:\n${run.stderr}`);
  server = await serve(out, { prefix: PREFIX });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
});

async function open(path) {
  // A context of its own per page: axe needs one.
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const response = await page.goto(`${server.url}${path}`);
  return { page, errors, status: response.status() };
}

test("the toggle lands on the counterpart, both ways", async () => {
  const { page, errors } = await open("stream/family/");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  const toggle = page.locator("a.language-toggle");
  assert.equal(await toggle.textContent(), "Français");
  assert.equal(await toggle.getAttribute("lang"), "fr");
  await toggle.click();
  await page.waitForURL(/\/fr\/volet\/famille\/$/);
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  assert.equal(await page.textContent("main h1"), "Famille");
  const back = page.locator("a.language-toggle");
  assert.equal(await back.textContent(), "English");
  assert.equal(await back.getAttribute("lang"), "en");
  await back.click();
  await page.waitForURL(/\/stream\/family\/$/);
  assert.equal(await page.textContent("main h1"), "Family");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the theme's wording is in the page's language", async () => {
  const { page } = await open("fr/volet/famille/");
  assert.equal((await page.textContent("a.skip-link")).trim(), "Passer au contenu principal");
  assert.equal(await page.getAttribute("nav.breadcrumbs", "aria-label"), "Chemin de navigation");
  await page.close();
});

test("the 404 page speaks both languages, each passage with its lang", async () => {
  const { page, status } = await open("nowhere/at/all/");
  assert.equal(status, 404);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.textContent("main h1"), "Page not found");
  const french = page.locator("section.not-found-other");
  assert.equal(await french.getAttribute("lang"), "fr");
  assert.equal(await french.locator("h2").textContent(), "Page introuvable");
  await french.locator("a").click();
  await page.waitForURL(/\/guide\/fr\/$/);
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  await page.close();
});

test("axe finds nothing in either language", async () => {
  for (const path of ["", "stream/family/", "fr/", "fr/volet/famille/", "nowhere/"]) {
    const { page } = await open(path);
    assert.deepEqual(await axeViolations(page), [], path);
    await page.close();
  }
});
