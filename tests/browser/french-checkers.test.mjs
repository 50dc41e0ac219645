// The bundled guide's two checkers in French, in a real browser: on a table of cases the French
// H-1B checker and the French score calculator give the same outcome, failed criteria and values
// as `guide eval` and as the English pages, with dates and numbers written the French way
// (« 1er septembre 2026 », « 10 000 » with a no-break space); the error summary and each
// question's message are in French; axe finds nothing on either page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { buildSite, serve, launch, guideEval, watchErrors, answer, axeViolations } from "./helpers.mjs";

let server, browser;
before(async () => {
  server = await serve(buildSite());
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const NBSP = "\u00a0";
const MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
  "octobre", "novembre", "décembre"];

/** A date as French pages write it: « 1er juillet 2023 », « 16 juillet 2023 ». */
function frenchDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return `${day === 1 ? "1er" : day} ${MONTHS_FR[month - 1]} ${year}`;
}
/** A whole number as French pages write it: groups of three digits, a no-break space between. */
const frenchNumber = (n) => String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, NBSP).replace(/^/, n < 0 ? "-" : "");
const englishDate = (iso) =>
  new Date(iso + "T00:00:00Z").toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
const formats = {
  fr: (value) => (typeof value === "string" ? frenchDate(value) : frenchNumber(value)),
  en: (value) => (typeof value === "string" ? englishDate(value) : value.toLocaleString("en-US")),
};

test("the French formats of this test are the ones the page is held to", () => {
  assert.equal(frenchDate("2026-09-01"), "1er septembre 2026");
  assert.equal(frenchDate("2023-07-16"), "16 juillet 2023");
  assert.equal(frenchNumber(10000), `10${NBSP}000`);
  assert.equal(frenchNumber(1200), `1${NBSP}200`);
  assert.equal(frenchNumber(857), "857");
  assert.equal(frenchNumber(-1), "-1");
});

async function shown(page) {
  return page.evaluate(() => {
    const visible = (selector) => [...document.querySelectorAll(selector)].filter((node) => !node.hidden);
    const outcome = visible("[data-outcome]");
    return {
      outcomes: outcome.map((node) => node.dataset.outcome),
      heading: outcome.map((node) => node.querySelector("h2").textContent).join(""),
      text: outcome.map((node) => node.textContent).join(""),
      failed: visible("[data-criterion]").map((node) => node.dataset.criterion).sort(),
      failedText: visible("[data-criterion]").map((node) => node.textContent).join(" "),
      values: Object.fromEntries(
        outcome.flatMap((node) => [...node.querySelectorAll("[data-value]")].map((span) => [span.dataset.value, span.textContent])),
      ),
    };
  });
}

// ---- The H-1B checker ----

const h1bPages = { en: "check/", fr: "fr/verifier-admissibilite/" };
const h1bBase = {
  role: "principal", applied_on: "2023-07-16", visa_valid: true, lives_in_us: true,
  outside_canada: true, years_requested: 3, issued_on: "2023-09-01", passport_expires_on: "2031-01-01",
};
// Each outcome, each criterion failing alone, and dates falling on the first of a month.
const h1bCases = [
  { answers: h1bBase, heading: "Vous remplissiez les conditions du volet", shows: ["1er septembre 2026"] },
  { answers: { ...h1bBase, issued_on: "2023-08-15", passport_expires_on: "2025-05-01" },
    heading: "Vous remplissiez les conditions du volet, mais votre passeport expire avant la fin du permis",
    shows: ["1er mai 2025", "15 août 2026"] },
  { answers: { ...h1bBase, applied_on: "2023-07-17" }, heading: "Le plafond a été atteint au cours de cette journée",
    shows: [`10${NBSP}000 demandes`, "17 juillet 2023", "27 septembre 2023"] },
  { answers: { ...h1bBase, applied_on: "2023-07-15" }, heading: "Le volet n’était pas encore ouvert à cette date",
    shows: ["16 juillet 2023"] },
  { answers: { ...h1bBase, applied_on: "2023-07-18" }, heading: "Ce volet a fermé le 17 juillet 2023",
    shows: [`plafond de 10${NBSP}000 demandes le 17 juillet 2023`, "27 septembre 2024"] },
  { answers: { ...h1bBase, applied_on: "2026-11-21", issued_on: "2026-12-01" }, heading: "Ce volet a fermé le 17 juillet 2023" },
  { answers: { ...h1bBase, visa_valid: false }, heading: "Les conditions n’étaient pas toutes remplies" },
  { answers: { ...h1bBase, lives_in_us: false }, heading: "Les conditions n’étaient pas toutes remplies" },
  { answers: { ...h1bBase, outside_canada: false }, heading: "Les conditions n’étaient pas toutes remplies" },
  { answers: { ...h1bBase, years_requested: 5 }, heading: "Les conditions n’étaient pas toutes remplies", shows: ["d’au plus 3 ans"] },
  { answers: { ...h1bBase, passport_expires_on: "2020-01-01" }, heading: "Les conditions n’étaient pas toutes remplies" },
  { answers: { ...h1bBase, role: "spouse" },
    heading: "Vous pouviez présenter une demande à titre d’époux ou de conjoint de fait du titulaire du visa H-1B",
    shows: ["27 septembre 2024", "autorisation de voyage électronique (AVE)"] },
  { answers: { ...h1bBase, role: "child" },
    heading: "Vous pouviez présenter une demande à titre d’enfant à charge du titulaire du visa H-1B",
    shows: ["âgés de 17 ans ou moins"] },
  { answers: { ...h1bBase, role: "child", visa_valid: false }, heading: "Les conditions n’étaient pas toutes remplies" },
  { answers: { ...h1bBase, applied_on: "2024-02-29", role: "spouse" }, heading: "Ce volet a fermé le 17 juillet 2023" },
];

test("the French H-1B checker gives guide eval's outcome, failed criteria and values, as the English page does", async () => {
  const pages = {};
  const errors = {};
  for (const language of ["fr", "en"]) {
    pages[language] = await browser.newPage();
    errors[language] = watchErrors(pages[language]);
    await pages[language].goto(new URL(h1bPages[language], server.url).href);
  }
  for (const { answers, heading, shows = [] } of h1bCases) {
    const expected = guideEval("h1b", answers);
    const context = JSON.stringify(answers);
    const got = {};
    for (const language of ["fr", "en"]) {
      await answer(pages[language], answers);
      got[language] = await shown(pages[language]);
      assert.deepEqual(got[language].outcomes, [expected.outcome], `${language} ${context}`);
      assert.deepEqual(got[language].failed, [...expected.failed].sort(), `${language} ${context}`);
      for (const [id, text] of Object.entries(got[language].values)) {
        assert.equal(text, formats[language](expected.values[id]), `${language} ${id} for ${context}`);
      }
    }
    assert.deepEqual(Object.keys(got.fr.values).sort(), Object.keys(got.en.values).sort(), context);
    assert.equal(got.fr.heading, heading, context);
    const french = got.fr.text + " " + got.fr.failedText;
    for (const words of shows) assert.ok(french.includes(words), `« ${words} » in ${french}`);
    // No English date or number grouping slipped into the French result.
    assert.doesNotMatch(french, /\b(January|February|March|April|May|June|July|August|September|October|November|December)\b/, context);
    assert.doesNotMatch(french, /\d,\d{3}/, context);
  }
  assert.deepEqual(errors, { fr: [], en: [] });
  for (const page of Object.values(pages)) await page.close();
});

test("the French H-1B checker's criteria read in French, with French dates and the cap in French digits", async () => {
  const page = await browser.newPage();
  await page.goto(new URL(h1bPages.fr, server.url).href);
  await answer(page, { ...h1bBase, applied_on: "2023-07-18" });
  const { failedText } = await shown(page);
  assert.ok(failedText.includes(
    `Le volet n’a accepté des demandes que du 16 juillet 2023 au 17 juillet 2023, jour où son plafond de 10${NBSP}000 demandes a été atteint.`,
  ), failedText);
  await page.close();
});

test("the French H-1B checker's error summary and messages are in French, and axe is clean", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(new URL(h1bPages.fr, server.url).href);
  assert.deepEqual(await axeViolations(page), []);
  await page.check("#checker-h1b-role-principal");
  await page.click('.checker button[type="submit"]');
  assert.equal(await page.textContent('.checker-error-summary [role="alert"] h2'), "Il y a un problème");
  const summary = await page.$$eval(".checker-error-summary:not([hidden]) a", (links) => links.map((link) => link.textContent));
  assert.deepEqual(summary, [
    "Indiquez si le titulaire avait un visa H-1B valide à cette date",
    "Indiquez si le titulaire du visa H-1B vivait aux États-Unis à cette date",
    "Indiquez si la demande a été envoyée depuis l’extérieur du Canada",
    "Inscrivez pour combien d’années vous avez demandé le permis",
    "Inscrivez la date de délivrance de votre permis, ou la date prévue",
    "Inscrivez la date d’expiration du passeport du titulaire du visa H-1B",
  ]);
  assert.equal(await page.textContent("#checker-h1b-years_requested-error [data-message]"),
    "Inscrivez pour combien d’années vous avez demandé le permis");
  assert.deepEqual(await axeViolations(page), []);
  // A number out of range, and a date with a part missing, in the theme's French wording.
  await page.fill("#checker-h1b-years_requested", "11");
  assert.equal(await page.textContent("#checker-h1b-years_requested-error [data-message]"),
    "La durée du permis doit être un nombre entier de 1 à 10");
  await page.fill("#checker-h1b-issued_on-day", "1");
  assert.equal(await page.textContent("#checker-h1b-issued_on-error [data-message]"),
    "La date de délivrance doit comprendre le mois et l’année");
  await page.fill("#checker-h1b-issued_on-month", "2");
  await page.fill("#checker-h1b-issued_on-year", "2023");
  await page.fill("#checker-h1b-issued_on-day", "30");
  assert.equal(await page.textContent("#checker-h1b-issued_on-error [data-message]"),
    "La date de délivrance doit être une date valide");
  // An issue date before the day of applying, in the rules' own French message.
  await answer(page, { ...h1bBase, issued_on: "2023-07-01" });
  assert.equal(await page.textContent("#checker-h1b-issued_on-error [data-message]"),
    "La date de délivrance doit être identique ou postérieure à la date à laquelle le titulaire du visa H-1B a présenté sa demande");
  await answer(page, h1bBase);
  assert.equal(await page.isVisible(".checker-error-summary"), false);
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});

// ---- The score calculator ----

const crsPages = { en: "routes/express-entry/score/", fr: "fr/voies/entree-express/note/" };
const crsBase = {
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
const crsCases = [
  crsBase,
  { ...crsBase, birth_date: "2009-12-01" },
  { ...crsBase, birth_date: "1996-12-01", ...spouse },
  { ...crsBase, birth_date: "1996-02-29", scored_on: "2026-02-28" },
  { ...crsBase, ...first(5), trade_certificate: true },
  { ...crsBase, ...first(7), education: "bachelors", canadian_work_years: 1, foreign_work_years: 1 },
  { ...crsBase, ...second(12), ...spouse },
  { ...crsBase, first_language: "french", ...first(8), ...second(5, 5, 4, 5) },
  { ...crsBase, ...second(7, 7, 6, 7) },
  { ...crsBase, job_offer: "teer_00", scored_on: "2025-03-24" },
  { ...crsBase, job_offer: "teer_00", scored_on: "2025-03-25" },
  { ...crsBase, nomination: true },
  { ...crsBase, nomination: true, sibling_in_canada: true, canadian_education: "three_or_more_years", ...second(7) },
  { ...crsBase, birth_date: "2000-01-01", education: "phd", ...first(12), ...second(12), canadian_work_years: 5, trade_certificate: true, nomination: true },
];

test("the French score calculator gives guide eval's score, part by part, as the English page does", async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  let thousands = 0;
  for (const answers of crsCases) {
    const expected = guideEval("crs", answers);
    const context = JSON.stringify(answers);
    const got = {};
    for (const language of ["fr", "en"]) {
      // A fresh load each time: a link that changes only the fragment restores answers a task later.
      await page.goto("about:blank");
      await page.goto(new URL(crsPages[language], server.url).href + "#" + new URLSearchParams(answers));
      got[language] = await shown(page);
      assert.deepEqual(got[language].outcomes, [expected.outcome], `${language} ${context}`);
      for (const id of ["total", "core", "spouse_factors", "transferability", "additional"]) {
        assert.ok(id in got[language].values, `the ${language} result shows ${id}`);
      }
      for (const [id, text] of Object.entries(got[language].values)) {
        assert.equal(text, formats[language](expected.values[id]), `${language} ${id} for ${context}`);
      }
    }
    assert.deepEqual(Object.keys(got.fr.values).sort(), Object.keys(got.en.values).sort(), context);
    assert.equal(got.fr.heading, `Votre note estimative${NBSP}: ${frenchNumber(expected.values.total)} points`, context);
    assert.ok(got.fr.text.includes(`A. Facteurs de base${NBSP}: ${frenchNumber(expected.values.core)}`), got.fr.text);
    assert.ok(got.fr.text.includes("et non d’une invitation à présenter une demande"), got.fr.text);
    if (expected.values.total >= 1000) {
      thousands += 1;
      assert.ok(got.fr.heading.includes(`1${NBSP}`), got.fr.heading);
    }
  }
  assert.ok(thousands >= 2, "scores of a thousand or more are among the cases");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the French score calculator asks in IRCC's words and explains its errors in French, and axe is clean", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const url = new URL(crsPages.fr, server.url).href;
  await page.goto(url);
  assert.deepEqual(await axeViolations(page), []);
  const legend = (id) => page.textContent(`[data-question="${id}"] legend, label[for="checker-crs-${id}"]`);
  assert.equal(await legend("spouse"), "Avez-vous un époux ou un conjoint de fait?");
  assert.equal(await legend("nomination"), "Avez-vous un certificat de désignation d’une province ou d’un territoire?");
  assert.equal(await legend("sibling_in_canada"),
    "Vous ou votre époux ou conjoint de fait, si cette personne vous accompagne au Canada, avez-vous un frère ou une sœur qui vit au Canada et qui est citoyen canadien ou résident permanent?");
  assert.equal(await page.textContent('label[for="checker-crs-job_offer-teer_00"]'),
    "Oui, dans la catégorie FEER 0 de la CNP, grand groupe 00 (cadres supérieurs)");
  assert.equal(await legend("first_reading"), `Première langue officielle${NBSP}: compréhension de l’écrit (niveau NCLC ou CLB)`);

  await page.goto("about:blank");
  await page.goto(url + "#" + new URLSearchParams({ ...crsBase, ...spouse }));
  assert.deepEqual(await axeViolations(page), []);
  const message = "#checker-crs-birth_date-error [data-message]";
  const field = (part) => `#checker-crs-birth_date-${part}`;
  await page.fill(field("year"), String(new Date().getFullYear() + 1));
  assert.equal(await page.textContent(message), "La date de naissance doit être aujourd’hui ou dans le passé");
  await page.fill(field("year"), "");
  await page.fill(field("day"), "");
  assert.equal(await page.textContent(message), "La date de naissance doit comprendre le jour et l’année");
  await page.fill(field("day"), "1");
  await page.fill(field("year"), "1997");
  await page.fill("#checker-crs-first_reading", "13");
  assert.equal(await page.textContent("#checker-crs-first_reading-error [data-message]"),
    "Votre niveau en compréhension de l’écrit dans votre première langue officielle doit être un nombre entier de 0 à 12");
  await page.fill("#checker-crs-first_reading", "");
  await page.click('.checker button[type="submit"]');
  assert.equal(await page.textContent('.checker-error-summary [role="alert"] h2'), "Il y a un problème");
  const summary = await page.$$eval(".checker-error-summary:not([hidden]) a", (links) => links.map((link) => link.textContent));
  assert.deepEqual(summary, [
    "Inscrivez votre niveau en compréhension de l’écrit dans votre première langue officielle, un niveau NCLC ou CLB de 0 à 12",
  ]);
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
