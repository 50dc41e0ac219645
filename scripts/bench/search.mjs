// The Chromium half of scripts/bench/search.sh, which builds the sites, times the builds and
// runs Pagefind, then runs this with its findings in the environment. Measures guide's search
// against Pagefind's over the same HTML: index size, bytes a first query downloads, latency,
// and whether the bundled guide's readers' questions find their page; prints the Markdown
// table and saves it to REPORT.
//
// Bytes are counted by the static server below, which logs every file it sends: what a
// reader's browser downloads, including what Pagefind's worker and WebAssembly fetch (the
// page's Resource Timing would miss a worker's requests). Each file counts as its gzip -9
// size, as a host would send it compressed, or as it is when already gzip (Pagefind's index).
import { createServer } from "node:http";
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { extname, join, normalize, relative, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { launch } from "../../tests/browser/helpers.mjs";
import { QUERIES } from "../../tests/browser/search-quality.mjs";

const env = process.env;
const REPO = env.REPO ?? resolve(import.meta.dirname, "../..");
const SYNTHETIC = env.SYNTHETIC; // the 10,000-page site's output, with guide's and Pagefind's index
const BUNDLED = env.BUNDLED; // the bundled guide's output, likewise
const LATENCY_QUERIES = 100;
// guide's header form shows 8 results; Pagefind is asked for the data of as many.
const SHOWN = 8;
// Words every synthetic page is written from (gen-site.py's WORDS): each query matches
// thousands of pages, the worst case for postings. One word, two words, a rarer pair.
const BYTES_QUERIES = ["spouse", "permit extension", "employer", "startup founder", "renewal deadline"];
// Typical questions on the bundled guide, against its budget of 20 kB for a query.
const BUNDLED_QUERIES = ["spouse", "open work permit"];
const BUDGET = 20_000;

for (const name of ["TIMES", "SYNTHETIC", "BUNDLED", "VOCABULARY", "REPORT"]) {
  if (!env[name]) throw new Error(`${name} is not set: run scripts/bench/search.sh`);
}

// ---------------------------------------------------------------------------------------
// Numbers

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The nearest-rank percentile: a value actually measured, never an interpolation. */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function seconds(s) {
  return s < 1 ? `${(s * 1000).toFixed(0)} ms` : `${s.toFixed(2)} s`;
}

function ms(value) {
  return value < 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(0)} ms`;
}

// Decimal units, so the 20 kB budget means 20,000 bytes.
function bytes(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

const count = (n) => n.toLocaleString("en");

// ---------------------------------------------------------------------------------------
// Files

const gzipped = new Map();
/** A file's size on the wire: as it is when already gzip (magic 1f 8b), else gzip -9. */
function wireSize(file) {
  if (!gzipped.has(file)) {
    const data = readFileSync(file);
    const isGzip = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
    gzipped.set(file, isGzip ? data.length : gzipSync(data, { level: 9 }).length);
  }
  return gzipped.get(file);
}

/** Every file under `dir`, as absolute paths. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile());
}

function indexSize(dir) {
  const files = filesUnder(dir);
  return { files: files.length, bytes: files.reduce((sum, file) => sum + wireSize(file), 0) };
}

/**
 * Pagefind's folder split by what a search needs: the index proper (entry, meta, index
 * chunks, fragments, filters), what runs it (pagefind.js, its worker, the WebAssembly) and
 * the optional UI bundles it also writes; guide's search/ folder is only the first kind.
 */
function pagefindParts(dir) {
  const parts = { index: 0, runtime: 0, ui: 0 };
  for (const file of filesUnder(dir)) {
    const name = relative(dir, file);
    const part = /^(pagefind\.js|pagefind-worker\.js|wasm\..*\.pagefind)$/.test(name) ? "runtime"
      : /^pagefind-.*(ui|highlight)/.test(name) ? "ui" : "index";
    parts[part] += wireSize(file);
  }
  return parts;
}

// ---------------------------------------------------------------------------------------
// The static server, and the harness pages written into the outputs

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".mjs": "text/javascript", ".json": "application/json", ".wasm": "application/wasm",
};

/** Serves `dir` at the root of a loopback port, logging each file sent (relative paths). */
async function serveLogged(dir) {
  const root = resolve(dir);
  const sent = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(400);
      response.end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      response.writeHead(404);
      response.end();
      return;
    }
    sent.push(relative(root, file));
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise((ready) => server.listen(0, "127.0.0.1", ready));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    root,
    /** Forgets what was sent, to count one query's files from a fresh start. */
    reset: () => sent.splice(0),
    /** The distinct files sent since the last reset, but `except` (the harness page). */
    sent: (except) => [...new Set(sent)].filter((name) => name !== except),
    close: () => new Promise((done) => server.close(done)),
  };
}

const GUIDE_HARNESS = "bench-search.html";
const GUIDE_SCRIPT = "bench-search.js";

/**
 * A page with the form themes/default/templates/partials/search.html renders in a header (its
 * data-* attributes the theme's English strings) and a copy of the theme's search.js; it
 * also notes which index files have arrived, to know when focusing has loaded the manifest.
 * Both harnesses name an empty icon, so Chromium asks for no /favicon.ico the site lacks.
 */
function writeGuideHarness(dir) {
  copyFileSync(join(REPO, "themes/default/assets/search.js"), join(dir, GUIDE_SCRIPT));
  writeFileSync(join(dir, GUIDE_HARNESS), `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>guide search benchmark</title>
<script src="${GUIDE_SCRIPT}" defer></script>
</head>
<body>
<form class="search" role="search" method="get" action="search/" aria-label="Search this guide"
  data-search-index="search/"
  data-search-language="en"
  data-search-root=""
  data-search-limit="${SHOWN}"
  data-search-page="false"
  data-search-one="{n} result for “{query}”"
  data-search-other="{n} results for “{query}”"
  data-search-none="No results for “{query}”. Check the spelling, or try another word."
  data-search-failed="Search could not load."
  data-search-kind-f="Fact"
  data-search-kind-c="Eligibility criterion"
  data-search-kind-o="Checker result">
  <label for="bench-q">Search this guide</label>
  <span class="search-field">
    <input type="search" id="bench-q" name="q" autocomplete="off" spellcheck="false"
      aria-controls="bench-results" aria-describedby="bench-status">
    <button type="submit">Search</button>
  </span>
  <div class="search-results" id="bench-results" hidden>
    <p class="search-status" id="bench-status" role="status" aria-live="polite"></p>
    <ol class="search-list" aria-label="Search results"></ol>
  </div>
</form>
<script>
  // Deferred scripts run before DOMContentLoaded, so search.js has defined the callback its
  // index files call by then; wrapping it records each file's name as it arrives.
  window.benchArrived = [];
  // The rows files the manifest names, which focusing loads with it.
  window.benchRows = null;
  document.addEventListener("DOMContentLoaded", function () {
    var receive = window.__guideSearch;
    window.__guideSearch = function (name, data) {
      window.benchArrived.push(name);
      if (name.endsWith("/manifest")) {
        var language = name.slice(0, -"manifest".length);
        window.benchRows = data.r.map(function (hash) { return language + hash; });
      }
      receive(name, data);
    };
  });
</script>
</body>
</html>
`);
}

/**
 * Pagefind's harness: loads pagefind.js on the first search (as guide loads its index on
 * focus), searches and asks for the data of the first `count` results, as a results list
 * would. Pagefind picks its index by the page's language, hence one page per language.
 */
function pagefindHarness(language) {
  return `bench-pagefind-${language}.html`;
}

function writePagefindHarness(dir, language) {
  writeFileSync(join(dir, pagefindHarness(language)), `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>Pagefind benchmark</title>
</head>
<body>
<script>
  window.benchSearch = async function (query, count) {
    const pagefind = await import("./pagefind/pagefind.js");
    const search = await pagefind.search(query);
    const shown = await Promise.all(search.results.slice(0, count).map((result) => result.data()));
    return { total: search.results.length, urls: shown.map((data) => data.url) };
  };
</script>
</body>
</html>
`);
}

// ---------------------------------------------------------------------------------------
// Measures in Chromium

/** Opens a harness in a new context: an empty cache, so every file is downloaded afresh. */
async function open(browser, server, harness) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  server.reset();
  await page.goto(server.url + harness);
  return { context, page, errors };
}

function failOn(errors, what) {
  if (errors.length) throw new Error(`${what}:\n${errors.join("\n")}`);
}

/** Focuses guide's field and waits until the manifest and its rows, which focusing loads, have arrived. */
async function focusGuide(page) {
  await page.focus("#bench-q");
  await page.waitForFunction(() => window.benchRows !== null &&
    window.benchRows.every((name) => window.benchArrived.includes(name)), null, { timeout: 30000 });
}

/** The files one query downloads, with their wire sizes, counted from a fresh cache. */
function downloaded(server, harness) {
  const files = server.sent(harness).map((name) => ({ name, bytes: wireSize(join(server.root, name)) }));
  return { files, bytes: files.reduce((sum, file) => sum + file.bytes, 0) };
}

/** guide: focus, the query set at once (as pasted: one input event), until the status speaks. */
async function guideFirstQuery(browser, server, query) {
  const { context, page, errors } = await open(browser, server, GUIDE_HARNESS);
  await focusGuide(page);
  await page.fill("#bench-q", query);
  // The list is shown from the manifest; each snippet follows with its result's text, and
  // those files count too.
  await page.waitForFunction(() => document.querySelector("#bench-status").textContent !== "" &&
    [...document.querySelectorAll("#bench-results .search-snippet")].every((snippet) => snippet.textContent !== ""),
  null, { timeout: 30000 });
  const status = await page.textContent("#bench-status");
  failOn(errors, `guide, "${query}"`);
  await context.close();
  return { ...downloaded(server, GUIDE_HARNESS), status };
}

async function pagefindFirstQuery(browser, server, query) {
  const { context, page, errors } = await open(browser, server, pagefindHarness("en"));
  const found = await page.evaluate(([query, count]) => window.benchSearch(query, count), [query, SHOWN]);
  failOn(errors, `Pagefind, "${query}"`);
  await context.close();
  return { ...downloaded(server, pagefindHarness("en")), status: `${count(found.total)} results` };
}

/**
 * guide's latency, keystroke by keystroke: each query is typed one character at a time into a
 * freshly opened page whose field has been focused (so the manifest is in), and each keystroke
 * is timed inside the page, from dispatching `input` to the status text changing (search.js
 * sets it when the list of results is shown; snippets follow). "First" is the first keystroke
 * that makes a word (two letters), which loads its shard; "later" is every keystroke after it.
 */
async function guideLatency(browser, server, queries) {
  const firsts = [];
  const later = [];
  for (const query of queries) {
    const { context, page, errors } = await open(browser, server, GUIDE_HARNESS);
    await focusGuide(page);
    const times = await page.evaluate(async (query) => {
      const input = document.querySelector("#bench-q");
      const status = document.querySelector("#bench-status");
      const type = (value) => new Promise((done) => {
        let start = 0;
        // Setting textContent always replaces the text node, so even the same text is seen.
        const observer = new MutationObserver(() => {
          observer.disconnect();
          done(performance.now() - start);
        });
        observer.observe(status, { childList: true, characterData: true, subtree: true });
        start = performance.now();
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      const times = [];
      for (let typed = 2; typed <= query.length; typed++) times.push(await type(query.slice(0, typed)));
      return times;
    }, query);
    failOn(errors, `guide, latency of "${query}"`);
    await context.close();
    firsts.push(times[0]);
    later.push(...times.slice(1));
  }
  return {
    first: median(firsts),
    firstP95: percentile(firsts, 95),
    median: median(later),
    p95: percentile(later, 95),
    queries: queries.length,
    keystrokes: later.length,
  };
}

/** A small seeded generator (mulberry32), so every run asks the same questions. */
function seeded(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One- and two-word queries from the synthetic pages' vocabulary (search ignores 1-letter words). */
function latencyQueries(vocabulary, n) {
  const words = vocabulary.split(/\s+/).filter((word) => word.length >= 2);
  const random = seeded(2025);
  const pick = () => words[Math.floor(random() * words.length)];
  return Array.from({ length: n }, () => (random() < 0.5 ? pick() : `${pick()} ${pick()}`));
}

/** `hrefs` (absolute, or from the root like Pagefind's) as paths relative to the site's `root` URL. */
function sitePaths(hrefs, root) {
  return hrefs.map((href) => {
    const url = new URL(href, root);
    return url.href.startsWith(root) ? url.href.slice(root.length) : url.href;
  });
}

/** guide on its own search page, as a reader sending the header form without waiting. */
async function guideTop3(page, server, language, query) {
  const home = language === "fr" ? "fr/recherche/" : "search/";
  await page.goto(`${server.url}${home}?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => document.querySelector(".search-on-page .search-status")?.textContent !== "",
    null, { timeout: 30000 });
  // link.href is already resolved against the page's URL.
  const hrefs = await page.$$eval(".search-on-page .search-list a", (links) => links.map((link) => link.href));
  return sitePaths(hrefs, server.url).slice(0, 3);
}

async function pagefindTop3(page, server, query) {
  const found = await page.evaluate((query) => window.benchSearch(query, 3), query);
  return sitePaths(found.urls, server.url);
}

async function quality(browser, server) {
  const guideMisses = [];
  const pagefindMisses = [];
  const guidePage = await open(browser, server, "search/");
  const pagefindPages = {};
  for (const language of new Set(QUERIES.map(([language]) => language))) {
    pagefindPages[language] = await open(browser, server, pagefindHarness(language));
  }
  for (const [language, query, wanted] of QUERIES) {
    const fromGuide = await guideTop3(guidePage.page, server, language, query);
    if (!fromGuide.includes(wanted)) guideMisses.push({ query, wanted, got: fromGuide });
    const fromPagefind = await pagefindTop3(pagefindPages[language].page, server, query);
    if (!fromPagefind.includes(wanted)) pagefindMisses.push({ query, wanted, got: fromPagefind });
  }
  failOn(guidePage.errors, "guide, quality");
  await guidePage.context.close();
  for (const { context, errors } of Object.values(pagefindPages)) {
    failOn(errors, "Pagefind, quality");
    await context.close();
  }
  return { guideMisses, pagefindMisses };
}

// ---------------------------------------------------------------------------------------
// The run

/** Median wall time of each kind of run search.sh timed, from its "name seconds" lines. */
function buildTimes() {
  const runs = {};
  for (const line of readFileSync(env.TIMES, "utf8").trim().split("\n")) {
    const [name, value] = line.split("\t");
    (runs[name] ??= []).push(Number(value));
  }
  return Object.fromEntries(Object.entries(runs).map(([name, values]) => [name, median(values)]));
}

const times = buildTimes();
console.error("== index sizes");
const guideIndex = indexSize(join(SYNTHETIC, "search"));
const pagefindIndex = indexSize(join(SYNTHETIC, "pagefind"));
const pagefindSplit = pagefindParts(join(SYNTHETIC, "pagefind"));

// The harness pages go in after Pagefind has indexed the outputs, so it never indexes them.
writeGuideHarness(SYNTHETIC);
writePagefindHarness(SYNTHETIC, "en");
writeGuideHarness(BUNDLED);
for (const language of ["en", "fr"]) writePagefindHarness(BUNDLED, language);

const browser = await launch();
const synthetic = await serveLogged(SYNTHETIC);
const bundled = await serveLogged(BUNDLED);
let first, latency, bundledBytes, found;
try {
  console.error("== first-query bytes");
  first = [];
  for (const query of BYTES_QUERIES) {
    first.push({
      query,
      guide: await guideFirstQuery(browser, synthetic, query),
      pagefind: await pagefindFirstQuery(browser, synthetic, query),
    });
  }
  console.error("== latency");
  latency = await guideLatency(browser, synthetic, latencyQueries(env.VOCABULARY, LATENCY_QUERIES));
  console.error("== the bundled guide");
  bundledBytes = [];
  for (const query of BUNDLED_QUERIES) bundledBytes.push({ query, ...(await guideFirstQuery(browser, bundled, query)) });
  console.error("== quality");
  found = await quality(browser, bundled);
} finally {
  await browser.close();
  await synthetic.close();
  await bundled.close();
}

// ---------------------------------------------------------------------------------------
// The report

/** What kind of file a guide query downloaded: the script, the manifest, shards and rows files, results. */
function guideKind(name) {
  if (name === GUIDE_SCRIPT) return "script";
  if (/manifest\.js$/.test(name)) return "manifest";
  if (/\/f\/[^/]+\.js$/.test(name)) return "results";
  // Named by their content's hash, both: the manifest's rows files (loaded with it on focus)
  // and the shards of the words typed.
  return "shards and rows";
}

function split(files, kindOf) {
  const parts = {};
  for (const file of files) {
    const kind = kindOf(file.name);
    parts[kind] ??= { files: 0, bytes: 0 };
    parts[kind].files += 1;
    parts[kind].bytes += file.bytes;
  }
  return Object.entries(parts).map(([kind, { files, bytes: n }]) => `${kind} ${bytes(n)} (${files})`).join(", ");
}

function pagefindKind(name) {
  const base = name.replace(/^pagefind\//, "");
  if (/^fragment\//.test(base)) return "fragments";
  if (/^index\//.test(base)) return "index chunks";
  if (/^wasm\./.test(base)) return "wasm";
  if (/\.pf_meta$/.test(base) || base === "pagefind-entry.json") return "entry+meta";
  return "scripts";
}

const withSearch = times["guide-search"];
const withoutSearch = times["guide-nosearch"];
const added = withSearch - withoutSearch;
const guideFirst = median(first.map((q) => q.guide.bytes));
const pagefindFirst = median(first.map((q) => q.pagefind.bytes));
const total = QUERIES.length;
const pages = Number(env.PAGES ?? 10000).toLocaleString("en");

const lines = [];
const say = (line = "") => lines.push(line);
say(`Machine: ${env.MACHINE}; ${env.DATE}; guide ${env.COMMIT}, Pagefind ${env.PAGEFIND_VERSION}; ` +
  `builds: median of ${env.RUNS} runs; load average before → after the builds: ` +
  `${env.LOAD_BEFORE} → ${env.LOAD_AFTER}. Sizes are gzip -9 (Pagefind's gzip files as they are); ` +
  `kB = 1,000 bytes.`);
say();
say("| measure | guide | Pagefind |");
say("|---|---:|---:|");
say(`| ${pages} pages: build, search on | ${seconds(withSearch)} | |`);
say(`| ${pages} pages: build, \`search = false\` | ${seconds(withoutSearch)} | |`);
say(`| ${pages} pages: time search adds | ${seconds(added)}, ${(100 * added / withSearch).toFixed(0)} % of the build ` +
  `(+${(100 * added / withoutSearch).toFixed(0)} % over none) | |`);
say(`| ${pages} pages: Pagefind indexing the built HTML | | ${seconds(times.pagefind)} |`);
say(`| ${pages} pages: index, all files, gzipped | ${bytes(guideIndex.bytes)} (${count(guideIndex.files)} files) ` +
  `| ${bytes(pagefindIndex.bytes)} (${count(pagefindIndex.files)} files) |`);
say(`| ${pages} pages: first query, bytes downloaded, median of ${first.length} queries | ${bytes(guideFirst)} ` +
  `| ${bytes(pagefindFirst)} |`);
say(`| ${pages} pages: latency, first keystroke (loads a shard), median and 95th percentile of ` +
  `${latency.queries} queries typed | ${ms(latency.first)}, ${ms(latency.firstP95)} | |`);
say(`| ${pages} pages: latency, later keystrokes, median and 95th percentile of ${latency.keystrokes} | ` +
  `${ms(latency.median)}, ${ms(latency.p95)} | |`);
// The budget is for the script and the shards. The manifest and its rows files (loaded on
// focus, shared by every later query, holding the rows the list shows) are counted with them; the result files
// only fill in the snippets after the list is shown, and are given beside.
for (const { query, bytes: n, files } of bundledBytes) {
  const list = files.filter((file) => guideKind(file.name) !== "results")
    .reduce((sum, file) => sum + file.bytes, 0);
  say(`| bundled guide: “${query}”, script + manifest + shards (budget ${bytes(BUDGET)}) | ` +
    `${bytes(list)} (${count(list)} B) ${list < BUDGET ? "✓" : "✗ over budget"}; ` +
    `${bytes(n)} (${count(n)} B) with the snippets' result files | |`);
}
say(`| bundled guide: expected page in the top 3 | ${total - found.guideMisses.length}/${total} ` +
  `| ${total - found.pagefindMisses.length}/${total} |`);
say();
say(`Pagefind's ${bytes(pagefindIndex.bytes)}: index ${bytes(pagefindSplit.index)}, pagefind.js, worker ` +
  `and WebAssembly ${bytes(pagefindSplit.runtime)}, UI bundles ${bytes(pagefindSplit.ui)}.`);
say();
say("First query, each query (fresh cache; the query set at once, as pasted):");
say();
for (const { query, guide, pagefind } of first) {
  say(`- “${query}”: guide ${bytes(guide.bytes)} (${split(guide.files, guideKind)}; “${guide.status}”); ` +
    `Pagefind ${bytes(pagefind.bytes)} (${split(pagefind.files, pagefindKind)}; ${pagefind.status})`);
}
say();
say("The bundled guide, each query:");
say();
for (const { query, bytes: n, files, status } of bundledBytes) {
  say(`- “${query}”: ${bytes(n)}: ${split(files, guideKind)}; “${status}”`);
}
say();
const misses = (list) => list.length
  ? list.map(({ query, wanted, got }) => `- “${query}” → ${got.join(", ") || "nothing"} (wanted ${wanted})`)
  : ["- none"];
say(`Misses, guide (${found.guideMisses.length}):`);
say();
misses(found.guideMisses).forEach((line) => say(line));
say();
say(`Misses, Pagefind (${found.pagefindMisses.length}):`);
say();
misses(found.pagefindMisses).forEach((line) => say(line));

const report = lines.join("\n") + "\n";
writeFileSync(env.REPORT, report);
process.stdout.write(report);
