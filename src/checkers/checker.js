// Eligibility checker: reads the form, runs the rules' WebAssembly module, shows the result.
// It only sets textContent, hidden, disabled and aria-invalid: nothing from data reaches
// innerHTML.
"use strict";
(() => {
  const DAY = 864e5;
  const monthDay = new Intl.DateTimeFormat("en-US", { month: "long", day: "numeric", timeZone: "UTC" });
  const show = (node, visible) => { if (node) node.hidden = !visible; };

  // Dates are days since 1970-01-01 in the proleptic Gregorian calendar, as in both engines.
  // An ISO date-time keeps the years 0-99 (Date.UTC reads them as 1900-1999); a day past its
  // month's end may roll into the next month, so the date must come back as it was written.
  const dayNumber = (iso) => {
    const days = Date.parse(iso + "T00:00Z") / DAY;
    return new Date(days * DAY).toJSON()?.slice(0, 10) === iso ? days : null;
  };
  // "July 16, 2023", as the build writes dates. Intl would write the year 0 (1 BC) as "1".
  const dateInWords = (days) => `${monthDay.format(days * DAY)}, ${new Date(days * DAY).getUTCFullYear()}`;
  const display = (type, n) =>
    type === "date" ? dateInWords(n) : type === "bool" ? (n ? "yes" : "no") : n.toLocaleString("en-US");
  const today = () => { const d = new Date(); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 10); };

  function encode(q, raw) {
    // The i32 the module expects for a question's form value, or null while unanswered.
    if (raw === "" || raw == null) return null;
    if (q.type === "bool") return raw === "yes" ? 1 : raw === "no" ? 0 : null;
    if (q.type === "choice") { const i = q.choices.indexOf(raw); return i < 0 ? null : i; }
    if (q.type === "date") return dayNumber(raw);
    const n = Number(raw);
    return Number.isInteger(n) && !(n < q.min) && !(n > q.max) ? n : null;
  }

  function allowed(q) {
    // What a question takes, to name it when an answer is given that it cannot take.
    if (q.type === "date") return "a full date";
    const { min, max } = q;
    return "a whole number" + (min == null ? (max == null ? "" : ` of ${max} or less`) : max == null ? ` of ${min} or more` : ` from ${min} to ${max}`);
  }

  function setUp(section) {
    const data = (globalThis.guideCheckers || {})[section.dataset.checker];
    const form = section.querySelector("form");
    if (!data || !form) return;
    const abi = data.abi;
    const bytes = Uint8Array.from(atob(data.wasm), (c) => c.charCodeAt(0));
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
    const field = (q) => form.elements.namedItem(q.id);
    const prompt = section.querySelector(".checker-prompt");
    const ask = prompt?.textContent;
    const params = new URLSearchParams(location.search);
    for (const q of abi.questions) {
      // Yes/no is written `yes` or `no` in the address, as the form does; `true` and `false`,
      // as `guide eval` takes them, mean the same.
      const written = params.get(q.id);
      const given = q.type === "bool" ? ({ true: "yes", false: "no" })[written] ?? written : written;
      if (given !== null) field(q).value = given;
      else if (q.default === "today") field(q).value = today();
    }

    const memory = () => new DataView(exports[abi.memory].buffer);
    const box = (q) => form.querySelector(`[name="${q.id}"]`)?.closest(".checker-question");

    // A question with a condition is shown only while the answers before it ask it: the module
    // decides, from what is answered so far (unanswered as 0). A hidden question is disabled,
    // so the browser neither checks it nor counts it, and the module sets its answer aside.
    function askedNow(answers) {
      if (!abi.questions.some((q) => q.asked != null)) return abi.questions.map(() => true);
      abi.questions.forEach((q, i) => memory().setInt32(q.offset, answers[i] ?? 0, true));
      exports[abi.evaluate]();
      return abi.questions.map((q) => q.asked == null || memory().getInt32(q.asked, true) === 1);
    }

    function update(remember) {
      const answers = abi.questions.map((q) => encode(q, field(q).value));
      const asked = askedNow(answers);
      abi.questions.forEach((q, i) => {
        const node = box(q);
        show(node, asked[i]);
        node?.querySelectorAll("input, select").forEach((input) => { input.disabled = !asked[i]; });
      });
      const complete = answers.every((a, i) => a !== null || !asked[i]);
      // An answer given but not allowed (out of range, not whole, half a date) is named, not
      // taken for a missing one. Radio groups cannot hold one.
      let invalid = null;
      abi.questions.forEach((q, i) => {
        const node = field(q);
        const wrong = asked[i] && answers[i] === null && !!(node.value || node.validity?.badInput);
        if (wrong) invalid ??= `Give ${allowed(q)} for: ${node.labels[0].textContent}`;
        node.ariaInvalid = wrong ? "true" : null;
      });
      if (remember) {
        const query = new URLSearchParams();
        abi.questions.forEach((q, i) => { if (asked[i] && field(q).value) query.set(q.id, field(q).value); });
        try { history.replaceState(null, "", "?" + query + location.hash); } catch (_) { /* file: may refuse */ }
      }
      if (prompt) prompt.textContent = invalid || ask;
      show(prompt, !complete);
      let outcome = null;
      if (complete) {
        abi.questions.forEach((q, i) => memory().setInt32(q.offset, answers[i] ?? 0, true));
        outcome = abi.outcomes[exports[abi.evaluate]()];
      }
      const read = (slot) => memory().getInt32(slot.offset, true);
      for (const node of section.querySelectorAll("[data-outcome]")) show(node, node.dataset.outcome === outcome);
      let failed = 0;
      for (const c of abi.criteria) {
        const failing = complete && read(c) === 0;
        failed += failing;
        show(section.querySelector(`[data-criterion="${c.id}"]`), failing);
      }
      show(section.querySelector(".checker-failed"), failed > 0);
      for (const v of abi.values) {
        const text = complete ? display(v.type, read(v)) : "";
        for (const node of section.querySelectorAll(`[data-value="${v.id}"]`)) node.textContent = text;
      }
    }

    form.hidden = false;
    form.addEventListener("input", () => update(true)); // radio buttons and date pickers too
    form.addEventListener("submit", (event) => { event.preventDefault(); update(true); });
    update(false);
  }

  // Node (the tests) has no document: hand out the calendar instead of setting up forms.
  if (!globalThis.document) return void (module.exports = { dayNumber, dateInWords }); // not shipped
  const start = () => document.querySelectorAll("[data-checker]").forEach(setUp);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
