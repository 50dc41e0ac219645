// Search in a real browser, on the bundled guide as hosts publish it: under a subpath, with
// scripts sent as application/octet-stream and a strict Content-Security-Policy; opened from
// disk; without JavaScript; by keyboard; in French; axe clean; and kept current by `guide serve`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO, guide, serve, launch, startServe, watchErrors, axeViolations } from "./helpers.mjs";
import { QUERIES } from "./search-quality.mjs";

const BASE = "https://example.org/guides/tech-talent/";
const PREFIX = "/guides/tech-talent/";
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

let browser, parent, site, host;
before(async () => {
  parent = mkdtempSync(join(tmpdir(), "guide-search-"));
  site = join(parent, "guides", "tech-talent");
  const run = guide(["--root", REPO, "build", "--output", site, "--base-url", BASE]);
  if (run.status !== 0) throw new Error(`guide build failed:\n${run.stderr}`);
  host = await serve(site, {
    prefix: PREFIX,
    types: { ".js": "application/octet-stream" },
    headers: { "content-security-policy": CSP },
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await host?.close();
  if (parent) rmSync(parent, { recursive: true, force: true });
});

/** A page that records CSP violations, console errors and every request under search/. */
async function watchedPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const requests = [];
  page.on("request", (request) => {
    if (/\/search\/(en|fr)\//.test(request.url())) requests.push(request.url());
  });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { context, page, errors, requests };
}

/** The result links' targets, relative to the site's root, in order. */
async function resultTargets(page, list) {
  const hrefs = await page.$$eval(`${list} a`, (links) => links.map((link) => link.href));
  return hrefs.map((href) => href.replace(host.url, ""));
}

async function resultsFor(page, field, query) {
  await page.fill(field, query);
  await page.waitForFunction(
    ([selector, wanted]) => {
      const form = document.querySelector(selector).form;
      // The status names the query it counts: results of an earlier query do not pass.
      const status = form.querySelector(".search-status").textContent;
      return status.includes(wanted) && form.querySelector(".search-list").children.length > 0;
    },
    [field, query],
    { timeout: 10000 },
  );
}

test("each reader's question finds the page that answers it among the first three", async () => {
  const { context, page, errors } = await watchedPage();
  const misses = [];
  for (const [language, query, wanted] of QUERIES) {
    const home = language === "fr" ? "fr/recherche/" : "search/";
    await page.goto(`${host.url}${home}?q=${encodeURIComponent(query)}`);
    await page.waitForFunction(() => document.querySelector("#search-page-list, .search-on-page .search-list")?.children.length > 0,
      null, { timeout: 10000 }).catch(() => {});
    const targets = await resultTargets(page, ".search-on-page .search-list");
    const rank = targets.indexOf(wanted);
    if (rank < 0 || rank > 2) misses.push(`${query} → ${targets.slice(0, 3).join(", ")} (wanted ${wanted})`);
  }
  assert.deepEqual(misses, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await context.close();
});

test("nothing is loaded before the field is focused; results mark the words matched", async () => {
  const { context, page, errors, requests } = await watchedPage();
  await page.goto(`${host.url}stream/cap/`);
  await page.waitForLoadState("load");
  assert.deepEqual(requests, [], "the index waits for the field");
  await page.focus("#site-search-q");
  await page.waitForFunction(() => "__guideSearch" in window);
  await page.waitForTimeout(200);
  // The manifest, and the one file of rows (title, URL, section) that a site this size has.
  const loaded = requests.map((url) => url.replace(/.*\/search\//, ""));
  assert.equal(loaded.length, 2, loaded.join(", "));
  assert.equal(loaded[0], "en/manifest.js");
  assert.match(loaded[1], /^en\/[0-9a-f]{12}\.js$/);
  await resultsFor(page, "#site-search-q", "permits");
  const targets = await resultTargets(page, "#site-search-results");
  assert.equal(targets[0], "stream/permit/");
  // The rows come with the manifest; each snippet follows with its result's text.
  await page.waitForFunction(() => [...document.querySelectorAll("#site-search-results .search-snippet")]
    .every((snippet) => snippet.textContent !== ""));
  const marked = await page.$$eval("#site-search-results mark", (marks) => marks.map((mark) => mark.textContent.toLowerCase()));
  assert.ok(marked.length > 0 && marked.every((word) => word.startsWith("permit")), marked.join(", "));
  const status = await page.textContent("#site-search-status");
  assert.match(status, /^\d+ results? for “permits”$/);
  assert.equal(await page.getAttribute("#site-search-status", "aria-live"), "polite");
  // Only the manifest and its rows, the shard of `pe` and the results shown were loaded.
  const shards = requests.filter((url) => /\/[0-9a-f]{12}\.js$/.test(url) && !url.endsWith(loaded[1]));
  assert.equal(shards.length, 1, requests.join("\n"));
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await context.close();
});

test("the list is shown from the manifest before any result's text arrives; snippets follow", async () => {
  const { context, page, errors } = await watchedPage();
  // Result files are held back until released: the rows must not wait for them.
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  const held = [];
  await page.route(/\/search\/en\/f\/\d+\.js$/, async (route) => {
    held.push(route.request().url());
    await released;
    await route.continue();
  });
  await page.goto(`${host.url}stream/cap/`);
  await page.focus("#site-search-q");
  await resultsFor(page, "#site-search-q", "spouse");
  assert.equal((await resultTargets(page, "#site-search-results"))[0], "stream/family/");
  const titles = await page.$$eval("#site-search-results .search-title a", (links) => links.map((link) => link.textContent));
  assert.ok(titles.every((title) => title.trim() !== ""), titles.join(" | "));
  const empty = await page.$$eval("#site-search-results .search-snippet", (snippets) => snippets.map((snippet) => snippet.textContent));
  assert.ok(empty.length > 0 && empty.every((text) => text === ""), "no snippet before its text");
  assert.ok(held.length > 0, "the result files were asked for");
  release();
  await page.waitForFunction(() => [...document.querySelectorAll("#site-search-results .search-snippet")]
    .every((snippet) => snippet.textContent !== ""));
  const marked = await page.$$eval("#site-search-results mark", (marks) => marks.map((mark) => mark.textContent.toLowerCase()));
  assert.ok(marked.some((word) => word.startsWith("spouse")), marked.join(", "));
  assert.deepEqual(errors, []);
  await context.close();
});

test("a result file that cannot load leaves its row without a snippet, and the list stands", async () => {
  const { context, page } = await watchedPage();
  await page.route(/\/search\/en\/f\/\d+\.js$/, (route) => route.abort());
  await page.goto(`${host.url}stream/cap/`);
  await page.focus("#site-search-q");
  await resultsFor(page, "#site-search-q", "spouse");
  // Past the time the result files take to fail.
  await page.waitForTimeout(500);
  assert.equal((await resultTargets(page, "#site-search-results"))[0], "stream/family/");
  assert.match(await page.textContent("#site-search-status"), /^\d+ results? for “spouse”$/);
  const snippets = await page.$$eval("#site-search-results .search-snippet", (found) => found.map((p) => p.textContent));
  assert.ok(snippets.length > 0 && snippets.every((text) => text === ""), snippets.join(" | "));
  await context.close();
});

test("the browser cuts and folds words as the build does", async () => {
  const { context, page } = await watchedPage();
  await page.goto(`${host.url}`);
  await page.waitForFunction(() => "__guideSearchWords" in window);
  const cases = JSON.parse(readFileSync(join(REPO, "tests/fixtures/search/words.json"), "utf8"));
  for (const { text, forms } of cases) {
    assert.deepEqual(await page.evaluate((text) => window.__guideSearchWords(text), text), forms, text);
  }
  await context.close();
});

test("the last word matches as a prefix, and a word of five letters or more with one typo", async () => {
  const { context, page } = await watchedPage();
  await page.goto(`${host.url}`);
  await resultsFor(page, "#site-search-q", "Water");
  assert.equal((await resultTargets(page, "#site-search-results"))[0], "hubs/");
  await resultsFor(page, "#site-search-q", "qualifed");
  assert.equal((await resultTargets(page, "#site-search-results"))[0], "stream/who-qualified/");
  // Two letters swapped side by side are one typo too.
  await resultsFor(page, "#site-search-q", "passprot");
  assert.equal((await resultTargets(page, "#site-search-results"))[0], "check/");
  // A finished word (followed by a space) is not a prefix.
  await page.fill("#site-search-q", "Water ");
  await page.waitForFunction(() => document.querySelector("#site-search-status").textContent.startsWith("No results"));
  await context.close();
});

test("by keyboard: arrows move through the results, Enter follows one, Escape closes them", async () => {
  const { context, page } = await watchedPage();
  await page.goto(`${host.url}`);
  await page.focus("#site-search-q");
  await page.keyboard.type("spouse");
  await page.waitForFunction(() => document.querySelectorAll("#site-search-results a").length > 1);
  await page.keyboard.press("ArrowDown");
  const first = await page.evaluate(() => document.activeElement.getAttribute("href"));
  assert.equal(first, await page.getAttribute("#site-search-results li:first-child a", "href"));
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), first);
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.id), "site-search-q");
  // Escape on a result closes the results and goes back to the query, kept; ArrowDown opens
  // them again; Escape in the field clears the query.
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => document.activeElement.id), "site-search-q");
  assert.equal(await page.inputValue("#site-search-q"), "spouse");
  assert.equal(await page.isHidden("#site-search-results"), true);
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.isHidden("#site-search-results"), false);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), first);
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("Escape");
  assert.equal(await page.inputValue("#site-search-q"), "");
  assert.equal(await page.isHidden("#site-search-results"), true);
  await page.keyboard.type("spouse");
  await page.waitForFunction(() => document.querySelectorAll("#site-search-results a").length > 1);
  await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL(/stream\/family\/$/), page.keyboard.press("Enter")]);
  await context.close();
});

/** The number of results the status of `field`'s form counts. */
async function countFor(page, field) {
  const status = await page.evaluate((selector) => document.querySelector(selector).form
    .querySelector(".search-status").textContent, field);
  return Number(status.replace(/\D+.*$/s, ""));
}

test("results beyond the list: the header links to them all, and the search page shows more", async () => {
  const { context, page, errors } = await watchedPage();
  await page.goto(`${host.url}stream/`);
  // A word of few results: the list holds them all, and no link says there are more.
  await resultsFor(page, "#site-search-q", "Collision");
  assert.ok(await countFor(page, "#site-search-q") <= 8);
  assert.equal(await page.isHidden("#site-search-results .search-all"), true);
  // A word of many: the header shows 8 and links to the search page with the query.
  await resultsFor(page, "#site-search-q", "permit");
  const count = await countFor(page, "#site-search-q");
  assert.ok(count > 20, `"permit" finds ${count} results: too few to show more twice`);
  assert.equal(await page.locator("#site-search-results .search-list a").count(), 8);
  assert.equal(await page.isVisible("#site-search-results .search-all a"), true);
  assert.equal(await page.textContent("#site-search-results .search-all a"), `See all ${count} results`);
  assert.equal(await page.getAttribute("#site-search-results .search-all a", "href"), "../search/?q=permit");
  // The arrow keys go on from the last result to that link and back; Escape on it closes the
  // results and keeps the query, as on a result.
  await page.focus("#site-search-results .search-list li:last-child a");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.closest(".search-all") !== null), true);
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")),
    await page.getAttribute("#site-search-results .search-list li:last-child a", "href"));
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => document.activeElement.id), "site-search-q");
  assert.equal(await page.inputValue("#site-search-q"), "permit");
  assert.equal(await page.isHidden("#site-search-results"), true);
  await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL(/search\/\?q=permit$/), page.click("#site-search-results .search-all a")]);
  // The search page lists 20, then 20 more on request, focus on the first of them.
  const list = ".search-on-page .search-list a";
  await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 20, list);
  assert.equal(await page.isVisible(".search-more"), true);
  const firstTwenty = await resultTargets(page, ".search-on-page .search-list");
  await page.click(".search-more");
  const shown = Math.min(count, 40);
  await page.waitForFunction(([selector, wanted]) => document.querySelectorAll(selector).length === wanted, [list, shown]);
  assert.deepEqual((await resultTargets(page, ".search-on-page .search-list")).slice(0, 20), firstTwenty);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")),
    await page.getAttribute(`.search-on-page .search-list li:nth-child(21) a`, "href"));
  assert.equal(await page.isVisible(".search-more"), count > 40);
  // A new query starts again from 20, and one of 20 results or fewer offers no more.
  await resultsFor(page, "#search-page-q", "work permit");
  assert.ok(await countFor(page, "#search-page-q") > 20);
  await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 20, list);
  assert.equal(await page.isVisible(".search-more"), true);
  await resultsFor(page, "#search-page-q", "Collision");
  assert.ok(await countFor(page, "#search-page-q") <= 20);
  assert.equal(await page.isHidden(".search-more"), true);
  assert.deepEqual(errors, []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  // In French, in French.
  await page.goto(`${host.url}fr/recherche/?q=permis`);
  await page.waitForFunction(() => document.querySelectorAll(".search-on-page .search-list a").length > 0);
  assert.equal((await page.textContent(".search-more")).trim(), "Afficher plus de résultats");
  await context.close();
});

test("the header's results close when the reader moves on; the search page's address follows its query", async () => {
  const { context, page, errors } = await watchedPage();
  await page.goto(`${host.url}stream/`);
  await resultsFor(page, "#site-search-q", "spouse");
  // A press elsewhere on the page closes them and keeps the query; so does Tab out of the form.
  await page.mouse.click(5, 600);
  assert.equal(await page.isHidden("#site-search-results"), true);
  assert.equal(await page.inputValue("#site-search-q"), "spouse");
  // Back in the field, by a press or by Tab, they open again.
  await page.click("#site-search-q");
  assert.equal(await page.isHidden("#site-search-results"), false);
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.isHidden("#site-search-results"), true);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "site-search-q");
  assert.equal(await page.isHidden("#site-search-results"), false);
  // A press on a result follows it.
  await page.focus("#site-search-q");
  await page.keyboard.press("ArrowDown");
  await Promise.all([page.waitForURL(/stream\/family\/$/), page.click("#site-search-results li:first-child a")]);
  // On the search page, a query sent names itself in the address.
  await page.goto(`${host.url}search/?q=permit`);
  await page.waitForFunction(() => document.querySelectorAll(".search-on-page .search-list a").length > 0);
  await page.fill("#search-page-q", "Waterloo");
  await page.press("#search-page-q", "Enter");
  await page.waitForURL(/search\/\?q=Waterloo$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a query with no word of two letters or more says so, in both languages", async () => {
  const { context, page } = await watchedPage();
  for (const [path, query, wanted] of [
    ["stream/", "a", "Type a word of at least two letters or digits."],
    ["stream/", "! ?", "Type a word of at least two letters or digits."],
    ["fr/volet/", "à", "Tapez un mot d’au moins deux lettres ou chiffres."],
    // One letter and its accent as a combining mark: one letter once folded.
    ["fr/volet/", "e\u0301", "Tapez un mot d’au moins deux lettres ou chiffres."],
  ]) {
    await page.goto(`${host.url}${path}`);
    await page.fill("#site-search-q", query);
    await page.waitForFunction((wanted) => document.querySelector("#site-search-status").textContent === wanted, wanted);
    assert.equal(await page.locator("#site-search-results .search-list li").count(), 0);
  }
  // Two letters are a word, and so are two letters joined by a hyphen: searched, found or not.
  await page.goto(`${host.url}stream/`);
  await resultsFor(page, "#site-search-q", "IT");
  for (const query of ["h-1", "T-4", "œ"]) {
    await page.fill("#site-search-q", query);
    await page.waitForFunction((query) => document.querySelector("#site-search-status").textContent.includes(query), query);
  }
  await context.close();
});

test("a query of one very long word wraps, and snippets are cut between words", async () => {
  const { context, page } = await watchedPage({ viewport: { width: 375, height: 740 } });
  await page.goto(`${host.url}search/?q=${"x".repeat(300)}`);
  await page.waitForFunction(() => document.querySelector(".search-on-page .search-status").textContent !== "");
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    "the page scrolls sideways");
  // A long text of words of uneven lengths, a word marked in its middle: the snippet starts
  // and ends on whole words.
  const text = Array.from({ length: 120 }, (_, i) => `w${i}${"x".repeat(i % 5)}`).join(" ");
  const shown = await page.evaluate((text) => window.__guideSearchSnippet(text, "w60"), text);
  assert.match(shown, /^… w\d+x* .* w\d+x* …$/);
  const inner = shown.slice(2, -2);
  assert.ok(text.includes(` ${inner} `), shown);
  await context.close();
});

test("in French: French results, French wording, French pages", async () => {
  const { context, page, errors } = await watchedPage();
  await page.goto(`${host.url}fr/volet/`);
  await resultsFor(page, "#site-search-q", "conjoint");
  const targets = await resultTargets(page, "#site-search-results");
  assert.ok(targets.length > 0 && targets.every((target) => target.startsWith("fr/")), targets.join(", "));
  assert.match(await page.textContent("#site-search-status"), /^\d+\u00a0résultats? pour «\u00a0conjoint\u00a0»$/);
  assert.equal(await page.textContent("label[for=site-search-q]"), "Rechercher dans ce guide");
  assert.deepEqual(errors, []);
  await context.close();
});

test("axe finds no violation with results shown, in both languages", async () => {
  const { context, page } = await watchedPage();
  for (const [path, query] of [["stream/", "cap"], ["fr/recherche/", "plafond"]]) {
    await page.goto(`${host.url}${path}`);
    const field = path.startsWith("fr/") ? "#search-page-q" : "#site-search-q";
    await resultsFor(page, field, query);
    assert.deepEqual(await axeViolations(page), [], path);
  }
  await context.close();
});

test("opened from disk (file://): search loads and its results open their index.html", async () => {
  const { context, page, errors } = await watchedPage();
  await page.goto(pathToFileURL(join(site, "stream", "index.html")).href);
  await resultsFor(page, "#site-search-q", "spouse");
  const href = await page.getAttribute("#site-search-results li:first-child a", "href");
  assert.equal(href, "../stream/family/index.html");
  await Promise.all([page.waitForURL(/stream\/family\/index\.html$/), page.click("#site-search-results li:first-child a")]);
  // Enter in the header's field sends the query to the search page's index.html, not to the
  // listing of its folder.
  await page.goto(pathToFileURL(join(site, "index.html")).href);
  await page.fill("#site-search-q", "spouse");
  await Promise.all([page.waitForURL(/search\/index\.html\?q=spouse$/), page.press("#site-search-q", "Enter")]);
  await page.waitForFunction(() => document.querySelectorAll(".search-on-page .search-list a").length > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("without JavaScript: the form goes to the search page, which lists every page", async () => {
  const { context, page } = await watchedPage({ javaScriptEnabled: false });
  await page.goto(`${host.url}stream/cap/`);
  await page.fill("#site-search-q", "spouse");
  await Promise.all([page.waitForURL(/\/search\/\?q=spouse$/), page.press("#site-search-q", "Enter")]);
  assert.equal(await page.isVisible("[data-search-without-script]"), true);
  const listed = await page.$$eval(".site-index a", (links) => links.map((link) => link.getAttribute("href")));
  for (const path of ["../stream/cap/", "../stream/family/", "../routes/express-entry/score/", "../sources/"]) {
    assert.ok(listed.includes(path), `${path} in ${listed.join(", ")}`);
  }
  assert.ok(!listed.some((path) => path.startsWith("../fr/")), "the English list holds English pages");
  await context.close();
  // With JavaScript the notice is hidden.
  const scripted = await watchedPage();
  await scripted.page.goto(`${host.url}search/`);
  await scripted.page.waitForFunction(() => document.querySelector("[data-search-without-script]").hidden);
  await scripted.context.close();
});

test("guide serve keeps the index current: a saved page is found by its new words", async () => {
  const root = mkdtempSync(join(tmpdir(), "guide-search-serve-"));
  cpSync(join(REPO, "content"), join(root, "content"), { recursive: true });
  cpSync(join(REPO, "site.toml"), join(root, "site.toml"));
  const server = await startServe(root);
  const { context, page } = await watchedPage();
  try {
    const ask = async () => {
      await page.goto(`${server.url}search/?q=zanzibar`);
      await page.waitForFunction(() => document.querySelector(".search-on-page .search-status").textContent !== "");
      return resultTargets(page, ".search-on-page .search-list");
    };
    assert.deepEqual(await ask(), []);
    const file = join(root, "content", "stream", "cap.md");
    writeFileSync(`${file}.tmp`, readFileSync(file, "utf8") + "\nThe word zanzibar is new here.\n");
    renameSync(`${file}.tmp`, file);
    let found = [];
    for (let tries = 0; tries < 50 && found.length === 0; tries++) {
      await page.waitForTimeout(100);
      // The rebuild's live reload may land while the page is being asked again: a navigation
      // it interrupts or aborts is asked once more.
      const answer = await ask().catch((error) => {
        if (/ERR_ABORTED|interrupted by another navigation|Execution context was destroyed/.test(String(error))) {
          return [];
        }
        throw error;
      });
      found = answer.map((href) => href.replace(server.url, ""));
    }
    assert.deepEqual(found, ["stream/cap/"]);
  } finally {
    await context.close();
    server.child.removeAllListeners("exit");
    server.child.kill("SIGINT");
    rmSync(root, { recursive: true, force: true });
  }
});

test("a word that names a JavaScript object's property is a word like any other", async () => {
  const root = mkdtempSync(join(tmpdir(), "guide-search-words-"));
  cpSync(join(REPO, "content"), join(root, "content"), { recursive: true });
  cpSync(join(REPO, "site.toml"), join(root, "site.toml"));
  const file = join(root, "content", "stream", "cap.md");
  writeFileSync(file, readFileSync(file, "utf8") + "\nThe constructor of this page is its author.\n");
  const out = join(root, "public");
  const run = guide(["--root", root, "build", "--output", out]);
  assert.equal(run.status, 0, run.stderr);
  const local = await serve(out);
  const { context, page, errors } = await watchedPage();
  try {
    for (const query of ["constructor", "constr"]) {
      await page.goto(`${local.url}search/?q=${query}`);
      await page.waitForFunction(() => document.querySelector(".search-on-page .search-status").textContent !== "");
      const hrefs = await page.$$eval(".search-on-page .search-list a", (links) => links.map((link) => link.href));
      assert.deepEqual(hrefs.map((href) => href.replace(local.url, "")), ["stream/cap/"], query);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await local.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test("on a phone the header leaves the form out and the menu leads to the search page", async () => {
  const { context, page } = await watchedPage({ viewport: { width: 390, height: 844 } });
  await page.goto(`${host.url}stream/cap/`);
  assert.equal(await page.isVisible(".site-header form[role=search]"), false);
  await page.click(".site-menu > summary");
  const link = page.locator(".site-nav .search-nav-item a");
  assert.equal(await link.isVisible(), true);
  await Promise.all([page.waitForURL(/\/search\/$/), link.click()]);
  assert.equal(await page.isVisible("#search-page-q"), true);
  await context.close();
});
