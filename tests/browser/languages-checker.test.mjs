// One rules file, one module, two languages: on the bilingual fixture, the French page's
// checker gives the same outcome and failed criteria as `guide eval` for the same answers, in
// French words and with French dates, and so does the English page in English; axe is clean in
// both.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, buildSite, guide, serve, launch, watchErrors, answer, axeViolations } from "./helpers.mjs";

const FIXTURE = join(REPO, "tests/fixtures/bilingual");
let server, browser, output;
before(async () => {
  output = buildSite({ root: FIXTURE });
  server = await serve(output);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

function fixtureEval(answers) {
  const run = guide(["--root", FIXTURE, "eval", "permit", "--answers", "-"], JSON.stringify(answers));
  if (run.status !== 0) throw new Error(`guide eval failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

// Each case with the end of the permit as each language writes it.
const cases = [
  { answers: { role: "principal", applied_on: "2023-07-01", years_requested: 3 }, ends: { en: "July 1, 2026", fr: "1er juillet 2026" } },
  { answers: { role: "principal", applied_on: "2023-07-16", years_requested: 1 }, ends: { en: "July 16, 2024", fr: "16 juillet 2024" } },
  { answers: { role: "spouse", applied_on: "2023-07-10", years_requested: 2 } },
  { answers: { role: "principal", applied_on: "2023-08-01", years_requested: 1 } },
  { answers: { role: "spouse", applied_on: "2023-06-30", years_requested: 3 } },
];

const pages = { en: "stream/check/", fr: "fr/volet/verifier/" };

async function shown(page) {
  return page.evaluate(() => {
    const visible = (selector) => [...document.querySelectorAll(selector)].filter((node) => !node.hidden);
    const outcome = visible("[data-outcome]");
    return {
      outcomes: outcome.map((node) => node.dataset.outcome),
      heading: outcome.map((node) => node.querySelector("h2").textContent).join(""),
      text: outcome.map((node) => node.querySelector("p").textContent).join(""),
      failed: visible("[data-criterion]").map((node) => node.dataset.criterion).sort(),
      failedText: visible("[data-criterion]").map((node) => node.textContent),
      values: Object.fromEntries(
        outcome.flatMap((node) => [...node.querySelectorAll("[data-value]")].map((span) => [span.dataset.value, span.textContent])),
      ),
    };
  });
}

test("both pages embed the one module, each with its language's words and formats", () => {
  const en = readFileSync(join(output, pages.en, "index.html"), "utf8");
  const fr = readFileSync(join(output, pages.fr, "index.html"), "utf8");
  const modules = (html) => [...html.matchAll(/src="[./]*(checker-permit\.[0-9a-f]*\.js)"/g)].map((m) => m[1]);
  assert.equal(modules(en).length, 1);
  assert.deepEqual(modules(fr), modules(en));
  const scripts = readdirSync(output).filter((name) => name.startsWith("checker-permit"));
  assert.equal(scripts.length, 1, scripts.join(", "));
  assert.match(fr, /<html lang="fr"/);
  assert.match(fr, /<legend>Qui présentait la demande\?<\/legend>/);
  assert.match(fr, /<button type="submit">Afficher mon résultat<\/button>/);
  assert.match(en, /<button type="submit">Show my result<\/button>/);
  assert.doesNotMatch(fr, /Who was applying/);
});

for (const language of ["fr", "en"]) {
  test(`the ${language} checker gives guide eval's result in its own words`, async () => {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(new URL(pages[language], server.url).href);
    for (const { answers } of cases) {
      await answer(page, answers, "permit");
      const expected = fixtureEval(answers);
      const got = await shown(page);
      const context = `${language} ${JSON.stringify(answers)}`;
      assert.deepEqual(got.outcomes, [expected.outcome], context);
      assert.deepEqual(got.failed, [...expected.failed].sort(), context);
      const headings = expected.outcome === "eligible"
        ? { en: "You could get a permit", fr: "Vous pouviez obtenir un permis" }
        : { en: "You could not get a permit", fr: "Vous ne pouviez pas obtenir de permis" };
      assert.equal(got.heading, headings[language], context);
      const start = expected.outcome === "eligible"
        ? { en: "It would have ended on ", fr: "Il aurait pris fin le " }
        : { en: "The stream closed on ", fr: "Le volet a fermé le " };
      assert.ok(got.text.startsWith(start[language]), `${context}: ${got.text}`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`the ${language} checker writes dates in its language`, async () => {
    const page = await browser.newPage();
    await page.goto(new URL(pages[language], server.url).href);
    for (const { answers, ends } of cases) {
      await answer(page, answers, "permit");
      const expected = fixtureEval(answers);
      const got = await shown(page);
      const context = `${language} ${JSON.stringify(answers)}`;
      if (expected.outcome === "eligible") {
        assert.equal(got.values.permit_ends_on, ends[language], context);
        assert.equal(got.text, { en: `It would have ended on ${ends.en}.`, fr: `Il aurait pris fin le ${ends.fr}.` }[language]);
      } else {
        const closed = { en: "The stream closed on July 17, 2023.", fr: "Le volet a fermé le 17 juillet 2023." }[language];
        assert.equal(got.text, closed, context);
      }
      if (expected.failed.includes("applied_while_open")) {
        const window = {
          en: "The stream took applications from July 1, 2023 to July 17, 2023.",
          fr: "Le volet acceptait les demandes du 1er juillet 2023 au 17 juillet 2023.",
        }[language];
        assert.ok(got.failedText.some((text) => text.startsWith(window)), `${context}: ${got.failedText}`);
      }
    }
    await page.close();
  });

  test(`the ${language} checker's errors and result pass axe`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL(pages[language], server.url).href);
    await page.click(".checker button[type=submit]");
    const summary = await page.locator(".checker-error-summary li").allTextContents();
    const missing = { en: "Select an answer to “Who was applying?”", fr: "Choisissez une réponse à « Qui présentait la demande? »" }[language];
    assert.ok(summary.includes(missing.replaceAll(" « ", " «\u00a0").replaceAll(" »", "\u00a0»")), summary.join(" | "));
    assert.deepEqual(await axeViolations(page), []);
    await answer(page, cases[0].answers, "permit");
    assert.deepEqual(await axeViolations(page), []);
    await context.close();
  });
}

// The toggle leads to the same content in the other language (canada.ca's rule); on a checker
// page, the same content includes the answers, which the address's fragment holds.
test("the language toggle carries the checker's answers to the other language and back", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const [{ answers, ends }] = cases;
  await page.goto(new URL(pages.en, server.url).href);
  await answer(page, answers, "permit");
  await page.waitForFunction(() => location.hash.includes("years_requested="));
  await Promise.all([page.waitForNavigation(), page.click('a.language-toggle[hreflang="fr"]')]);
  assert.equal(new URL(page.url()).pathname, new URL(pages.fr, server.url).pathname);
  const french = await shown(page);
  assert.deepEqual(french.outcomes, [fixtureEval(answers).outcome]);
  assert.equal(french.values.permit_ends_on, ends.fr);
  // An answer changed in French goes back to English with the others.
  await page.fill("#checker-permit-years_requested", "1");
  await page.waitForFunction(() => location.hash.includes("years_requested=1"));
  await Promise.all([page.waitForNavigation(), page.click('a.language-toggle[hreflang="en"]')]);
  const english = await shown(page);
  assert.equal(english.values.permit_ends_on, "July 1, 2024");
  const toggleHash = () => page.locator('a.language-toggle[hreflang="fr"]').evaluate((link) => link.hash);
  assert.match(await toggleHash(), /years_requested=1/);
  // Back to the page without answers (the fragment emptied): the form is cleared, and the
  // toggle leads to the counterpart without answers.
  await page.evaluate(() => { location.hash = ""; });
  await page.waitForFunction(() => !document.querySelector("#checker-permit-years_requested").value);
  await page.waitForFunction(() => document.querySelector('a.language-toggle[hreflang="fr"]').hash === "");
  await Promise.all([page.waitForNavigation(), page.click('a.language-toggle[hreflang="fr"]')]);
  assert.equal(new URL(page.url()).hash, "");
  assert.deepEqual((await shown(page)).outcomes, []);
  await context.close();
  assert.deepEqual(errors, []);
});
