// Times one re-evaluation of a checker in Chromium: what the page does after an answer
// changes (read the form, ask the module which questions are asked, evaluate, show the
// result, schedule writing the answers into the address), over 1,000 changes, and prints the
// mean. The address itself is written in a task of its own, once for changes that come
// together, so it is not in the time.
//
//   cargo build --release && node scripts/bench/checker-eval.mjs [page] [runs]
//
// `page` is the page embedding the checker (default `check/`, the H-1B checker); `runs`
// defaults to 1,000. It builds the bundled guide with target/release/guide (or GUIDE_BIN),
// serves it on loopback and drives Debian's Chromium, as the browser tests do. Each change
// flips the first yes/no question and sends the `input` event the form listens to; the time is
// taken inside the page, around the event's handler (the script updates the page
// synchronously), so it leaves out layout and paint.
import { buildSite, serve, launch } from "../../tests/browser/helpers.mjs";

const path = process.argv[2] ?? "check/";
const runs = Number(process.argv[3] ?? 1000);
const server = await serve(buildSite());
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(new URL(path, server.url).href);
  // Chromium rounds performance.now() to 0.1 ms on a page that is not cross-origin isolated:
  // time batches of 100 changes and divide.
  const batches = await page.evaluate((runs) => {
    const form = document.querySelector(".checker-form");
    const yes = form.querySelector('input[type="radio"][value="yes"]');
    if (!yes) throw new Error("no yes/no question on the page");
    const no = form.querySelector(`input[name="${yes.name}"][value="no"]`);
    const change = (i) => {
      (i % 2 ? no : yes).checked = true;
      form.dispatchEvent(new Event("input", { bubbles: true }));
    };
    for (let i = 0; i < 100; i++) change(i); // warm-up
    const batches = [];
    for (let done = 0; done < runs; done += 100) {
      const start = performance.now();
      for (let i = 0; i < 100; i++) change(i);
      batches.push((performance.now() - start) / 100);
    }
    return batches;
  }, runs);
  batches.sort((a, b) => a - b);
  const mean = batches.reduce((a, b) => a + b, 0) / batches.length;
  const ms = (t) => `${t.toFixed(3)} ms`;
  console.log(`${path}: ${batches.length * 100} re-evaluations, ${batches.length} batches of 100: mean ${ms(mean)} each; batches from ${ms(batches[0])} to ${ms(batches.at(-1))} each`);
} finally {
  await browser.close();
  await server.close();
}
