// The bundled guide in French, in a real browser: every page has its French counterpart under
// /fr/, in `lang="fr"`; the language toggle leads from each page to its counterpart and back,
// both ways; axe finds nothing wrong on any French page; and on a phone the French header
// keeps its title and toggle on one row within the screen, as low as the English one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { REPO, buildSite, serve, launch, watchErrors, axeViolations } from "./helpers.mjs";

// Screenshots are kept for a person to look at, in a folder git ignores.
const SHOTS = join(REPO, "test-results");

let browser, out, server;
before(async () => {
  out = buildSite();
  server = await serve(out);
  mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (out) rmSync(dirname(out), { recursive: true, force: true });
});

/** Every page the build wrote below `dir`, as addresses relative to the site's root ("fr/volet/"). */
function pagesUnder(dir) {
  const found = [];
  const walk = (folder) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === "index.html") found.push(relative(out, folder).split("\\").join("/"));
    }
  };
  walk(dir);
  return found.map((path) => (path === "" ? "" : `${path}/`)).sort();
}

/** The French pages, and the English ones (the root's pages outside /fr/). */
function frenchPages() {
  return pagesUnder(join(out, "fr"));
}
function englishPages() {
  return pagesUnder(out).filter((path) => !path.startsWith("fr/"));
}

test("every English page has a French counterpart and the other way round", () => {
  const english = englishPages();
  const french = frenchPages();
  assert.ok(english.length >= 24, `${english.length} English pages`);
  assert.equal(french.length, english.length, `English:\n${english.join("\n")}\nFrench:\n${french.join("\n")}`);
});

/** Follows the page's language toggle to `lang`, and returns the address it lands on. */
async function toggle(page, lang) {
  const link = page.locator(`a.language-toggle[hreflang="${lang}"]`);
  assert.equal(await link.count(), 1, `one toggle to ${lang} on ${page.url()}`);
  await Promise.all([page.waitForNavigation(), link.click()]);
  return page.url();
}

test("the toggle leads from every page to its counterpart and back, both ways", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const counterparts = new Map();
  for (const path of englishPages()) {
    const start = `${server.url}${path}`;
    await page.goto(start);
    assert.equal(await page.getAttribute("html", "lang"), "en", path);
    const french = await toggle(page, "fr");
    assert.ok(french.startsWith(`${server.url}fr/`), `${path} leads to ${french}`);
    assert.equal(await page.getAttribute("html", "lang"), "fr", french);
    assert.equal(await toggle(page, "en"), start, `back from ${french}`);
    counterparts.set(french, start);
  }
  // Each French page is the counterpart of exactly one English page, and leads back to it.
  const french = frenchPages().map((path) => `${server.url}${path}`);
  assert.deepEqual([...counterparts.keys()].sort(), french.sort());
  for (const start of french) {
    await page.goto(start);
    assert.equal(await toggle(page, "en"), counterparts.get(start), `from ${start}`);
    assert.equal(await toggle(page, "fr"), start, `back to ${start}`);
  }
  await context.close();
  assert.deepEqual(errors, []);
});

test("the French home page is in French, with French addresses", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}fr/`);
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  assert.match(await page.textContent("main h1"), /Stratégie pour les talents technologiques/);
  assert.match(await page.title(), /talents technologiques/);
  // The start button and the links in the text lead to French pages with French slugs.
  assert.equal(await page.getAttribute(".prose a[href*='verifier-admissibilite']", "href") !== null, true);
  const links = await page.locator(".prose a").evaluateAll((anchors) => anchors.map((a) => a.href));
  assert.ok(links.length >= 3);
  for (const href of links) assert.ok(href.startsWith(`${server.url}fr/`), href);
  // The sources link in the footer leads to the French sources page.
  const footer = await page.locator("footer a[href*='sources']").evaluateAll((anchors) => anchors.map((a) => a.href));
  assert.ok(footer.every((href) => href === `${server.url}fr/sources/`), footer.join(" "));
  await context.close();
});

test("the French sources page gives French titles and addresses, and marks those in English", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}fr/sources/`);
  // A source IRCC publishes in French: its French title, linked to its French address.
  const policy = page.locator("#source-ircc_policy h2 a");
  assert.match(await policy.textContent(), /^Politique d’intérêt public temporaire/);
  assert.match(await policy.getAttribute("href"), /^https:\/\/www\.canada\.ca\/fr\//);
  assert.equal(await policy.getAttribute("lang"), null);
  // Every canada.ca address on the page is a French one, but for sources marked in English.
  const sources = await page.locator("li.source h2").evaluateAll((headings) =>
    headings.map((h2) => {
      const link = h2.querySelector("a");
      return {
        href: link?.href ?? "",
        lang: (link ?? h2.querySelector("span[lang]"))?.getAttribute("lang") ?? null,
        marked: h2.querySelector(".source-language")?.textContent ?? null,
      };
    }),
  );
  assert.ok(sources.length >= 19, `${sources.length} sources`);
  for (const { href, lang, marked } of sources) {
    if (lang === null) {
      assert.equal(marked, null, href);
      assert.ok(!href.includes("canada.ca/en/"), `${href} is cited in French but is English`);
    } else {
      // Published only in English: the title in English, said so in French.
      assert.equal(lang, "en", href);
      assert.equal(marked, "(en anglais)", href);
    }
  }
  assert.ok(sources.some(({ lang }) => lang === "en"), "some sources exist only in English");
  await context.close();
});

test("axe finds nothing wrong on any French page", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const found = [];
  for (const path of frenchPages()) {
    await page.goto(`${server.url}${path}`);
    for (const violation of await axeViolations(page)) found.push(`${path}: ${violation}`);
  }
  await context.close();
  assert.deepEqual(found, []);
  assert.deepEqual(errors, []);
});

test("on a phone the French header keeps its title and toggle on the screen", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  for (const path of ["fr/", "fr/volet/plafond/", "fr/voies/entree-express/note/"]) {
    await page.goto(`${server.url}${path}`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${path} is ${width}px wide`);
    for (const selector of [".site-title", "a.language-toggle", ".site-menu > summary"]) {
      const box = await page.locator(selector).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${path}: ${selector} at ${JSON.stringify(box)}`);
    }
    const title = await page.locator(".site-title").boundingBox();
    const toggleBox = await page.locator("a.language-toggle").boundingBox();
    assert.ok(toggleBox.y < title.y + title.height, `${path}: the toggle sits on the title's row`);
    const header = await page.locator(".site-header").boundingBox();
    assert.ok(header.height < 80, `${path}: the folded header is ${header.height}px high`);
    assert.equal(await page.locator(".site-nav a").first().isVisible(), false, "the nav is folded");
    assert.deepEqual(await axeViolations(page), [], path);
  }
  await page.goto(`${server.url}fr/`);
  await page.screenshot({ path: join(SHOTS, "phone-french-home.png"), fullPage: true });
  await context.close();
  assert.deepEqual(errors, []);
});
