// A guide made by `guide init` works in a real browser as written: its checker gives the
// results its rules and worked examples say, and every page passes axe.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guide, buildSite, serve, launch, watchErrors, answer, axeViolations } from "./helpers.mjs";

let server, browser, root;
before(async () => {
  root = join(mkdtempSync(join(tmpdir(), "guide-init-")), "my-guide");
  const run = guide(["init", root, "--title", "My program guide"]);
  if (run.status !== 0) throw new Error(`guide init failed:\n${run.stderr}`);
  server = await serve(buildSite({ root }));
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

/** The outcomes shown and the criteria listed as not met. */
async function shown(page) {
  return page.evaluate(() => {
    const visible = (selector) => [...document.querySelectorAll(selector)].filter((node) => !node.hidden);
    return {
      outcomes: visible("[data-outcome]").map((node) => node.dataset.outcome),
      failed: visible("[data-criterion]").map((node) => node.dataset.criterion).sort(),
    };
  });
}

test("the new guide's checker gives the results of its worked examples", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(new URL("check/", server.url).href);
  const cases = [
    [{ age: 30, resident: true }, { outcomes: ["eligible"], failed: [] }],
    [{ age: 17, resident: true }, { outcomes: ["not_eligible"], failed: ["old_enough"] }],
    [{ age: 30, resident: false }, { outcomes: ["not_eligible"], failed: ["lives_there"] }],
  ];
  for (const [answers, expected] of cases) {
    await answer(page, answers, "eligibility");
    assert.deepEqual(await shown(page), expected, JSON.stringify(answers));
  }
  // Show my result moves focus to the result's heading.
  await answer(page, { age: 30, resident: true }, "eligibility");
  await page.click('.checker button[type="submit"]');
  assert.equal(await page.evaluate(() => document.activeElement.closest("[data-outcome]")?.dataset.outcome), "eligible");
  assert.equal(await page.textContent('[data-outcome="eligible"] h2'), "You can apply");
  assert.deepEqual(errors, []);
  await page.close();
});

test("every page of the new guide passes axe", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const path of ["", "program/", "program/who-can-apply/", "check/", "sources/", "no-such-page/"]) {
    await page.goto(new URL(path, server.url).href);
    assert.deepEqual(await axeViolations(page), [], path || "home");
  }
  // The checker with a result and its list of conditions showing.
  await page.goto(new URL("check/", server.url).href);
  await answer(page, { age: 17, resident: true }, "eligibility");
  await page.click('.checker button[type="submit"]');
  assert.deepEqual(await axeViolations(page), [], "check/ with a result");
  await context.close();
});
