// Eligibility checker: reads the form, runs the rules' WebAssembly module, shows the result.
// It only sets textContent, hidden, disabled and aria- attributes, and adds list items and
// links it makes itself: nothing from data reaches innerHTML. Every word it shows is in the
// page already, written by the theme's template (strings.toml) in the page's language, and so
// is how that language writes dates, numbers and yes/no (`data-formats`, read off the build's
// own formats, so that the script writes a value as the build does).
"use strict";
(() => {
  const DAY = 864e5;
  const show = (node, visible) => { if (node) node.hidden = !visible; };

  // Dates are days since 1970-01-01 in the proleptic Gregorian calendar, as in both engines.
  // An ISO date-time keeps the years 0-99 (Date.UTC reads them as 1900-1999); a day past its
  // month's end may roll into the next month, so the date must come back as it was written.
  const dayNumber = (iso) => {
    const days = Date.parse(iso + "T00:00Z") / DAY;
    return new Date(days * DAY).toJSON()?.slice(0, 10) === iso ? days : null;
  };
  // "July 16, 2023" or "16 juillet 2023", as the build writes dates in the page's language
  // (`f`, its formats).
  const dateInWords = (days, f) => {
    const date = new Date(days * DAY), day = date.getUTCDate();
    const parts = { day: f.days[day] ?? day, month: f.months[date.getUTCMonth()], year: date.getUTCFullYear() };
    return f.date.replace(/\{(\w+)}/g, (_, part) => parts[part]);
  };
  // "10,000" or "10 000": groups of three digits from `group_from` digits on (a separator
  // holds no `$`, which a replacement string would read).
  const integer = (n, f) => {
    const digits = String(Math.abs(n));
    return (n < 0 ? f.minus : "") + (digits.length < f.group_from ? digits : digits.replace(/\B(?=(\d{3})+$)/g, f.group));
  };
  const display = (type, n, f) => (type === "date" ? dateInWords(n, f) : type === "bool" ? f[n ? "yes" : "no"] : integer(n, f));
  const today = () => { const d = new Date(); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 10); };

  function encode(q, raw) {
    // The i32 the module expects for a question's answer as the link writes it, or null while
    // unanswered or not an answer it can take.
    if (q.type === "bool") return raw === "yes" ? 1 : raw === "no" ? 0 : null;
    if (q.type === "choice") { const i = q.choices.indexOf(raw); return i < 0 ? null : i; }
    if (q.type === "date") return dayNumber(raw);
    const n = /^-?\d+$/.test(raw) ? Number(raw) : NaN;
    return Number.isInteger(n) && !(n < q.min) && !(n > q.max) ? n : null;
  }

  function setUp(section) {
    const data = globalThis.guideCheckers?.[section.dataset.checker];
    const form = section.querySelector("form");
    if (!data || !form) return;
    const abi = data.abi, questions = abi.questions;
    const formats = JSON.parse(section.dataset.formats);
    const bytes = Uint8Array.from(atob(data.wasm), (c) => c.charCodeAt(0));
    const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
    const memory = () => new DataView(exports[abi.memory].buffer);
    const named = (name) => form.elements.namedItem(name);
    const boxes = new Map(questions.map((q) => [q, form.querySelector(`[data-question="${q.id}"]`)]));
    const box = (q) => boxes.get(q);
    const parts = ["day", "month", "year"];
    const summary = section.querySelector(".checker-error-summary");
    const prompt = section.querySelector(".checker-prompt");

    // A question's answer as the link writes it: a date as 2023-07-16, a date that is not all
    // there as "?", nothing as "".
    function read(q) {
      if (q.type !== "date") return named(q.id)?.value.trim() ?? "";
      const [d, m, y] = parts.map((part) => named(`${q.id}-${part}`).value.trim());
      if (!(d + m + y)) return "";
      // A year in four digits: "94" is not read as the year 94; there is no year 0000. (Each
      // part is digits only, so the joined text has no other "-".)
      return /^\d\d?-\d\d?-\d{4}$/.test(`${d}-${m}-${y}`) && +y ? `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}` : "?";
    }
    function write(q, value) {
      if (q.type !== "date") return void (named(q.id).value = value);
      const ymd = /^(\d+)-(\d+)-(\d+)$/.exec(value);
      // The year as written (0994 stays 0994, as it was read); day and month without a 0.
      parts.forEach((part, i) => { named(`${q.id}-${part}`).value = !ymd ? "" : part === "year" ? ymd[1] : String(+ymd[3 - i]); });
    }

    // Answers come from the fragment (#role=principal&...), which browsers never send to the
    // host; a link from before kept them in the query string: read once, then moved.
    const search = new URLSearchParams(location.search);
    const fragment = () => { const hash = location.hash.slice(1); return hash.includes("=") && new URLSearchParams(hash); };
    // Whether `shared` held an answer (those it held in `given`); it fills every question, as
    // the link has it.
    function restore(shared) {
      given = new Set();
      for (const q of questions) {
        // Yes/no is written `yes` or `no`, as the form does; `true` and `false`, as `guide eval`
        // takes them, mean the same.
        const written = shared.get(q.id);
        const value = q.type === "bool" ? ({ true: "yes", false: "no" })[written] ?? written : written;
        search.delete(q.id);
        if (written !== null) { write(q, value); given.add(q); }
        else if (q.default === "today") write(q, today());
      }
      return given.size > 0;
    }
    // The questions the link in the address answered: a link's own answers are judged at once.
    let given;
    const restored = restore(fragment() || search);
    const rest = String(search);
    const address = location.pathname + (rest ? "?" + rest : "");
    // The page's links to itself in other languages (`<a rel="alternate" hreflang>`, the theme's
    // toggle) carry the answers too: the same questions, in another language's words.
    const counterparts = document.querySelectorAll('a[rel~="alternate"][hreflang]');
    const carry = (query) => counterparts.forEach((link) => { link.hash = query; });

    // The module's memory holds answers and results as 32-bit integers at the ABI's offsets.
    const int = (offset) => memory().getInt32(offset, true);
    // Evaluates the answers (unanswered as 0) and returns the outcome's number.
    function evaluate(answers) {
      questions.forEach((q, i) => memory().setInt32(q.offset, answers[i] ?? 0, true));
      return exports[abi.evaluate]();
    }
    // A question with a condition is shown only while the answers before it ask it: the module
    // decides, from what is answered so far (unanswered as 0). A hidden question is disabled,
    // and the module sets its answer aside.
    function askedNow(answers) {
      evaluate(answers);
      return questions.map((q) => q.asked == null || !!int(q.asked));
    }
    // An answer its question's condition refuses (a permit issued before the day of applying),
    // judged by that same evaluation once every question the judgement depends on (`reads`:
    // those it reads and those deciding whether they are asked) is answered or not asked.
    const reads = new Map(questions.map((q) => [q, (q.reads || []).map((id) => questions.findIndex((o) => o.id === id))]));
    const settled = (q, answers, asked) => reads.get(q).every((j) => answers[j] !== null || !asked[j]);
    const refused = (q, answers, asked) => q.valid != null && settled(q, answers, asked) && !int(q.valid);

    // A question's error: its message beside it, the fields it is about marked invalid (only the
    // missing part of a date), the fieldset or field described by it.
    function mark(node, message, fields) {
      const error = node.querySelector(".checker-error");
      error.querySelector("[data-message]").textContent = message;
      show(error, !!message);
      node.classList.toggle("checker-question-error", !!message);
      const described = node.matches("fieldset") ? node : node.querySelector("input");
      const ids = (described.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id !== error.id);
      if (message) ids.push(error.id);
      if (ids.length) described.setAttribute("aria-describedby", ids.join(" "));
      else described.removeAttribute("aria-describedby");
      node.querySelectorAll("input").forEach((input) => { input.ariaInvalid = message && fields.includes(input) ? "true" : null; });
    }

    // Errors are shown once the reader asks for the result, and then kept up to date as answers
    // change; a link with answers shows at once what is wrong with those it gives (GIVEN), and
    // asks for the others only once the reader asks for the result (ALL).
    const GIVEN = 1, ALL = 2;
    let checking = restored ? GIVEN : 0, writing;
    // The page's nodes never change after it loads: find each once, not on every answer.
    const inputs = new Map(questions.map((q) => [q, [...box(q).querySelectorAll("input")]]));
    const marked = new Map();
    const outcomeNodes = [...section.querySelectorAll("[data-outcome]")];
    const criterionNodes = abi.criteria.map((c) => ({
      met: section.querySelector(`[data-met="${c.id}"]`),
      failed: section.querySelector(`[data-criterion="${c.id}"]`),
    }));
    const valueNodes = abi.values.map((v) => [...section.querySelectorAll(`[data-value="${v.id}"]`)]);
    function update(remember) {
      const raws = questions.map(read);
      const answers = questions.map((q, i) => encode(q, raws[i]));
      const asked = askedNow(answers);
      const problems = [];
      questions.forEach((q, i) => {
        const node = box(q);
        show(node, asked[i]);
        inputs.get(q).forEach((input) => { input.disabled = !asked[i]; });
        // The message (the template wrote each in a data- attribute) and the fields it is about.
        // A date after today is no answer where the question refuses one (a date of birth); a
        // date with some parts empty names them, and marks only them.
        let key = answers[i] !== null ? "" : raws[i] ? "invalid" : "missing";
        if (node.dataset.future && answers[i] > dayNumber(today())) { key = "future"; answers[i] = null; }
        if (answers[i] !== null && refused(q, answers, asked)) { key = "refused"; answers[i] = null; }
        let fields = inputs.get(q);
        const empty = fields.filter((input) => !input.value.trim());
        if (raws[i] && empty.length) { fields = empty; key = "missing-" + empty.map((input) => input.dataset.part).join("-"); }
        else if (key === "invalid" && q.type === "date" && /^\d{1,3}$/.test(fields[2].value.trim())) { fields = [fields[2]]; key = "short-year"; }
        const shown = checking === ALL || (checking === GIVEN && (key !== "missing" || given.has(q)));
        const message = shown && asked[i] && key ? node.getAttribute("data-" + key) : "";
        // Each message is about its own fields, so the message alone says what is marked.
        if (marked.get(q) !== message) { mark(node, message, fields); marked.set(q, message); }
        if (message) problems.push([fields[0].id, message]);
      });
      summary.querySelector("ul").replaceChildren(...problems.map(([id, message]) => {
        const item = document.createElement("li");
        const link = item.appendChild(document.createElement("a"));
        link.href = "#" + id;
        link.textContent = message;
        return item;
      }));
      show(summary, problems.length > 0);
      if (remember) {
        const query = new URLSearchParams();
        questions.forEach((q, i) => { if (asked[i] && raws[i] && raws[i] !== "?") query.set(q.id, raws[i]); });
        // Writing the address costs more than the rest of an update: it waits for its own
        // task, once for changes that come together. Should the reader go Back meanwhile, the
        // answers are not written into the entry they return to.
        clearTimeout(writing);
        const entry = location.hash;
        writing = setTimeout(() => {
          if (location.hash !== entry) return;
          carry(query);
          try { history.replaceState(null, "", address + "#" + query); } catch (_) { /* file: may refuse */ }
        });
      }
      const complete = answers.every((a, i) => a !== null || !asked[i]);
      show(prompt, !complete);
      const outcome = complete ? abi.outcomes[evaluate(answers)] : null;
      let shown = null;
      for (const node of outcomeNodes) {
        show(node, node.dataset.outcome === outcome);
        if (node.dataset.outcome === outcome) shown = node;
      }
      // Good news lists the conditions met, leaving out those that hold only because a
      // question they read was not asked; bad news, those not met.
      const positive = shown?.dataset.tone === "positive";
      const unasked = new Set(questions.filter((q, i) => !asked[i]).map((q) => q.id));
      let met = 0, failed = 0;
      abi.criteria.forEach((c, i) => {
        const passed = complete && int(c.offset) !== 0;
        const item = criterionNodes[i].met;
        const listed = positive && passed && !(item?.dataset.reads || "").split(" ").some((id) => unasked.has(id));
        met += listed;
        failed += complete && !passed;
        show(item, listed);
        show(criterionNodes[i].failed, complete && !passed);
      });
      show(section.querySelector(".checker-met"), met > 0);
      show(section.querySelector(".checker-failed"), failed > 0);
      abi.values.forEach((v, i) => {
        const text = complete ? display(v.type, int(v.offset), formats) : "";
        for (const node of valueNodes[i]) if (node.textContent !== text) node.textContent = text;
      });
      return shown;
    }

    // A link in the error summary moves to its question without touching the address, whose
    // fragment holds the answers.
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a");
      if (!link) return;
      event.preventDefault();
      const input = document.getElementById(link.hash.slice(1));
      input.closest(".checker-question").scrollIntoView();
      input.focus({ preventScroll: true });
    });
    form.hidden = false;
    form.addEventListener("input", () => update(true));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      checking = ALL;
      const shown = update(true);
      // The summary's or the result's top in sight, not only the part focus would scroll to: a
      // long error list on a phone would otherwise open halfway down.
      const landing = shown || summary;
      (shown?.querySelector("h2") || summary).focus({ preventScroll: true });
      const top = landing.getBoundingClientRect().top;
      if (top < 0 || top > innerHeight / 2) landing.scrollIntoView();
    });
    // A link with answers opened on this very page changes only the fragment.
    const reopen = () => {
      const shown = update(true);
      (shown || summary).scrollIntoView();
    };
    addEventListener("hashchange", () => {
      const shared = fragment();
      if (shared) {
        form.reset();
        checking = restore(shared) ? GIVEN : 0;
        reopen();
      } else if (!location.hash) {
        // Back to the page without answers: the form as it first was.
        form.reset();
        restore(new URLSearchParams());
        checking = 0;
        // Not remembered: the address stays without answers (not even a date filled in with
        // today), and so do the links to other languages.
        clearTimeout(writing);
        carry("");
        update(false);
      }
    });
    if (restored) reopen();
    else update(false);
  }

  // Node (the tests) has no document: hand out the calendar instead of setting up forms.
  if (!globalThis.document) return void (module.exports = { dayNumber, dateInWords, integer }); // not shipped
  // The build writes this script's tag with `defer`, once, with a page's first checker
  // (`Embeds::checker`): deferred scripts all run before `DOMContentLoaded`, so by then every
  // checker's module has loaded, and so has the page.
  addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-checker]").forEach(setUp));
})();
