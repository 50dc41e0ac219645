// The checker in a real browser agrees with `guide eval`, behaves like a GOV.UK service (an
// error summary linking to each question, each question's own message, focus on the result),
// keeps answers in the URL's fragment, works without JavaScript, and passes axe.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSite, serve, launch, guide, guideEval, watchErrors, answer, axeViolations, REPO } from "./helpers.mjs";

let server, browser;
before(async () => {
  server = await serve(buildSite());
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const base = {
  role: "principal", applied_on: "2023-07-16", visa_valid: true, lives_in_us: true,
  outside_canada: true, years_requested: 3, issued_on: "2023-08-15", passport_expires_on: "2031-01-01",
};
const cases = [
  base,
  { ...base, applied_on: "2023-07-17", passport_expires_on: "2025-05-01" },
  { ...base, applied_on: "2023-07-15" },
  { ...base, applied_on: "2023-07-18" },
  { ...base, applied_on: "2026-11-21", issued_on: "2026-12-01" },
  { ...base, visa_valid: false },
  { ...base, lives_in_us: false },
  { ...base, outside_canada: false },
  { ...base, years_requested: 5 },
  { ...base, role: "spouse" },
  { ...base, role: "child", visa_valid: false },
  { ...base, applied_on: "2024-02-29", role: "spouse" },
  { ...base, passport_expires_on: "2020-01-01" },
  { ...base, passport_expires_on: "2023-07-16" },
  { ...base, passport_expires_on: "2023-07-17" },
  // Valid when applying, expired before the permit is issued at the border.
  { ...base, passport_expires_on: "2023-07-20" },
  { ...base, passport_expires_on: "2023-08-16" },
];

const checkerUrl = () => new URL("check/", server.url).href;

async function shown(page) {
  return page.evaluate(() => {
    const visible = (selector) => [...document.querySelectorAll(selector)].filter((node) => !node.hidden);
    const outcome = visible("[data-outcome]");
    return {
      outcomes: outcome.map((node) => node.dataset.outcome),
      failed: visible("[data-criterion]").map((node) => node.dataset.criterion).sort(),
      values: Object.fromEntries(
        outcome.flatMap((node) => [...node.querySelectorAll("[data-value]")].map((span) => [span.dataset.value, span.textContent])),
      ),
    };
  });
}

const longDate = (iso) =>
  new Date(iso + "T00:00:00Z").toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });

test("the page shows the same result as guide eval for every case", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(checkerUrl());
  for (const answers of cases) {
    await answer(page, answers);
    const expected = guideEval("h1b", answers);
    const got = await shown(page);
    assert.deepEqual(got.outcomes, [expected.outcome], JSON.stringify(answers));
    assert.deepEqual(got.failed, [...expected.failed].sort(), JSON.stringify(answers));
    for (const [id, text] of Object.entries(got.values)) {
      const value = expected.values[id];
      const want = typeof value === "string" ? longDate(value) : value.toLocaleString("en-US");
      assert.equal(text, want, `${id} for ${JSON.stringify(answers)}`);
    }
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("a passport that expired before the application means no permit", async () => {
  const page = await browser.newPage();
  await page.goto(checkerUrl());
  await answer(page, { ...base, passport_expires_on: "2020-01-01" });
  assert.deepEqual(await shown(page), { outcomes: ["not_eligible"], failed: ["passport_valid"], values: {} });
  await page.close();
});

const activeId = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.className);
// The page's address once the checker has written it (in a task of its own, after a change).
const address = (page) => page.evaluate(() => new Promise((done) => setTimeout(() => done(location.href))));
const fragment = async (page) => new URLSearchParams(new URL(await address(page)).hash.slice(1));
const inView = (page, selector) => page.$eval(selector, (node) => {
  const box = node.getBoundingClientRect();
  // Scrolling lands on whole pixels, so a heading at the very top may sit a fraction above it.
  return box.top > -1 && box.bottom <= innerHeight + 1;
});
const summaryLinks = (page) => page.$$eval(".checker-error-summary:not([hidden]) a", (links) =>
  links.map((link) => [link.getAttribute("href"), link.textContent]));
const missing = (page, id) => page.getAttribute(`[data-question="${id}"]`, "data-missing");
const invalid = (page, id) => page.getAttribute(`[data-question="${id}"]`, "data-invalid");

test("Show my result with questions unanswered: no browser bubble, an error summary, focused, linking to each", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(checkerUrl());
  assert.equal(await page.getAttribute(".checker-form", "novalidate"), "");
  assert.equal(await page.isVisible(".checker-error-summary"), false, "no errors before the reader asks");
  await page.check("#checker-h1b-role-principal");
  await page.click('.checker button[type="submit"]');
  assert.equal(await page.isVisible(".checker-error-summary"), true);
  assert.equal(await page.evaluate(() => document.activeElement.className), "checker-error-summary");
  assert.equal(await page.textContent('.checker-error-summary [role="alert"] h2'), "There is a problem");
  const expected = [];
  for (const id of ["visa_valid", "lives_in_us", "outside_canada"]) expected.push([`#checker-h1b-${id}-yes`, await missing(page, id)]);
  expected.push(["#checker-h1b-years_requested", await missing(page, "years_requested")]);
  expected.push(["#checker-h1b-issued_on-day", await missing(page, "issued_on")]);
  expected.push(["#checker-h1b-passport_expires_on-day", await missing(page, "passport_expires_on")]);
  assert.deepEqual(await summaryLinks(page), expected);
  const legend = await page.textContent('[data-question="visa_valid"] legend');
  assert.ok(legend, "the question has its legend");
  // The rules' own messages, as GOV.UK writes them.
  assert.equal(expected[0][1], "Select if the H-1B holder had a valid H-1B visa on that date");
  assert.equal(expected[3][1], "Enter the number of years you asked the permit to last");
  assert.equal(expected[5][1], "Enter the date the H-1B holder's passport expires");
  // Each question carries its own message, the same as in the summary, and is marked invalid.
  const years = "#checker-h1b-years_requested";
  assert.equal(await page.getAttribute(years, "aria-invalid"), "true");
  assert.equal(await page.textContent("#checker-h1b-years_requested-error [data-message]"), expected[3][1]);
  assert.match(await page.getAttribute(years, "aria-describedby"), /checker-h1b-years_requested-error/);
  assert.match(await page.getAttribute('[data-question="visa_valid"]', "aria-describedby"), /checker-h1b-visa_valid-error/);
  assert.equal(await page.getAttribute("#checker-h1b-role-principal", "aria-invalid"), null, "an answered question is not");
  // A link in the summary, followed by keyboard, moves focus to its field and keeps the address.
  const before = await address(page);
  await page.focus('.checker-error-summary a[href="#checker-h1b-years_requested"]');
  await page.keyboard.press("Enter");
  assert.equal(await activeId(page), "checker-h1b-years_requested");
  assert.equal(await address(page), before, "the fragment still holds the answers");
  await page.click('.checker-error-summary a[href="#checker-h1b-passport_expires_on-day"]');
  assert.equal(await activeId(page), "checker-h1b-passport_expires_on-day");
  assert.deepEqual(errors, []);
  await page.close();
});

test("an answer the question cannot take gets its own message, not the one for a missing answer", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(checkerUrl());
  const years = "#checker-h1b-years_requested";
  const message = "#checker-h1b-years_requested-error [data-message]";
  assert.equal(await page.textContent(".checker-prompt"), "Answer every question to see your result.");
  await answer(page, { ...base, years_requested: 11 });
  assert.equal(await page.getAttribute(years, "aria-invalid"), null, "not before the reader asks");
  assert.deepEqual((await shown(page)).outcomes, []);
  await page.click('.checker button[type="submit"]');
  const wrong = await invalid(page, "years_requested");
  assert.equal(wrong, "The length of the permit must be a whole number from 1 to 10");
  assert.equal(await page.textContent(message), wrong);
  assert.deepEqual(await summaryLinks(page), [["#checker-h1b-years_requested", wrong]]);
  await page.fill(years, "2.5");
  assert.equal(await page.textContent(message), wrong);
  await page.fill(years, "");
  assert.equal(await page.textContent(message), await missing(page, "years_requested"));
  await page.fill(years, "3");
  assert.equal(await page.getAttribute(years, "aria-invalid"), null);
  assert.equal(await page.isVisible("#checker-h1b-years_requested-error"), false);
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  assert.deepEqual((await shown(page)).outcomes, ["principal_eligible"]);
  // Half a date names the part missing and marks only its field, beside it and in the summary.
  const part = (name) => page.getAttribute(`#checker-h1b-passport_expires_on-${name}`, "aria-invalid");
  await page.fill("#checker-h1b-passport_expires_on-month", "");
  assert.deepEqual(await summaryLinks(page), [["#checker-h1b-passport_expires_on-month", "The passport expiry date must include a month"]]);
  assert.equal(await page.textContent("#checker-h1b-passport_expires_on-error [data-message]"), "The passport expiry date must include a month");
  assert.deepEqual([await part("day"), await part("month"), await part("year")], [null, "true", null]);
  await page.fill("#checker-h1b-passport_expires_on-year", "");
  assert.deepEqual(await summaryLinks(page), [["#checker-h1b-passport_expires_on-month", "The passport expiry date must include a month and year"]]);
  assert.deepEqual([await part("day"), await part("month"), await part("year")], [null, "true", "true"]);
  await page.fill("#checker-h1b-passport_expires_on-year", "2031");
  // A day its month does not have: the whole date is marked.
  await page.fill("#checker-h1b-passport_expires_on-month", "2");
  await page.fill("#checker-h1b-passport_expires_on-day", "30");
  assert.equal(await page.isVisible("#checker-h1b-passport_expires_on-error"), true);
  assert.equal(await page.textContent("#checker-h1b-passport_expires_on-error [data-message]"), "The passport expiry date must be a real date");
  assert.equal(await invalid(page, "passport_expires_on"), "The passport expiry date must be a real date");
  assert.deepEqual([await part("day"), await part("month"), await part("year")], ["true", "true", "true"]);
  await page.fill("#checker-h1b-passport_expires_on-day", "28");
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  // A year of two digits is no year 31: it asks for all four, and marks only the year.
  await page.fill("#checker-h1b-passport_expires_on-year", "31");
  assert.deepEqual(await summaryLinks(page), [["#checker-h1b-passport_expires_on-year", "The passport expiry date must include the year in 4 digits"]]);
  assert.deepEqual([await part("day"), await part("month"), await part("year")], [null, null, "true"]);
  await page.fill("#checker-h1b-passport_expires_on-year", "2031");
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a permit issued before the day of applying is refused, as guide eval refuses it, until the dates agree", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(checkerUrl());
  const early = { ...base, issued_on: "2023-07-15" };
  const refused = guide(["--root", REPO, "eval", "h1b", "--answers", "-"], JSON.stringify(early));
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /issued_on/);
  await answer(page, early);
  await page.click('.checker button[type="submit"]');
  const message = "The date of issue must be the same as or after the date the H-1B holder applied";
  assert.equal(await page.getAttribute('[data-question="issued_on"]', "data-refused"), message);
  assert.deepEqual(await summaryLinks(page), [["#checker-h1b-issued_on-day", message]]);
  assert.equal(await page.textContent("#checker-h1b-issued_on-error [data-message]"), message);
  const part = (name) => page.getAttribute(`#checker-h1b-issued_on-${name}`, "aria-invalid");
  assert.deepEqual([await part("day"), await part("month"), await part("year")], ["true", "true", "true"]);
  assert.deepEqual((await shown(page)).outcomes, [], "no result for answers that cannot be");
  // Moving the other date, the one the condition reads, is as good as mending this one.
  await page.fill("#checker-h1b-applied_on-day", "15");
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  assert.equal(await part("day"), null);
  assert.deepEqual((await shown(page)).outcomes, [guideEval("h1b", { ...early, applied_on: "2023-07-15" }).outcome]);
  // With the date it reads left empty, only that one is asked for.
  await page.fill("#checker-h1b-applied_on-day", "");
  assert.deepEqual((await summaryLinks(page)).map(([href]) => href), ["#checker-h1b-applied_on-day"]);
  await page.fill("#checker-h1b-applied_on-day", "16");
  assert.deepEqual((await summaryLinks(page)).map(([href]) => href), ["#checker-h1b-issued_on-day"]);
  await page.fill("#checker-h1b-issued_on-day", "16");
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  assert.deepEqual((await shown(page)).outcomes, [guideEval("h1b", { ...base, issued_on: "2023-07-16" }).outcome]);
  assert.deepEqual(errors, []);
  await page.close();
});

test("Show my result moves focus to the result, and a good result lists what was met, with sources", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(checkerUrl());
  await answer(page, base);
  await page.click('.checker button[type="submit"]');
  const heading = '[data-outcome="principal_eligible"] h2';
  assert.equal(await page.evaluate(() => document.activeElement.closest("[data-outcome]")?.dataset.outcome), "principal_eligible");
  assert.equal(await page.getAttribute(heading, "tabindex"), "-1");
  assert.equal(await inView(page, heading), true, "the result is on the screen");
  const met = await page.$$eval("[data-met]:not([hidden])", (items) => items.map((item) => item.dataset.met));
  const expected = guideEval("h1b", base);
  const all = await page.$$eval("[data-met]", (items) => items.map((item) => item.dataset.met));
  assert.deepEqual(expected.failed, []);
  assert.deepEqual(met, all, "every condition, each met");
  assert.ok(met.includes("permit_within_limit"));
  assert.equal(await page.isVisible(".checker-met"), true);
  assert.equal(await page.isVisible(".checker-failed"), false);
  assert.ok(await page.locator('[data-met="valid_h1b"] .checker-source a[href^="https://"]').count() === 1, "with its source");
  // A condition that holds only because its question was not asked is not listed as met.
  await page.check("#checker-h1b-role-spouse");
  assert.deepEqual((await shown(page)).outcomes, [guideEval("h1b", { ...base, role: "spouse", years_requested: undefined, issued_on: undefined }).outcome]);
  const metBySpouse = await page.$$eval("[data-met]:not([hidden])", (items) => items.map((item) => item.dataset.met));
  // Both read a question only the H-1B holder is asked.
  assert.deepEqual(metBySpouse, met.filter((id) => !["permit_within_limit", "passport_valid_at_issue"].includes(id)));
  await page.check("#checker-h1b-role-principal");
  // Bad news lists what was not met, and no "met" list.
  await page.check("#checker-h1b-visa_valid-no");
  assert.equal(await page.isVisible(".checker-met"), false);
  assert.equal(await page.isVisible('[data-criterion="valid_h1b"]'), true);
  await context.close();
});

test("answers live in the URL's fragment; a shared link restores them and shows the result", async () => {
  const page = await browser.newPage();
  await page.goto(checkerUrl());
  const answers = { ...base, years_requested: 5 };
  await answer(page, answers);
  const url = new URL(await address(page));
  assert.equal(url.search, "", "nothing in the query string, which reaches the host");
  assert.equal((await fragment(page)).get("years_requested"), "5");
  assert.equal((await fragment(page)).get("passport_expires_on"), "2031-01-01");
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const second = await context.newPage();
  const requested = [];
  second.on("request", (request) => requested.push(request.url()));
  await second.goto(url.href);
  assert.ok(requested.every((address) => !address.includes("years_requested")), "the answers never leave the browser");
  assert.equal(await second.inputValue("#checker-h1b-years_requested"), "5");
  assert.equal(await second.inputValue("#checker-h1b-passport_expires_on-year"), "2031");
  assert.equal(await second.isChecked("#checker-h1b-role-principal"), true);
  const outcome = guideEval("h1b", answers).outcome;
  assert.deepEqual((await shown(second)).outcomes, [outcome]);
  assert.equal(await inView(second, `[data-outcome="${outcome}"] h2`), true, "scrolled to the result");
  await page.close();
  await context.close();
});

test("an old link with answers in the query string still works, and they move to the fragment", async () => {
  const page = await browser.newPage();
  const query = new URLSearchParams({ ...base, visa_valid: "yes", lives_in_us: "yes", outside_canada: "yes" });
  await page.goto(checkerUrl() + "?" + query);
  assert.deepEqual((await shown(page)).outcomes, [guideEval("h1b", base).outcome]);
  assert.equal(await page.inputValue("#checker-h1b-applied_on-day"), "16");
  const url = new URL(await address(page));
  assert.equal(url.search, "", url.href);
  assert.equal((await fragment(page)).get("role"), "principal");
  assert.equal((await fragment(page)).get("applied_on"), "2023-07-16");
  await page.close();
});

test("an answer out of range in a shared link is named at once", async () => {
  const page = await browser.newPage();
  await page.goto(checkerUrl() + "#role=principal&years_requested=11");
  const wrong = await invalid(page, "years_requested");
  assert.ok((await summaryLinks(page)).some(([href, text]) => href === "#checker-h1b-years_requested" && text === wrong));
  assert.equal(await page.getAttribute("#checker-h1b-years_requested", "aria-invalid"), "true");
  await page.close();
});

test("a link with some answers names what is wrong with them, and asks for the rest only when the reader asks for the result", async () => {
  const page = await browser.newPage();
  await page.goto(checkerUrl() + "#applied_on=2023-07-16&years_requested=11");
  assert.deepEqual((await summaryLinks(page)).map(([href]) => href), ["#checker-h1b-years_requested"]);
  assert.equal(await page.isVisible("#checker-h1b-visa_valid-error"), false, "not yet asked for");
  await page.click('.checker button[type="submit"]');
  const asked = (await summaryLinks(page)).map(([href]) => href);
  assert.ok(asked.includes("#checker-h1b-role-principal") && asked.includes("#checker-h1b-years_requested"), asked.join(" "));
  // Back to the page without answers: the form as it first was, no error shown.
  await page.goto(checkerUrl());
  await page.goto(checkerUrl() + "#" + new URLSearchParams({ ...base, years_requested: 2 }));
  assert.equal(await page.inputValue("#checker-h1b-years_requested"), "2");
  await page.goBack();
  assert.equal(new URL(page.url()).hash, "");
  assert.equal(await page.inputValue("#checker-h1b-years_requested"), "");
  assert.equal(await page.isChecked("#checker-h1b-role-principal"), false);
  assert.deepEqual((await shown(page)).outcomes, []);
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  await page.close();
});

// The answers are written into the address a moment after they change. Back to the page
// without answers must leave its address (and the language toggle) without any: not today's
// date filled in by the form, nor the answers of the entry just left.
test("back to the page without answers, the address and the toggle stay without answers", async () => {
  const page = await browser.newPage();
  const toggle = () => page.locator('a.language-toggle[hreflang="fr"]').evaluate((link) => link.hash);
  const settled = () => page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.goto(checkerUrl());
    await page.goto(checkerUrl() + "#" + new URLSearchParams({ ...base, years_requested: 2 }));
    await page.goBack();
    await settled();
    assert.equal(new URL(page.url()).hash, "", `attempt ${attempt}: ${page.url()}`);
    assert.equal(await toggle(), "", `attempt ${attempt}`);
    assert.equal(await page.inputValue("#checker-h1b-years_requested"), "", `attempt ${attempt}`);
  }
  // Answers given after that are carried again.
  await answer(page, base);
  await page.waitForFunction(() => location.hash.includes("role=principal"));
  assert.match(await toggle(), /role=principal/);
  await page.close();
});

test("a year is kept as written through a link, and there is no year 0000", async () => {
  const page = await browser.newPage();
  await page.goto(checkerUrl());
  await answer(page, base);
  await page.fill("#checker-h1b-passport_expires_on-year", "0994");
  const link = await address(page);
  assert.equal(new URLSearchParams(new URL(link).hash.slice(1)).get("passport_expires_on"), "0994-01-01");
  const second = await browser.newPage();
  await second.goto(link);
  assert.equal(await second.inputValue("#checker-h1b-passport_expires_on-year"), "0994");
  assert.equal(await second.isVisible("#checker-h1b-passport_expires_on-error"), false);
  assert.deepEqual((await shown(second)).outcomes, [guideEval("h1b", { ...base, passport_expires_on: "0994-01-01" }).outcome]);
  await second.fill("#checker-h1b-passport_expires_on-year", "0000");
  assert.equal(await second.textContent("#checker-h1b-passport_expires_on-error [data-message]"), await invalid(second, "passport_expires_on"));
  assert.deepEqual((await shown(second)).outcomes, []);
  await page.close();
  await second.close();
});

test("the form works with the keyboard alone", async () => {
  const page = await browser.newPage();
  await page.goto(checkerUrl());
  await page.focus("#checker-h1b-role-principal");
  await page.keyboard.press("Space");
  assert.equal(await page.isChecked("#checker-h1b-role-principal"), true);
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.isChecked("#checker-h1b-role-spouse"), true, "arrow keys move within a radio group");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "checker-h1b-applied_on-day");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "checker-h1b-applied_on-month");
  await page.close();
});

test("without JavaScript the checklist stands in for the form", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(checkerUrl());
  assert.equal(await page.isVisible(".checker-form"), false);
  assert.equal(await page.isVisible(".checker-checklist"), true);
  const items = await page.locator(".checker-checklist li").count();
  assert.ok(items >= 5, `${items} criteria in the checklist`);
  assert.equal(await page.locator("[data-outcome]:visible").count(), 0);
  assert.equal(await page.textContent(".checker-checklist > p"), "To qualify, each of these had to be true:", "the stream has closed");
  // The form's markup still stands alone: a conditional question says when to answer it, and
  // a date is three plain fields.
  assert.match(await page.textContent("#checker-h1b-years_requested-condition"), /^Answer only if your answer to “Who are you in this application\?” is “I hold the H-1B visa”\.$/);
  assert.equal(await page.getAttribute("#checker-h1b-passport_expires_on-day", "type"), "text");
  await context.close();
});

test("a printed result shows the answers, the outcome and the failed conditions, not the controls", async () => {
  const page = await browser.newPage();
  await page.goto(checkerUrl());
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible('[role="status"]'), false, "no empty result region on paper");
  await page.emulateMedia({ media: "screen" });
  await answer(page, { ...base, passport_expires_on: "2020-01-01" });
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible('[data-outcome="not_eligible"]'), true);
  assert.equal(await page.isVisible('[data-criterion="passport_valid"]'), true);
  assert.equal(await page.isVisible(".checker-checklist"), true);
  assert.equal(await page.isVisible('label[for="checker-h1b-role-principal"]'), true, "the chosen option");
  assert.equal(await page.isVisible('label[for="checker-h1b-role-spouse"]'), false, "options not chosen");
  assert.equal(await page.isVisible("#checker-h1b-role-principal"), false, "radio buttons");
  assert.equal(await page.isVisible("#checker-h1b-years_requested"), true, "an input prints its value");
  assert.equal(await page.isVisible('.checker button[type="submit"]'), false);
  assert.equal(await page.locator(".checker-help:visible").count(), 0);
  await page.close();
});

test("on a phone every question is the same box, with its question inside the top border", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme });
    const page = await context.newPage();
    await page.goto(checkerUrl());
    const boxes = await page.$$eval(".checker-question", (nodes) => nodes.map((node) => {
      const title = node.querySelector(":scope > legend, :scope > label");
      const style = getComputedStyle(node);
      const box = node.getBoundingClientRect();
      const rect = title.getBoundingClientRect();
      return {
        tag: node.tagName.toLowerCase(),
        lines: Math.round(rect.height / parseFloat(getComputedStyle(title).lineHeight)),
        inset: Math.round(rect.top - box.top),
        look: [style.backgroundColor, style.borderTopWidth, style.borderTopStyle, style.borderTopColor, style.paddingTop].join(" "),
      };
    }));
    assert.ok(boxes.some((b) => b.tag === "fieldset" && b.lines >= 2), `a question wraps: ${JSON.stringify(boxes)}`);
    assert.ok(boxes.some((b) => b.tag === "div"), "questions with a label and an input");
    for (const b of boxes) {
      assert.equal(b.look, boxes[0].look, `${colorScheme}: ${JSON.stringify(boxes)}`);
      assert.equal(b.inset, boxes[0].inset, `${colorScheme}: ${JSON.stringify(boxes)}`);
      assert.ok(b.inset > 1, `${colorScheme}: the question starts below the border: ${JSON.stringify(boxes)}`);
    }
    await context.close();
  }
});

test("axe finds no accessibility violations on the checker page, answered or not", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(checkerUrl());
  assert.deepEqual(await axeViolations(page), []);
  await answer(page, { ...base, visa_valid: false });
  assert.deepEqual(await axeViolations(page), []);
  await page.fill("#checker-h1b-years_requested", "");
  await page.fill("#checker-h1b-passport_expires_on-month", "13");
  await page.click('.checker button[type="submit"]');
  assert.equal(await page.isVisible(".checker-error-summary"), true);
  assert.deepEqual(await axeViolations(page), [], "with errors shown");
  await answer(page, base);
  await page.click('.checker button[type="submit"]');
  assert.deepEqual(await axeViolations(page), [], "with good news");
  await context.close();
});

test("a question appears only for the answers that ask it, by keyboard, and stays out of the link", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(checkerUrl());
  const years = "#checker-h1b-years_requested";
  await page.focus("#checker-h1b-role-principal");
  await page.keyboard.press("Space");
  assert.equal(await page.isVisible(years), true, "asked of the H-1B holder");
  // Arrow keys move through a radio group, choosing as they go: principal → spouse.
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.isChecked("#checker-h1b-role-spouse"), true);
  assert.equal(await page.isVisible(years), false, "not asked of a spouse");
  assert.equal(await page.isDisabled(years), true, "a hidden question is not validated or sent");
  await answer(page, { ...base, role: "spouse" });
  const expected = guideEval("h1b", { ...base, role: "spouse", years_requested: undefined, issued_on: undefined });
  assert.deepEqual((await shown(page)).outcomes, [expected.outcome]);
  assert.equal((await fragment(page)).has("years_requested"), false, page.url());
  assert.equal((await fragment(page)).get("role"), "spouse", page.url());
  await page.focus("#checker-h1b-role-spouse");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.isChecked("#checker-h1b-role-principal"), true);
  assert.equal(await page.isVisible(years), true, "asked again once the holder is chosen");
  assert.deepEqual(errors, []);
  await page.close();
});

test("yes and no in a shared link may be written true and false", async () => {
  const page = await browser.newPage();
  const query = new URLSearchParams({ ...base, visa_valid: "true", lives_in_us: "false" });
  await page.goto(checkerUrl() + "?" + query);
  assert.equal(await page.isChecked("#checker-h1b-visa_valid-yes"), true);
  assert.equal(await page.isChecked("#checker-h1b-lives_in_us-no"), true);
  // A link into the fragment opened on the same page, which does not reload it.
  const other = new URLSearchParams({ ...base, visa_valid: "false", lives_in_us: "true" });
  other.delete("years_requested");
  await page.goto(checkerUrl() + "#" + other);
  assert.equal(await page.isChecked("#checker-h1b-visa_valid-no"), true);
  assert.equal(await page.isChecked("#checker-h1b-lives_in_us-yes"), true);
  assert.equal((await fragment(page)).get("visa_valid"), "no", "written back as the form writes it");
  assert.equal(await page.inputValue("#checker-h1b-years_requested"), "", "an answer the link leaves out is cleared");
  // and asked for: by the prompt at once, by name once the reader asks for the result.
  assert.equal(await page.isVisible(".checker-prompt"), true);
  assert.deepEqual((await shown(page)).outcomes, []);
  await page.click('.checker button[type="submit"]');
  assert.deepEqual((await summaryLinks(page)).map(([href]) => href), ["#checker-h1b-years_requested"], "named as missing");
  await page.close();
});

// Two checkers on one page share one page script, which sets each up once (twice, each
// answer would be evaluated twice), and each checker gives its own result.
test("two checkers on one page are each set up once", async () => {
  const { cpSync, mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const root = mkdtempSync(join(tmpdir(), "guide-two-checkers-"));
  for (const name of ["content", "themes", "site.toml"]) cpSync(join(REPO, name), join(root, name), { recursive: true });
  writeFileSync(join(root, "content/both.md"), "+++\ntitle = \"Both\"\ndescription = \"Both checkers.\"\n+++\n{{ checker(h1b) }}\n\n{{ checker(crs) }}\n");
  writeFileSync(join(root, "content/both.fr.md"), "+++\ntitle = \"Les deux\"\ndescription = \"Les deux outils.\"\n+++\n{{ checker(h1b) }}\n\n{{ checker(crs) }}\n");
  const site = await serve(buildSite({ root }));
  const page = await browser.newPage();
  try {
    const errors = watchErrors(page);
    // Counts the listeners each form gets for its answers: one set-up adds one.
    await page.addInitScript(() => {
      const listen = HTMLFormElement.prototype.addEventListener;
      globalThis.inputListeners = {};
      HTMLFormElement.prototype.addEventListener = function (type, ...rest) {
        if (type === "input") {
          const id = this.closest("[data-checker]")?.dataset.checker;
          globalThis.inputListeners[id] = (globalThis.inputListeners[id] || 0) + 1;
        }
        return listen.call(this, type, ...rest);
      };
    });
    await page.goto(new URL("both/", site.url).href);
    assert.deepEqual(await page.evaluate(() => globalThis.inputListeners), { h1b: 1, crs: 1 });
    await answer(page, base);
    await page.click('[data-checker="h1b"] button[type="submit"]');
    assert.deepEqual(
      await page.$$eval('[data-checker="h1b"] [data-outcome]:not([hidden])', (nodes) => nodes.map((node) => node.dataset.outcome)),
      [guideEval("h1b", base).outcome],
    );
    // The calculator below is set up too: asking for its result names what is missing.
    await page.click('[data-checker="crs"] button[type="submit"]');
    assert.ok(await page.isVisible('[data-checker="crs"] .checker-error-summary'));
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await site.close();
  }
});
