// Search, in every page's header and on the search page. The index is files of one call each,
// `__guideSearch(name, data)`, loaded with classic <script> elements (no fetch, no module, no
// WebAssembly), so it works from disk, under a subpath, whatever MIME type the host sends and
// under a strict CSP. Nothing is loaded before a search field is focused. A query is cut into
// words and folded as the build did (src/search/words.rs; both are held to
// tests/fixtures/search/words.json), each word is found by its form in the shard of its first
// two characters, which gives its stem and postings, and documents are ranked by BM25.
// Data only ever reaches the page through textContent.
(function () {
  'use strict';

  var MIN_CHARS = 2;
  var MAX_CHARS = 40;
  var K1 = 1.2;
  var B = 0.75;
  // How much a match counts besides a word's own form: a longer word the last word typed
  // begins, a word one edit away; and a fact's or a checker text's match against a page's.
  var PREFIX_WEIGHT = 0.3;
  var PREFIX_STEMS = 12;
  var TYPO_WEIGHT = 0.5;
  var NOT_A_PAGE = 0.6;

  var received = {};
  var waiting = {};
  window.__guideSearch = function (name, data) {
    received[name] = data;
    var callbacks = waiting[name];
    delete waiting[name];
    (callbacks || []).forEach(function (callback) { callback[0](data); });
  };

  function load(folder, name) {
    if (Object.prototype.hasOwnProperty.call(received, name)) {
      return Promise.resolve(received[name]);
    }
    return new Promise(function (resolve, reject) {
      if (waiting[name]) {
        waiting[name].push([resolve, reject]);
        return;
      }
      waiting[name] = [[resolve, reject]];
      var script = document.createElement('script');
      script.src = folder + name + '.js';
      script.async = true;
      script.onerror = function () {
        var callbacks = waiting[name] || [];
        delete waiting[name];
        script.remove();
        callbacks.forEach(function (callback) { callback[1](new Error(name)); });
      };
      document.head.appendChild(script);
    });
  }

  function fold(word) {
    return word.normalize('NFD').replace(/\p{M}/gu, '').replace(/œ/g, 'oe').replace(/æ/g, 'ae');
  }

  function length(text) {
    return Array.from(text).length;
  }

  // The words of `text`, as src/search/words.rs cuts them: each {form, start, end} (offsets in
  // the lowercased text), a hyphenated pair also giving its joined form.
  function words(text) {
    var lower = text.toLowerCase();
    var pattern = /[\p{L}\p{N}\p{M}]+/gu;
    var found = [];
    var previous = null;
    var match;
    while ((match = pattern.exec(lower))) {
      var form = fold(match[0]);
      var end = match.index + match[0].length;
      if (previous && previous.end + 1 === match.index &&
          (lower[previous.end] === '-' || lower[previous.end] === '\u2011')) {
        var joined = previous.form + form;
        var joinedLength = length(joined);
        if (joinedLength >= MIN_CHARS && joinedLength <= MAX_CHARS) {
          found.push({ form: joined, start: previous.start, end: end, joined: true });
        }
      }
      var count = length(form);
      if (count >= MIN_CHARS && count <= MAX_CHARS) {
        found.push({ form: form, start: match.index, end: end });
      }
      previous = { form: form, start: match.index, end: end };
    }
    return found;
  }

  function prefixOf(form) {
    return Array.from(form).slice(0, 2).join('');
  }

  // Whether `a` and `b` are one insertion, deletion, substitution or swap of two letters side
  // by side apart (`passprot` for `passport`: the typo hands make most).
  function oneEditApart(a, b) {
    if (a === b) return false;
    var la = a.length;
    var lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      var swapped = a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
      return swapped || a.slice(i + 1) === b.slice(i + 1);
    }
    if (la > lb) return a.slice(i + 1) === b.slice(i);
    return a.slice(i) === b.slice(i + 1);
  }

  // Postings are a string of numbers, five bits a character, lowest first, the upper half of
  // the alphabet saying more follow (src/search/index.rs, push_number): read on first use.
  var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT = new Int8Array(128).fill(-1);
  for (var d = 0; d < DIGITS.length; d++) DIGIT[DIGITS.charCodeAt(d)] = d;

  function postingsOf(shard, stem) {
    var read = shard.read || (shard.read = Object.create(null));
    if (stem in read) return read[stem];
    var text = shard.w[stem];
    var numbers = [];
    var number = 0;
    var scale = 1;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGIT[text.charCodeAt(i)];
      number += (digit & 31) * scale;
      if (digit >= 32) {
        scale *= 32;
      } else {
        numbers.push(number);
        number = 0;
        scale = 1;
      }
    }
    read[stem] = numbers;
    return numbers;
  }

  // How many documents a postings string holds: each ends two numbers (a gap and a count),
  // and each number ends with a digit from the lower half of the alphabet.
  function documentCount(text) {
    var ends = 0;
    for (var i = 0; i < text.length; i++) {
      if (DIGIT[text.charCodeAt(i)] < 32) ends++;
    }
    return ends / 2;
  }

  // Counted once per shard: each keystroke of a word weighs the same candidates again.
  function countOf(shard, stem) {
    var counts = shard.counts || (shard.counts = Object.create(null));
    if (!(stem in counts)) counts[stem] = documentCount(shard.w[stem]);
    return counts[stem];
  }

  function stemOf(shard, form) {
    if (Object.prototype.hasOwnProperty.call(shard.f, form)) return shard.f[form];
    if (Object.prototype.hasOwnProperty.call(shard.w, form)) return form;
    return null;
  }

  // Each stem a query word may mean, with how much a match counts: its own form fully, a
  // longer word it begins (the last word, still being typed) or a word one edit away less.
  function meanings(shard, word, isLast) {
    // No prototype: a stem may be any word, `constructor` too.
    var found = Object.create(null);
    var exact = stemOf(shard, word.form);
    if (exact !== null) found[exact] = 1;
    // Listed once per shard: each keystroke of a word reads the same shard again.
    var forms = shard.forms || (shard.forms = Object.keys(shard.f).concat(Object.keys(shard.w)));
    if (isLast) {
      // The words it begins that most documents hold, at most PREFIX_STEMS of them: two
      // letters begin hundreds of words.
      var longer = Object.create(null);
      for (var i = 0; i < forms.length; i++) {
        var candidate = forms[i];
        if (candidate.length > word.form.length && candidate.indexOf(word.form) === 0) {
          var stem = stemOf(shard, candidate);
          if (!(stem in found) && !(stem in longer)) longer[stem] = countOf(shard, stem);
        }
      }
      Object.keys(longer).sort(function (a, b) {
        return longer[b] - longer[a] || (a < b ? -1 : 1);
      }).slice(0, PREFIX_STEMS).forEach(function (stem) { found[stem] = PREFIX_WEIGHT; });
    }
    if (exact === null && length(word.form) >= 5) {
      forms.forEach(function (candidate) {
        if (oneEditApart(word.form, candidate)) {
          var stem = stemOf(shard, candidate);
          if (!(stem in found)) found[stem] = TYPO_WEIGHT;
        }
      });
    }
    return found;
  }

  // Each document's length, read back from its bucket once per manifest.
  function lengthsOf(manifest) {
    if (!manifest.sizes) {
      var alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
      manifest.sizes = Array.prototype.map.call(manifest.l, function (bucket) {
        return Math.pow(manifest.g, alphabet.indexOf(bucket)) - 1;
      });
    }
    return manifest.sizes;
  }

  function Index(folder, language) {
    this.folder = folder;
    this.language = language;
  }

  // The manifest, with every document's row (title, URL, section) from the rows files it
  // names, loaded with it: a list of results is shown at once, before any result file.
  Index.prototype.manifest = function () {
    var self = this;
    return load(this.folder, this.language + '/manifest').then(function (manifest) {
      if (manifest.d) return manifest;
      return Promise.all(manifest.r.map(function (hash) {
        return load(self.folder, self.language + '/' + hash);
      })).then(function (files) {
        if (!manifest.d) manifest.d = [].concat.apply([], files);
        return manifest;
      });
    });
  };

  Index.prototype.shard = function (manifest, form) {
    var hash = manifest.s[prefixOf(form)];
    if (!hash) return Promise.resolve(null);
    return load(this.folder, this.language + '/' + hash);
  };

  Index.prototype.fragment = function (id) {
    return load(this.folder, this.language + '/f/' + id);
  };

  // The best `limit` documents matching `query`, best first ([{id, score, matched}]), how many
  // pages match in all, and the stems matched with the shards they came from, to mark words in
  // snippets. Scores are kept in typed arrays by document id, and only the best `limit` are
  // sorted: a word on every page of a large site is tens of thousands of postings, each
  // keystroke.
  Index.prototype.search = function (query, limit) {
    var self = this;
    var typed = words(query);
    var lower = query.toLowerCase();
    return this.manifest().then(function (manifest) {
      var ends = lower.replace(/\p{P}+$/u, '').length;
      return Promise.all(typed.map(function (word) {
        return self.shard(manifest, word.form);
      })).then(function (shards) {
        var sizes = lengthsOf(manifest);
        var count = sizes.length;
        var scores = new Float64Array(count);
        var matched = new Uint16Array(count);
        var found = [];
        var stems = Object.create(null);
        typed.forEach(function (word, position) {
          var shard = shards[position];
          if (!shard) return;
          var isLast = !word.joined && word.end === ends && position === typed.length - 1;
          var meant = meanings(shard, word, isLast);
          // This word's best score in each document: one of its meanings counts, not all.
          var best = new Float64Array(count);
          var hit = [];
          Object.keys(meant).forEach(function (stem) {
            if (!Object.prototype.hasOwnProperty.call(shard.w, stem)) return;
            var postings = postingsOf(shard, stem);
            stems[stem] = true;
            var frequency = postings.length / 2;
            var idf = Math.log(1 + (manifest.n - frequency + 0.5) / (frequency + 0.5));
            var id = 0;
            for (var i = 0; i < postings.length; i += 2) {
              id += postings[i];
              var times = postings[i + 1];
              var weight = times * (K1 + 1) / (times + K1 * (1 - B + B * sizes[id] / manifest.a));
              var score = idf * weight * meant[stem];
              if (best[id] === 0) hit.push(id);
              if (best[id] < score) best[id] = score;
            }
          });
          for (var j = 0; j < hit.length; j++) {
            var id = hit[j];
            if (scores[id] === 0) found.push(id);
            scores[id] += best[id];
            if (!word.joined) matched[id]++;
          }
        });
        var kinds = manifest.k || '';
        var owners = manifest.o || {};
        // One result per page: a fact or a checker's text stands for the page it links to,
        // the best of them and the page itself.
        var better = function (a, b) {
          return a.matched - b.matched || a.score - b.score || b.id - a.id;
        };
        var pages = new Map();
        found.forEach(function (id) {
          var score = kinds[id] === 'p' ? scores[id] : scores[id] * NOT_A_PAGE;
          var document = { id: id, score: score, matched: matched[id] };
          var page = Object.prototype.hasOwnProperty.call(owners, id) ? owners[id] : id;
          var held = pages.get(page);
          if (!held || better(document, held) > 0) pages.set(page, document);
        });
        // The best `limit`, kept sorted as the pages go by.
        var top = [];
        pages.forEach(function (document) {
          if (top.length === limit && better(document, top[top.length - 1]) <= 0) return;
          var at = top.length;
          while (at > 0 && better(document, top[at - 1]) > 0) at--;
          top.splice(at, 0, document);
          if (top.length > limit) top.pop();
        });
        return { top: top, count: pages.size, stems: stems, shards: shards.filter(Boolean), manifest: manifest };
      });
    });
  };

  // The part of `text` around its first marked word, as [{text, mark}] pieces.
  function snippet(text, marked) {
    var found = words(text).filter(function (word) { return marked(word.form); });
    var lower = text.toLowerCase();
    if (lower.length !== text.length) return [{ text: wordsUpTo(text, 0, 200), mark: false }];
    var first = found.length ? found[0].start : 0;
    var start = Math.max(0, first - 80);
    var end = Math.min(text.length, start + 240);
    if (start > 0) start = text.indexOf(' ', start) + 1 || start;
    // Both ends fall between words.
    if (end < text.length) end = start + wordsUpTo(text, start, end - start).length;
    var pieces = [];
    if (start > 0) pieces.push({ text: '… ', mark: false });
    var at = start;
    found.forEach(function (word) {
      if (word.start < at || word.end > end) return;
      pieces.push({ text: text.slice(at, word.start), mark: false });
      pieces.push({ text: text.slice(word.start, word.end), mark: true });
      at = word.end;
    });
    pieces.push({ text: text.slice(at, end), mark: false });
    if (end < text.length) pieces.push({ text: ' …', mark: false });
    return pieces;
  }

  // The words of `text` from `start` that fit in `length` characters: cut at the last space
  // that fits, unless the first word alone is longer.
  function wordsUpTo(text, start, length) {
    var end = start + length;
    if (end >= text.length) return text.slice(start);
    var space = text.lastIndexOf(' ', end);
    return text.slice(start, space > start ? space : end);
  }

  function href(root, url) {
    var target = root + url;
    if (location.protocol === 'file:' && (target === '' || /\/$/.test(target))) {
      target += 'index.html';
    }
    return target;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function Box(form) {
    this.form = form;
    this.input = form.querySelector('input[type="search"]');
    this.panel = form.querySelector('.search-results');
    this.status = form.querySelector('.search-status');
    this.list = form.querySelector('.search-list');
    this.data = form.dataset;
    this.root = this.data.searchRoot || '';
    this.index = new Index(this.data.searchIndex, this.data.searchLanguage);
    this.limit = this.step = Number(this.data.searchLimit) || 8;
    // Below the list when it holds fewer results than were found: in the header, a link to the
    // search page with the query; on the search page, a button that shows more.
    this.all = form.querySelector('.search-all');
    this.more = form.querySelector('.search-more');
    this.sequence = 0;
    var self = this;
    if (this.more) this.more.addEventListener('click', function () { self.showMore(); });
    if (this.data.searchPage !== 'true') {
      // The header's results close, their query kept, when the reader moves on: by Tab out of
      // the form, or by pressing anywhere else on the page (a link pressed does not always
      // take focus, so a press, not a loss of focus, decides there).
      this.form.addEventListener('focusout', function (event) {
        if (event.relatedTarget && !self.form.contains(event.relatedTarget)) self.panel.hidden = true;
      });
      document.addEventListener('pointerdown', function (event) {
        if (!self.form.contains(event.target)) self.panel.hidden = true;
      });
    }
    this.input.addEventListener('focus', function () {
      self.index.manifest().catch(function () {});
      self.formats();
      // Back in the field (by Tab or a press) after the results closed: they open again, as
      // they were. Not when Escape itself brings focus back here, having closed them.
      if (!self.closing && self.input.value.trim() && self.status.textContent) {
        self.panel.hidden = false;
      }
    });
    this.input.addEventListener('input', function () {
      self.limit = self.step;
      self.run();
    });
    this.form.addEventListener('keydown', function (event) { self.key(event); });
    if (this.data.searchPage === 'true') {
      var query = new URLSearchParams(location.search).get('q');
      if (query) {
        this.input.value = query;
        this.run();
      }
      this.form.addEventListener('submit', function (event) {
        event.preventDefault();
        // The address names the query shown, to reload, bookmark or share.
        try {
          history.replaceState(null, '', '?q=' + encodeURIComponent(self.input.value));
        } catch (error) { /* a host that refuses it keeps the address it had */ }
        self.run();
      });
    }
  }

  // The page language's plural rules and number format, made when a field is first focused:
  // their locale data takes a browser tens of milliseconds to load, which neither a page
  // that is never searched nor the first keystroke should wait for.
  Box.prototype.formats = function () {
    if (!this.plurals) {
      var language = document.documentElement.lang || 'en';
      this.plurals = new Intl.PluralRules(language);
      this.numbers = new Intl.NumberFormat(language);
    }
    return this;
  };

  // Unchanged text is left alone, so that a screen reader does not announce it again (as after
  // "Show more results", which changes the list but not the count).
  Box.prototype.say = function (text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  };

  Box.prototype.run = function () {
    var self = this;
    var query = this.input.value;
    var sequence = ++this.sequence;
    if (!query.trim()) {
      this.list.replaceChildren();
      this.say('');
      this.offerMore(query, 0);
      this.panel.hidden = true;
      return Promise.resolve();
    }
    this.panel.hidden = false;
    // No word long enough to be indexed ("a", "!"; but "a-b" is "ab", and a word too long to
    // be indexed is a word not found): there is nothing to look up, and "check the spelling"
    // would not say why.
    var runs = query.toLowerCase().match(/[\p{L}\p{N}\p{M}]+/gu) || [];
    var tooShort = !words(query).length &&
      runs.every(function (run) { return length(fold(run)) < MIN_CHARS; });
    if (tooShort) {
      this.list.replaceChildren();
      this.offerMore(query, 0);
      this.say(this.data.searchShort);
      return Promise.resolve();
    }
    var failed = function () {
      if (sequence !== self.sequence) return;
      self.list.replaceChildren();
      self.offerMore(query, false);
      self.say(self.data.searchFailed);
    };
    return this.index.search(query, this.limit).then(function (result) {
      if (sequence !== self.sequence) return;
      var shown = result.top;
      // The rows came with the manifest: the list is shown at once, each snippet when its
      // document's text has arrived.
      var snippets = self.show(query, result, shown);
      shown.forEach(function (hit, position) {
        // A result file that cannot load leaves its row without a snippet; the list stands.
        self.index.fragment(hit.id).then(function (fragment) {
          if (sequence === self.sequence) self.fillSnippet(snippets[position], fragment.x, result);
        }, function () {});
      });
    }).catch(failed);
  };

  // Shows the rows of `shown`, and the count; returns each row's (empty) snippet element.
  Box.prototype.show = function (query, result, shown) {
    var self = this;
    var manifest = result.manifest;
    var snippets = [];
    var items = shown.map(function (hit) {
      var row = manifest.d[hit.id];
      var kind = manifest.k[hit.id];
      var item = document.createElement('li');
      var link = document.createElement('a');
      link.href = href(self.root, row[1]);
      link.textContent = row[0];
      var title = document.createElement('p');
      title.className = 'search-title';
      title.appendChild(link);
      item.appendChild(title);
      var where = [kind === 'p' ? '' : self.data['searchKind' + kind.toUpperCase()],
        manifest.e[row[2]]].filter(Boolean).join(' · ');
      if (where) {
        var meta = document.createElement('p');
        meta.className = 'search-meta';
        meta.textContent = where;
        item.appendChild(meta);
      }
      var text = document.createElement('p');
      text.className = 'search-snippet';
      item.appendChild(text);
      snippets.push(text);
      return item;
    });
    this.list.replaceChildren.apply(this.list, items);
    var count = result.count;
    this.offerMore(query, count);
    if (count === 0) {
      this.say(fill(this.data.searchNone, { query: query }));
    } else {
      var formats = this.formats();
      var template = formats.plurals.select(count) === 'one' ? this.data.searchOne : this.data.searchOther;
      this.say(fill(template, { n: formats.numbers.format(count), query: query }));
    }
    return snippets;
  };

  // Shows, or hides, the way to the results the list leaves out: the link's target is the
  // search page the form sends to, with the query.
  Box.prototype.offerMore = function (query, count) {
    var more = count > this.limit;
    if (this.all) {
      var link = this.all.querySelector('a');
      link.href = href('', this.form.getAttribute('action')) + '?q=' + encodeURIComponent(query);
      if (more) link.textContent = fill(this.data.searchAll, { n: this.formats().numbers.format(count) });
      this.all.hidden = !more;
    }
    if (this.more) this.more.hidden = !more;
  };

  // On the search page: as many more results again, focus on the first of them.
  Box.prototype.showMore = function () {
    if (this.showing) return;
    var self = this;
    var before = this.list.querySelectorAll('a').length;
    this.showing = true;
    this.limit += this.step;
    this.run().then(function () {
      self.showing = false;
      var links = self.list.querySelectorAll('a');
      // The button is hidden once every result is shown: focus goes to the first new one, or
      // back to the field should the run have failed.
      if (links[before]) links[before].focus();
      else self.input.focus();
    });
  };

  // Writes into `element` the part of `text` around the words `result` matched, marked.
  Box.prototype.fillSnippet = function (element, text, result) {
    var marked = function (form) {
      for (var i = 0; i < result.shards.length; i++) {
        var stem = stemOf(result.shards[i], form);
        if (stem !== null && result.stems[stem]) return true;
      }
      return false;
    };
    element.replaceChildren();
    snippet(text, marked).forEach(function (piece) {
      if (piece.mark) {
        var mark = document.createElement('mark');
        mark.textContent = piece.text;
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(piece.text));
      }
    });
  };

  Box.prototype.key = function (event) {
    var links = Array.prototype.slice.call(this.list.querySelectorAll('a'));
    // The link to every result follows the results, when it is shown.
    if (this.all && !this.all.hidden) links.push(this.all.querySelector('a'));
    var at = links.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' && links.length) {
      event.preventDefault();
      // Results closed with Escape, their query kept, open again at the first.
      this.panel.hidden = false;
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      if (at === 0) this.input.focus();
      else links[at - 1].focus();
    } else if (event.key === 'Escape' && this.data.searchPage !== 'true') {
      // From a result (or the link to them all), Escape closes the results and goes back to
      // the query as typed; from the field, it clears the query too.
      if (at >= 0) {
        event.preventDefault();
        this.panel.hidden = true;
        this.closing = true;
        this.input.focus();
        this.closing = false;
      } else if (!this.panel.hidden || this.input.value) {
        event.preventDefault();
        this.input.value = '';
        this.run();
        this.input.focus();
      }
    }
  };

  // For the tests: the same cutting and folding the page uses, and the snippet it would show
  // of `text` with the words of form `form` marked.
  window.__guideSearchWords = function (text) {
    return words(text).map(function (word) { return word.form; });
  };
  window.__guideSearchSnippet = function (text, form) {
    return snippet(text, function (candidate) { return candidate === form; })
      .map(function (piece) { return piece.text; }).join('');
  };

  function start() {
    var forms = document.querySelectorAll('form[data-search-index]');
    for (var i = 0; i < forms.length; i++) new Box(forms[i]);
    var hidden = document.querySelectorAll('[data-search-without-script]');
    for (var j = 0; j < hidden.length; j++) hidden[j].hidden = true;
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
