// The Express Entry score calculator in a real browser: the breakdown the page shows equals
// `guide eval crs` on a table of cases, the spouse's questions appear only for a spouse who
// comes along, and axe finds nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { REPO, guide, buildSite, serve, launch, guideEval, watchErrors, axeViolations } from "./helpers.mjs";

let server, browser;
before(async () => {
  server = await serve(buildSite());
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const base = {
  scored_on: "2026-12-01", birth_date: "1997-06-01", spouse: "none", education: "masters",
  first_language: "english", first_reading: 9, first_writing: 9, first_speaking: 9, first_listening: 9,
  second_language_test: false, canadian_work_years: 0, foreign_work_years: 3, trade_certificate: false,
  sibling_in_canada: false, canadian_education: "none", job_offer: "none", nomination: false,
};
const spouse = {
  spouse: "coming", spouse_education: "phd", spouse_reading: 9, spouse_writing: 9,
  spouse_speaking: 9, spouse_listening: 9, spouse_canadian_work_years: 5,
};
const second = (r, w = r, s = r, l = r) => ({
  second_language_test: true, second_reading: r, second_writing: w, second_speaking: s, second_listening: l,
});
const first = (r, w = r, s = r, l = r) => ({ first_reading: r, first_writing: w, first_speaking: s, first_listening: l });
const cases = [
  base,
  { ...base, birth_date: "2009-12-01" },
  { ...base, birth_date: "2008-12-01" },
  { ...base, birth_date: "1996-12-02" },
  { ...base, birth_date: "1996-12-01", ...spouse },
  { ...base, birth_date: "1981-12-02" },
  { ...base, birth_date: "1981-12-01" },
  { ...base, birth_date: "1996-02-29", scored_on: "2026-02-28" },
  { ...base, ...first(3) },
  { ...base, ...first(5), trade_certificate: true },
  { ...base, ...first(7), education: "bachelors", canadian_work_years: 1, foreign_work_years: 1 },
  { ...base, ...first(10, 9, 8, 12) },
  { ...base, ...second(12), ...spouse },
  { ...base, ...second(4, 5, 7, 9) },
  { ...base, canadian_work_years: 2, education: "phd", trade_certificate: true },
  { ...base, spouse: "not_coming" },
  { ...base, first_language: "french", ...first(7) },
  { ...base, first_language: "french", ...first(8), ...second(5, 5, 4, 5) },
  { ...base, ...second(7, 7, 6, 7) },
  { ...base, job_offer: "teer_00", scored_on: "2025-03-24" },
  { ...base, job_offer: "teer_00", scored_on: "2025-03-25" },
  { ...base, job_offer: "teer_1_2_3", scored_on: "2025-03-24" },
  { ...base, nomination: true, sibling_in_canada: true, canadian_education: "three_or_more_years", ...second(7) },
  { ...base, birth_date: "2000-01-01", education: "phd", ...first(12), ...second(12), canadian_work_years: 5, trade_certificate: true, nomination: true },
];

const calculatorUrl = () => new URL("routes/express-entry/score/", server.url).href;

// The values the page fills into its result, by id.
async function shownValues(page) {
  return page.evaluate(() => {
    const outcome = [...document.querySelectorAll("[data-outcome]")].filter((node) => !node.hidden);
    return {
      outcomes: outcome.map((node) => node.dataset.outcome),
      values: Object.fromEntries(
        outcome.flatMap((node) => [...node.querySelectorAll("[data-value]")].map((span) => [span.dataset.value, span.textContent])),
      ),
    };
  });
}

test("the page's breakdown equals guide eval's on every case, from a shared link", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  for (const answers of cases) {
    // A fresh load each time: a link that changes only the fragment restores answers a task later.
    await page.goto("about:blank");
    await page.goto(calculatorUrl() + "#" + new URLSearchParams(answers));
    const expected = guideEval("crs", answers);
    const got = await shownValues(page);
    assert.deepEqual(got.outcomes, [expected.outcome], JSON.stringify(answers));
    const ids = Object.keys(got.values);
    for (const id of ["total", "core", "spouse_factors", "transferability", "additional", "age_points"]) {
      assert.ok(ids.includes(id), `the result shows ${id}`);
    }
    // A job offer's points are shown only while they count.
    assert.equal(ids.includes("job_offer_points"), expected.outcome === "estimate_with_job_offers", JSON.stringify(answers));
    for (const [id, text] of Object.entries(got.values)) {
      assert.equal(text, expected.values[id].toLocaleString("en-US"), `${id} for ${JSON.stringify(answers)}`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("a job offer's points count before they were removed, and the result says why there are none after", async () => {
  const page = await browser.newPage();
  const answers = { ...base, job_offer: "teer_00", scored_on: "2025-03-25" };
  await page.goto(calculatorUrl() + "#" + new URLSearchParams(answers));
  assert.equal(guideEval("crs", answers).values.job_offer_points, 0);
  const result = await page.textContent('[data-outcome="estimate"]:not([hidden])');
  assert.match(result, /nomination 0; a job offer earns no points for a profile scored from March 25, 2025\)/);
  assert.doesNotMatch(result, /job offer 0/);
  // The day before, its points count, and the result says so without the caveat.
  const before = { ...answers, scored_on: "2025-03-24" };
  await page.goto("about:blank");
  await page.goto(calculatorUrl() + "#" + new URLSearchParams(before));
  assert.equal(guideEval("crs", before).outcome, "estimate_with_job_offers");
  const counted = await page.textContent('[data-outcome="estimate_with_job_offers"]:not([hidden])');
  assert.match(counted, /job offer 200, nomination 0\)/);
  assert.doesNotMatch(counted, /no points/);
  await page.close();
});

test("the spouse's questions appear only for a spouse who comes along", async () => {
  const page = await browser.newPage();
  await page.goto(calculatorUrl());
  const education = "#checker-crs-spouse_education-phd";
  assert.equal(await page.isVisible(education), false);
  await page.check("#checker-crs-spouse-coming");
  assert.equal(await page.isVisible(education), true);
  await page.check("#checker-crs-spouse-not_coming");
  assert.equal(await page.isVisible(education), false);
  await page.close();
});

test("axe finds no accessibility violations on the calculator page, answered or not", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(calculatorUrl());
  assert.deepEqual(await axeViolations(page), []);
  await page.goto("about:blank");
  await page.goto(calculatorUrl() + "#" + new URLSearchParams({ ...base, ...spouse }));
  assert.deepEqual(await axeViolations(page), []);
  // With the point tables open, and errors shown.
  await page.click(".checker-tables > summary");
  assert.equal(await page.isVisible(".checker-tables caption"), true);
  await page.fill("#checker-crs-birth_date-month", "");
  await page.click('.checker button[type="submit"]');
  assert.equal(await page.isVisible(".checker-error-summary"), true);
  assert.deepEqual(await axeViolations(page), []);
  await context.close();
});

test("a date of birth after today is refused, and a half-written one names the part missing", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(calculatorUrl() + "#" + new URLSearchParams(base));
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  const field = (part) => `#checker-crs-birth_date-${part}`;
  const message = "#checker-crs-birth_date-error [data-message]";
  const marked = () => Promise.all(["day", "month", "year"].map((part) => page.getAttribute(field(part), "aria-invalid")));
  const links = () => page.$$eval(".checker-error-summary:not([hidden]) a", (all) => all.map((a) => [a.getAttribute("href"), a.textContent]));
  await page.fill(field("year"), String(new Date().getFullYear() + 1));
  assert.equal(await page.textContent(message), "Date of birth must be today or in the past");
  assert.deepEqual(await links(), [["#checker-crs-birth_date-day", "Date of birth must be today or in the past"]]);
  assert.deepEqual(await marked(), ["true", "true", "true"]);
  assert.equal(await page.locator("[data-outcome]:visible").count(), 0, "no score from a birth date to come");
  await page.fill(field("year"), "");
  await page.fill(field("day"), "");
  assert.equal(await page.textContent(message), "Date of birth must include a day and year");
  assert.deepEqual(await marked(), ["true", null, "true"]);
  assert.deepEqual(await links(), [["#checker-crs-birth_date-day", "Date of birth must include a day and year"]]);
  await page.fill(field("day"), "1");
  await page.fill(field("year"), "1997");
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  assert.deepEqual(await marked(), [null, null, null]);
  // Born after the scoring date (a past one, to see a score as it was then): no age to count.
  await page.fill(field("year"), "2020");
  await page.fill("#checker-crs-scored_on-year", "2016");
  assert.equal(await page.textContent(message), "Date of birth must be before the scoring date");
  assert.deepEqual(await links(), [["#checker-crs-birth_date-day", "Date of birth must be before the scoring date"]]);
  assert.equal(await page.locator("[data-outcome]:visible").count(), 0, "no score before birth");
  await page.fill("#checker-crs-scored_on-year", "2026");
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  // A scoring date before Express Entry began: there was no score to give.
  await page.fill("#checker-crs-scored_on-year", "2010");
  const before = "The scoring date must be on or after January 1, 2015, when Express Entry began";
  assert.equal(await page.textContent("#checker-crs-scored_on-error [data-message]"), before);
  assert.deepEqual(await links(), [["#checker-crs-scored_on-day", before]]);
  assert.equal(await page.locator("[data-outcome]:visible").count(), 0, "no score before Express Entry");
  const refused = guide(["--root", REPO, "eval", "crs", "--answers", "-"],
    JSON.stringify({ ...base, scored_on: "2010-06-01" }));
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /scored_on/);
  await page.fill("#checker-crs-scored_on-year", "2026");
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  // A whole number out of range says what it takes; an empty one, the rules' own message.
  await page.fill("#checker-crs-first_reading", "13");
  assert.equal(await page.textContent("#checker-crs-first_reading-error [data-message]"),
    "Your reading level in your first official language must be a whole number from 0 to 12");
  await page.fill("#checker-crs-first_reading", "");
  assert.equal(await page.textContent("#checker-crs-first_reading-error [data-message]"),
    "Enter your reading level in your first official language, as a CLB level from 0 to 12");
  assert.deepEqual(errors, []);
  await page.close();
});

test("without JavaScript the point tables are there to score by hand", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(calculatorUrl());
  assert.equal(await page.isVisible(".checker-form"), false);
  assert.equal(await page.textContent(".checker-tables > summary"), "Score it by hand: the point tables");
  await page.click(".checker-tables > summary");
  const age = page.locator(".checker-tables table", { hasText: "Points for age" });
  assert.equal(await age.isVisible(), true);
  assert.deepEqual(await age.locator("thead th").allTextContents(), ["Age", "With a spouse or partner coming along", "Without"]);
  assert.deepEqual(await age.locator("tbody tr", { hasText: "20 to 29" }).locator("td").allTextContents(), ["100", "110"]);
  const captions = await page.locator(".checker-tables caption").allTextContents();
  assert.ok(captions.length >= 12, `${captions.length} tables`);
  await context.close();
});

test("on a phone the point tables fit the screen, each cell after its column's heading, in both languages", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  for (const [path, without] of [["routes/express-entry/score/", "Without"], ["fr/voies/entree-express/note/", "Sans"]]) {
    await page.goto(new URL(path, server.url).href);
    await page.click(".checker-tables > summary");
    // Every cell within the screen's width: no column out of sight, nothing scrolled sideways.
    const outside = await page.$$eval(".checker-tables th, .checker-tables td", (cells) =>
      cells.filter((cell) => cell.getBoundingClientRect().width > 0)
        .filter((cell) => cell.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((cell) => cell.textContent));
    assert.deepEqual(outside, [], path);
    const wide = await page.$$eval(".checker-tables table", (tables) => tables.filter((table) => table.scrollWidth > table.clientWidth).length);
    assert.equal(wide, 0, path);
    // A value reads with its column's heading before it, a band with the table's key heading.
    const age = page.locator(".checker-tables tbody tr").nth(3);
    const cell = age.locator("td").nth(1);
    // Shown, with no text for a screen reader, which has the table's own headings.
    assert.equal(await cell.evaluate((td) => getComputedStyle(td, "::before").content), `"${without}" / ""`);
    assert.equal(await cell.evaluate((td) => td.getAttribute("role")), "cell");
    assert.equal(await cell.isVisible(), true);
    const key = await age.locator("th").evaluate((th) => getComputedStyle(th, "::before").content);
    assert.match(key, path.startsWith("fr") ? /^"Âge\u00a0: " \/ ""$/ : /^"Age: " \/ ""$/);
    assert.deepEqual(await axeViolations(page), [], path);
  }
  await context.close();
});

test("an amount's earlier value sits under it, at the right on a phone and on one line on a wide screen", async () => {
  for (const width of [375, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const [path, before] of [["routes/express-entry/score/", "Before March 25, 2025: 200 points"], ["fr/voies/entree-express/note/", "Avant le 25 mars 2025\u00a0: 200 points"]]) {
      await page.goto(new URL(path, server.url).href);
      await page.click(".checker-tables > summary");
      const other = page.locator(".checker-amount-other", { hasText: before });
      assert.equal(await other.count(), 1, `${path} at ${width}px`);
      const { lines, right, cellRight, cellPadding } = await other.evaluate((line) => {
        const cell = line.closest("td");
        const height = parseFloat(getComputedStyle(line).lineHeight);
        return {
          lines: Math.round(line.getBoundingClientRect().height / height),
          right: line.getBoundingClientRect().right,
          cellRight: cell.getBoundingClientRect().right,
          cellPadding: parseFloat(getComputedStyle(cell).paddingRight),
        };
      });
      if (width === 1280) {
        assert.equal(lines, 1, `${path}: the earlier value on one line`);
      } else {
        // Its text ends at the cell's right edge, as every other value does.
        const ends = await other.evaluate((line) => {
          const range = document.createRange();
          range.selectNodeContents(line);
          const rects = [...range.getClientRects()];
          return Math.max(...rects.map((rect) => rect.right));
        });
        assert.ok(Math.abs(cellRight - cellPadding - ends) < 2, `${path}: ends at ${ends}, the cell at ${cellRight - cellPadding}`);
        assert.ok(right <= cellRight, path);
      }
    }
    await context.close();
  }
});

test("on a phone, sending the form empty brings the error summary's top into sight", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 700 } });
  const page = await context.newPage();
  for (const path of ["routes/express-entry/score/", "fr/voies/entree-express/note/"]) {
    await page.goto(new URL(path, server.url).href);
    await page.click('.checker button[type="submit"]');
    const summary = page.locator(".checker-error-summary");
    await summary.locator("h2").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement.classList.contains("checker-error-summary")), true, path);
    const top = await summary.evaluate((element) => element.getBoundingClientRect().top);
    assert.ok(top > 0 && top < 100, `${path}: the summary's top at ${top}px`);
  }
  await context.close();
});
