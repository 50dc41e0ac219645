// The checker in a real browser agrees with `guide eval`, works without JavaScript, restores
// shared answers from the URL, and passes axe.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { AxeBuilder } from "@axe-core/playwright";
import { buildSite, serve, launch, guideEval, watchErrors } from "./helpers.mjs";

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
  { ...base, applied_on: "2026-11-21" },
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
];

const checkerUrl = () => new URL("check/", server.url).href;

// Answers each question the page shows; a question the earlier answers do not ask is hidden
// and disabled, and its answer is left out, as `guide eval` sets it aside.
async function answer(page, answers) {
  for (const [id, value] of Object.entries(answers)) {
    const field = `#checker-h1b-${id}`;
    const first = typeof value === "boolean" ? `${field}-yes` : id === "role" ? `${field}-principal` : field;
    if (!(await page.isVisible(first))) continue;
    if (typeof value === "boolean") await page.check(`${field}-${value ? "yes" : "no"}`);
    else if (id === "role") await page.check(`${field}-${value}`);
    else await page.fill(field, String(value));
  }
}

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

test("an answer the question cannot take is named in the status, not taken for a missing one", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(checkerUrl());
  const prompt = page.locator('[role="status"] .checker-prompt');
  const years = "#checker-h1b-years_requested";
  const label = await page.textContent(`label[for="checker-h1b-years_requested"]`);
  assert.equal(await prompt.textContent(), "Answer every question to see your result.");
  await answer(page, { ...base, years_requested: 11 });
  assert.equal(await prompt.textContent(), `Give a whole number from 1 to 10 for: ${label}`);
  assert.equal(await prompt.isVisible(), true);
  assert.equal(await page.getAttribute(years, "aria-invalid"), "true");
  assert.deepEqual((await shown(page)).outcomes, []);
  await page.fill(years, "2.5");
  assert.equal(await prompt.textContent(), `Give a whole number from 1 to 10 for: ${label}`);
  await page.fill(years, "3");
  assert.equal(await page.getAttribute(years, "aria-invalid"), null);
  assert.equal(await prompt.isVisible(), false);
  assert.deepEqual((await shown(page)).outcomes, ["principal_eligible"]);
  await page.fill(years, "");
  assert.equal(await prompt.textContent(), "Answer every question to see your result.");
  assert.equal(await page.getAttribute(years, "aria-invalid"), null);
  // Half a date: the browser holds it back from the value (so it sends no input event) and
  // flags it as bad input, which the next answer brings to light.
  const passport = "#checker-h1b-passport_expires_on";
  await page.fill(passport, "");
  await page.focus(passport);
  await page.keyboard.type("07");
  await page.fill(years, "3");
  const passportLabel = await page.textContent(`label[for="checker-h1b-passport_expires_on"]`);
  assert.equal(await prompt.textContent(), `Give a full date for: ${passportLabel}`);
  assert.equal(await page.getAttribute(passport, "aria-invalid"), "true");
  assert.deepEqual(errors, []);
  await page.close();
});

test("an answer out of range in a shared URL is named too", async () => {
  const page = await browser.newPage();
  await page.goto(checkerUrl() + "?years_requested=11");
  assert.match(await page.textContent(".checker-prompt"), /^Give a whole number from 1 to 10 for: How many years/);
  assert.equal(await page.getAttribute("#checker-h1b-years_requested", "aria-invalid"), "true");
  await page.close();
});

test("a shared URL restores the answers and the result", async () => {
  const page = await browser.newPage();
  await page.goto(checkerUrl());
  const answers = { ...base, years_requested: 5 };
  await answer(page, answers);
  const url = page.url();
  assert.match(url, /years_requested=5/);
  const second = await browser.newPage();
  await second.goto(url);
  assert.equal(await second.inputValue("#checker-h1b-years_requested"), "5");
  assert.equal(await second.isChecked("#checker-h1b-role-principal"), true);
  assert.deepEqual((await shown(second)).outcomes, [guideEval("h1b", answers).outcome]);
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
  assert.equal(await page.evaluate(() => document.activeElement.id), "checker-h1b-applied_on");
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
  let results = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`), []);
  await answer(page, { ...base, visa_valid: false });
  results = await new AxeBuilder({ page }).analyze();
  assert.deepEqual(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`), []);
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
  assert.equal(new URL(page.url()).searchParams.has("years_requested"), false, page.url());
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
  await page.close();
});
