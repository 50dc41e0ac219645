#!/usr/bin/env python3
"""Writes a synthetic program guide of N pages for guide, Hugo and Zola.

    gen-site.py --pages 10000 --out /dev/shm/guide-bench/10000

writes OUT/guide (site.toml, content/, content/facts/, themes/bench/), OUT/hugo (hugo.toml,
content/, data/facts/, layouts/, assets/), OUT/hugo-literal and OUT/zola (config.toml, content/,
templates/, static/) from the same Markdown. Pages have TOML `+++` front matter, headings, lists,
a table, a footnote, internal links and fact references.

guide's `[text](@/s1/page-00042.md)` becomes a plain relative link for Hugo, and
`{{ fact(prog.cap_3) }}` a `{{< fact "prog.cap_3" >}}` shortcode that looks the value up in
data/facts/ (already formatted, so Hugo does no formatting work guide does itself); in
OUT/hugo-literal the facts' values are written in place, Hugo's fastest equivalent. OUT/zola
has the facts' values in place too (Zola has no facts) and keeps the `@/` links, which Zola
resolves itself; its sections sort their pages by weight, as guide and Hugo do.

The layout: a home page, SECTIONS top-level sections, each with SUBSECTIONS subsections; a
third of the pages sit directly in top-level sections, the rest in subsections. Output is the
same for the same arguments (seeded).

With `--languages 2` every content file also has a French twin (`page.fr.md`, `_index.fr.md`,
the same Markdown with French titles), published under /fr/ by every generator: guide's
`[languages.fr]`, Hugo's and Zola's `[languages.fr]` with translation by file name. Facts on
French pages are written as guide's French locale writes them ("10 000", "16 juillet 2023"), in
place for OUT/hugo-literal and OUT/zola and from data/facts (a `display_fr`) for the shortcode
variant, so every generator's French pages carry the same text. `--pages` counts the pages of
one language. `--search off` writes `search = false` into guide's site.toml (Hugo and Zola build
no search index here either).
"""

import argparse
import os
import random
import re
import shutil

SECTIONS = 5
SUBSECTIONS = 2
FACT_INTS = 60
FACT_DATES = 60
FACT_MONEY = 30
FACT_TEXT = 30
SOURCES = 12

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]

WORDS = (
    "applicant permit stream cap employer spouse partner child province city office record "
    "policy notice program status sector talent worker visa period application decision fee "
    "document proof offer letter income family study research startup founder investment "
    "pathway residence citizen border officer review extension renewal deadline schedule "
    "the a of to and in for on with that by from at as it its their this each any every "
    "must may could would should can will under over before after during within without"
).split()

HEADINGS = [
    "Who is eligible", "What you need", "How to apply", "Key dates", "Fees and costs",
    "After you apply", "Family members", "Common questions", "Where it applies",
    "What changed", "Processing times", "If you are refused",
]


def sentence(rng, words=None):
    count = words or rng.randint(8, 18)
    text = " ".join(rng.choice(WORDS) for _ in range(count))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, sentences=None):
    return " ".join(sentence(rng) for _ in range(sentences or rng.randint(2, 4)))


def group(n):
    return f"{n:,}"


def money(n):
    if n >= 1_000_000_000:
        return f"${n / 1e9:.1f} billion".replace(".0 ", " ")
    if n >= 1_000_000:
        return f"${n / 1e6:.1f} million".replace(".0 ", " ")
    return f"${group(n)}"


MOIS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
]


def group_fr(n):
    return f"{n:,}".replace(",", "\u00a0")


def money_fr(n):
    if n >= 1_000_000_000:
        amount, word = n / 1e9, "milliards"
    elif n >= 1_000_000:
        amount, word = n / 1e6, "millions"
    else:
        return f"{group_fr(n)}\u00a0$"
    number = f"{amount:.1f}".replace(".0", "").replace(".", ",")
    return f"{number} {word} de dollars"


def date_fr(y, m, d):
    return f"{'1er' if d == 1 else d} {MOIS[m - 1]} {y}"


class Facts:
    """The fact files for both generators, and the display strings guide computes."""

    def __init__(self, rng):
        self.names = []
        self.dates = []
        self.guide = {"prog": [], "dates": []}
        self.hugo = {"prog": {}, "dates": {}}
        for i in range(FACT_INTS):
            value = rng.randint(10, 2_000_000)
            self.add(rng, "prog", f"count_{i:03}", f"Count {i}", str(value), group(value), None,
                     french=group_fr(value))
        for i in range(FACT_MONEY):
            value = rng.randint(1, 900) * 1_000_000
            self.add(rng, "prog", f"budget_{i:03}", f"Budget {i}", str(value), money(value),
                     '"CAD"', french=money_fr(value))
        for i in range(FACT_TEXT):
            value = sentence(rng, 5)[:-1]
            self.add(rng, "prog", f"name_{i:03}", f"Name {i}", f'"{value}"', value, None)
        for i in range(FACT_DATES):
            y, m, d = rng.randint(2019, 2026), rng.randint(1, 12), rng.randint(1, 28)
            iso = f"{y:04}-{m:02}-{d:02}"
            long = f"{MONTHS[m - 1]} {d}, {y}"
            self.add(rng, "dates", f"day_{i:03}", f"Milestone {i}", iso, long, None, iso,
                     french=date_fr(y, m, d))
            self.dates.append(f"dates.day_{i:03}")

    def add(self, rng, namespace, name, label, toml_value, display, unit, iso=None, french=None):
        self.names.append(f"{namespace}.{name}")
        lines = [f"[{name}]", f'label = "{label}"', f"value = {toml_value}"]
        if unit:
            lines.append(f"unit = {unit}")
        lines.append(f'source = "source_{rng.randrange(SOURCES):02}"')
        lines.append("verified = 2026-01-15")
        self.guide[namespace].append("\n".join(lines))
        self.hugo[namespace][name] = (display, iso or display, french or display)


def page_markdown(rng, facts, targets, here, page_no):
    """The body of one page, with guide's links and fact references."""
    headings = rng.sample(HEADINGS, 5)
    fact = lambda: f"{{{{ fact({rng.choice(facts.names)}) }}}}"
    date_iso = lambda: f'{{{{ fact({rng.choice(facts.dates)}, "iso") }}}}'
    link = lambda text: f"[{text}](@/{rng.choice(targets)})"
    out = [
        f"{paragraph(rng)} The figure is {fact()}, as of {fact()}. See {link('the related page')}.",
        "",
        f"## {headings[0]}",
        "",
        paragraph(rng),
        "",
    ]
    for _ in range(4):
        out.append(f"- **{rng.choice(WORDS)}**: {sentence(rng)} ({fact()})")
    out += ["", f"### {headings[0]} in detail", "", paragraph(rng) + "[^1]", ""]
    for n in range(1, 4):
        out.append(f"{n}. {sentence(rng)} See {link('this')}.")
    out += ["", f"## {headings[1]}", "", paragraph(rng), ""]
    out += ["| Item | Value | Since |", "|---|---:|---|"]
    for _ in range(5):
        out.append(f"| {rng.choice(WORDS).title()} | {fact()} | {date_iso()} |")
    out += ["", f"## {headings[2]}", "", f"{paragraph(rng)} Use `form-{page_no}` for this.", ""]
    out += [f"- [ ] {sentence(rng, 6)}", f"- [x] {sentence(rng, 6)}", ""]
    out += [f"## {headings[3]}", "", paragraph(rng), "", f"> {sentence(rng)} ~~{rng.choice(WORDS)}~~", ""]
    out += [f"## {headings[4]}", "", paragraph(rng), ""]
    out += [f"See also {link('one page')}, {link('another')} and {link('a third')}.", ""]
    out += [f"[^1]: {sentence(rng)}", ""]
    return "\n".join(out)


def to_hugo(markdown, sources_by_page, here_url, facts=None, french=False):
    """Rewrites guide's `@/x.md` links and fact references for Hugo: facts become `fact`
    shortcodes, or with `facts` (namespace → name → (display, iso, French display)) their
    literal values. A French page (`french`, its url under fr/) links to French pages."""
    prefix = "fr/" if french else ""

    def link(match):
        target = match.group(1)
        url = sources_by_page[target]
        depth = len([s for s in (prefix + here_url).split("/") if s])
        return "](" + "../" * depth + prefix + url + ")"

    markdown = re.sub(r"\]\(@/([^)#]+)\)", link, markdown)
    if facts is not None:
        return literal_facts(markdown, facts, french)
    markdown = re.sub(r'\{\{ fact\(([\w.]+), "iso"\) \}\}', r'{{< fact "\1" "iso" >}}', markdown)
    markdown = re.sub(r"\{\{ fact\(([\w.]+)\) \}\}", r'{{< fact "\1" >}}', markdown)
    return markdown


def literal_facts(markdown, facts, french):
    """Writes the facts' values (namespace → name → (display, iso, French display)) in place of
    guide's fact references."""
    def value(match):
        namespace, name = match.group(1).split(".")
        display, iso, display_fr = facts[namespace][name]
        return iso if match.group(2) else (display_fr if french else display)

    return re.sub(r'\{\{ fact\(([\w.]+)(, "iso")?\) \}\}', value, markdown)


def to_zola(markdown, facts, french=False, section=False):
    """Rewrites guide's Markdown for Zola: the facts' values in place, and on a French page
    `@/x.md` links to the twin, `@/x.fr.md` (Zola links to the file named, whatever the page's
    language; guide and the Hugo variants link French pages to French pages). A section's front
    matter gets `sort_by = "weight"`: Zola's default leaves its pages unsorted."""
    if french:
        markdown = re.sub(r"\]\(@/([^)#]+)\.md\)", r"](@/\1.fr.md)", markdown)
    if section:
        markdown = markdown.replace("+++\n", '+++\nsort_by = "weight"\n', 1)
    return literal_facts(markdown, facts, french)


def front_matter(title, description, weight, date=None):
    lines = ["+++", f'title = "{title}"', f'description = "{description}"', f"weight = {weight}"]
    if date:
        lines.append(f"date = {date}")
    lines.append("+++")
    return "\n".join(lines) + "\n\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


GUIDE_BASE = """<!doctype html>
<html lang="{{ site.language }}">
<head>
<meta charset="utf-8">
<title>{% if page.title %}{{ page.title }} · {% endif %}{{ site.title }}</title>
<meta name="description" content="{{ page.description }}">
<link rel="canonical" href="{{ canonical }}">
<link rel="stylesheet" href="{{ root }}{{ assets["style.css"] }}">
</head>
<body>
<header><a href="{{ root }}">{{ site.title }}</a>
<nav><ul>
{%- for item in nav %}
<li><a href="{{ root }}{{ item.path }}"{% if item.path == page.path %} aria-current="page"{% endif %}>{{ item.title }}</a></li>
{%- endfor %}
</ul></nav>
</header>
<main>
{%- if breadcrumbs | length > 0 %}
<ol class="breadcrumbs">
{%- for crumb in breadcrumbs %}<li><a href="{{ root }}{{ crumb.path }}">{{ crumb.title }}</a></li>{% endfor %}
</ol>
{%- endif %}
<h1>{{ page.title }}</h1>
{%- if page.description %}<p class="lead">{{ page.description }}</p>{% endif %}
{% block content %}{% endblock content %}
</main>
<footer>{{ site.title }}</footer>
</body>
</html>
"""

GUIDE_PAGE = """{% extends "base.html" %}
{% block content %}
{%- if page.date %}<p><time datetime="{{ page.date }}">{{ page.date | human }}</time></p>{% endif %}
{%- if page.toc | length > 1 %}
<nav class="toc"><ol>
{%- for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a>
{%- if h.children | length > 0 %}<ol>{% for c in h.children %}<li><a href="#{{ c.id }}">{{ c.title }}</a></li>{% endfor %}</ol>{% endif %}</li>
{%- endfor %}
</ol></nav>
{%- endif %}
<article>{{ page.content | safe }}</article>
{% endblock content %}
"""

GUIDE_SECTION = """{% extends "base.html" %}
{% block content %}
<div>{{ section.content | safe }}</div>
<ul class="cards">
{%- for child in section.subsections %}
<li><a href="{{ root }}{{ child.path }}">{{ child.title }}</a>{% if child.description %}<p>{{ child.description }}</p>{% endif %}</li>
{%- endfor %}
{%- for child in section.pages %}
<li><a href="{{ root }}{{ child.path }}">{{ child.title }}</a>{% if child.date %} <time datetime="{{ child.date }}">{{ child.date | human }}</time>{% endif %}{% if child.description %}<p>{{ child.description }}</p>{% endif %}</li>
{%- endfor %}
</ul>
{% endblock content %}
"""

GUIDE_404 = """{% extends "base.html" %}
{% block content %}<p>Page not found. <a href="{{ root }}">Home</a></p>{% endblock content %}
"""

HUGO_BASE = """<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ .Description }}">
<link rel="canonical" href="{{ .Permalink }}">
{{- $css := resources.Get "style.css" | fingerprint }}
<link rel="stylesheet" href="{{ $css.RelPermalink }}">
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav><ul>
{{- $here := .RelPermalink }}
{{- range site.Home.Pages }}
<li><a href="{{ .RelPermalink }}"{{ if eq .RelPermalink $here }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{- end }}
</ul></nav>
</header>
<main>
{{- with .Ancestors }}
<ol class="breadcrumbs">
{{- range .Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ol>
{{- end }}
<h1>{{ .Title }}</h1>
{{- with .Description }}<p class="lead">{{ . }}</p>{{ end }}
{{ block "main" . }}{{ end }}
</main>
<footer>{{ site.Title }}</footer>
</body>
</html>
"""

HUGO_SINGLE = """{{ define "main" }}
{{- if not .Date.IsZero }}<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time></p>{{ end }}
{{- if gt (len .Fragments.Headings) 1 }}
{{ .TableOfContents }}
{{- end }}
<article>{{ .Content }}</article>
{{ end }}
"""

HUGO_LIST = """{{ define "main" }}
<div>{{ .Content }}</div>
<ul class="cards">
{{- range .Sections }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{- end }}
{{- range .RegularPages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ if not .Date.IsZero }} <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time>{{ end }}{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>
{{- end }}
</ul>
{{ end }}
"""

HUGO_404 = """{{ define "main" }}<p>Page not found. <a href="{{ site.Home.RelPermalink }}">Home</a></p>{{ end }}
"""

HUGO_FACT = """{{- $parts := split (.Get 0) "." -}}
{{- $fact := index site.Data.facts (index $parts 0) (index $parts 1) -}}
{{- if not $fact }}{{ errorf "unknown fact %s in %s" (.Get 0) .Page.File.Path }}{{ end -}}
{{- if eq (.Get 1) "iso" }}{{ $fact.iso }}{{ else if eq .Page.Language.Lang "fr" }}{{ $fact.display_fr }}{{ else }}{{ $fact.display }}{{ end -}}
"""

# Zola's equivalents (Tera, as guide's): a section's subsections, the home's top-level sections
# and a page's ancestors are file paths in Zola, so their titles and URLs come from
# `get_section`, as a Zola site gets them.
ZOLA_BASE = """<!doctype html>
{%- if page %}{% set current = page %}{% else %}{% set current = section %}{% endif %}
{%- set home = get_section(path="_index.md", lang=lang, metadata_only=true) %}
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{% if current.title %}{{ current.title }} · {% endif %}{{ config.title }}</title>
<meta name="description" content="{{ current.description }}">
<link rel="canonical" href="{{ current.permalink }}">
<link rel="stylesheet" href="{{ get_url(path="style.css", cachebust=true) }}">
</head>
<body>
<header><a href="{{ home.permalink }}">{{ config.title }}</a>
<nav><ul>
{%- for path in home.subsections %}{% set item = get_section(path=path, metadata_only=true) %}
<li><a href="{{ item.permalink }}"{% if item.permalink == current.permalink %} aria-current="page"{% endif %}>{{ item.title }}</a></li>
{%- endfor %}
</ul></nav>
</header>
<main>
{%- if current.ancestors | length > 0 %}
<ol class="breadcrumbs">
{%- for path in current.ancestors %}{% set crumb = get_section(path=path, metadata_only=true) %}<li><a href="{{ crumb.permalink }}">{{ crumb.title }}</a></li>{% endfor %}
</ol>
{%- endif %}
<h1>{{ current.title }}</h1>
{%- if current.description %}<p class="lead">{{ current.description }}</p>{% endif %}
{% block content %}{% endblock content %}
</main>
<footer>{{ config.title }}</footer>
</body>
</html>
"""

# guide's `human` filter: dates as the page's language writes them ("1er mai 2025" in French).
ZOLA_MACROS = """{% macro human(date, lang) %}
{%- if lang == "fr" %}{% set day = date | date(format="%-d") %}{% if day == "1" %}1er{% else %}{{ day }}{% endif %} {{ date | date(format="%B %Y", locale="fr_FR") }}
{%- else %}{{ date | date(format="%B %-d, %Y") }}{% endif %}
{%- endmacro human %}
"""

ZOLA_PAGE = """{% extends "base.html" %}
{% import "macros.html" as macros %}
{% block content %}
{%- if page.date %}<p><time datetime="{{ page.date }}">{{ macros::human(date=page.date, lang=lang) }}</time></p>{% endif %}
{%- if page.toc | length > 1 %}
<nav class="toc"><ol>
{%- for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a>
{%- if h.children | length > 0 %}<ol>{% for c in h.children %}<li><a href="#{{ c.id }}">{{ c.title }}</a></li>{% endfor %}</ol>{% endif %}</li>
{%- endfor %}
</ol></nav>
{%- endif %}
<article>{{ page.content | safe }}</article>
{% endblock content %}
"""

ZOLA_SECTION = """{% extends "base.html" %}
{% import "macros.html" as macros %}
{% block content %}
<div>{{ section.content | safe }}</div>
<ul class="cards">
{%- for path in section.subsections %}{% set child = get_section(path=path, metadata_only=true) %}
<li><a href="{{ child.permalink }}">{{ child.title }}</a>{% if child.description %}<p>{{ child.description }}</p>{% endif %}</li>
{%- endfor %}
{%- for child in section.pages %}
<li><a href="{{ child.permalink }}">{{ child.title }}</a>{% if child.date %} <time datetime="{{ child.date }}">{{ macros::human(date=child.date, lang=lang) }}</time>{% endif %}{% if child.description %}<p>{{ child.description }}</p>{% endif %}</li>
{%- endfor %}
</ul>
{% endblock content %}
"""

# The home page is a section, rendered with index.html.
ZOLA_INDEX = """{% extends "section.html" %}
"""

# Zola renders 404.html with neither a page nor a section, so it stands alone.
ZOLA_404 = """<!doctype html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{{ config.title }}</title></head>
<body><main><p>Page not found. <a href="{{ config.base_url }}">Home</a></p></main></body>
</html>
"""

CSS = "body{font:16px/1.5 system-ui;max-width:48rem;margin:auto}nav ul{display:flex;gap:1rem;list-style:none}\n"


def generate(pages, out, seed, languages=1, search=True):
    rng = random.Random(seed)
    guide_dir = os.path.join(out, "guide")
    hugo_dir = os.path.join(out, "hugo")
    zola_dir = os.path.join(out, "zola")
    for folder in (guide_dir, hugo_dir, zola_dir):
        if os.path.exists(folder):
            shutil.rmtree(folder)

    facts = Facts(rng)

    # Where every page goes: (source path, url path, title, weight).
    sections = []
    for s in range(SECTIONS):
        sections.append(f"s{s}")
        for sub in range(SUBSECTIONS):
            sections.append(f"s{s}/sub{sub}")
    sources = []
    for n in range(pages):
        if n % 3 == 0:
            folder = f"s{n // 3 % SECTIONS}"
        else:
            folder = f"s{n % SECTIONS}/sub{n // 3 % SUBSECTIONS}"
        sources.append((f"{folder}/page-{n:05}.md", f"{folder}/page-{n:05}/", n))
    url_of = {source: url for source, url, _ in sources}
    for section in sections:
        url_of[f"{section}/_index.md"] = f"{section}/"
    targets = [source for source, _, _ in sources]

    # Site settings, theme and facts.
    write(os.path.join(guide_dir, "site.toml"),
          'title = "Benchmark guide"\nbase_url = "https://example.org/bench/"\n'
          'language = "en"\ndescription = "A synthetic guide"\ntheme = "bench"\n'
          + ("" if search else "search = false\n")
          + ('\n[languages.fr]\ntitle = "Guide de référence"\ndescription = "Un guide synthétique"\n'
             if languages > 1 else ""))
    templates = os.path.join(guide_dir, "themes", "bench", "templates")
    write(os.path.join(templates, "base.html"), GUIDE_BASE)
    write(os.path.join(templates, "page.html"), GUIDE_PAGE)
    write(os.path.join(templates, "section.html"), GUIDE_SECTION)
    write(os.path.join(templates, "404.html"), GUIDE_404)
    write(os.path.join(guide_dir, "themes", "bench", "assets", "style.css"), CSS)
    facts_dir = os.path.join(guide_dir, "content", "facts")
    for namespace, tables in facts.guide.items():
        write(os.path.join(facts_dir, f"{namespace}.toml"), "\n\n".join(tables) + "\n")
    write(os.path.join(facts_dir, "sources.toml"), "\n".join(
        f'[source_{i:02}]\ntitle = "Source {i}"\nurl = "https://example.org/source/{i}"\n'
        for i in range(SOURCES)))

    write(os.path.join(hugo_dir, "hugo.toml"),
          'baseURL = "https://example.org/bench/"\nlanguageCode = "en"\n'
          'title = "Benchmark guide"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]\nbuildFuture = true\n'
          + ('defaultContentLanguage = "en"\n[languages.en]\nweight = 1\nlanguageCode = "en"\n'
             '[languages.fr]\nweight = 2\nlanguageCode = "fr"\ntitle = "Guide de référence"\n'
             if languages > 1 else "")
          + "[markup.goldmark.renderer]\nunsafe = true\n")
    layouts = os.path.join(hugo_dir, "layouts")
    write(os.path.join(layouts, "_default", "baseof.html"), HUGO_BASE)
    write(os.path.join(layouts, "_default", "single.html"), HUGO_SINGLE)
    write(os.path.join(layouts, "_default", "list.html"), HUGO_LIST)
    write(os.path.join(layouts, "404.html"), HUGO_404)
    write(os.path.join(layouts, "shortcodes", "fact.html"), HUGO_FACT)
    write(os.path.join(hugo_dir, "assets", "style.css"), CSS)
    for namespace, table in facts.hugo.items():
        lines = []
        for name, (display, iso, display_fr) in table.items():
            display = display.replace('"', '\\"')
            display_fr = display_fr.replace('"', '\\"')
            lines.append(f'[{name}]\ndisplay = "{display}"\niso = "{iso}"\n'
                         f'display_fr = "{display_fr}"\n')
        write(os.path.join(hugo_dir, "data", "facts", f"{namespace}.toml"), "\n".join(lines))

    # Zola: what Hugo's configuration turns off is off here too (feeds, taxonomies, sitemap,
    # robots.txt), and search, which Hugo has none of. Tables, footnotes, strikethrough and
    # task lists are always on in Zola's Markdown, and its footnotes (pulldown-cmark's, where
    # they are defined) are written as guide writes them.
    write(os.path.join(zola_dir, "config.toml"),
          'base_url = "https://example.org/bench/"\ntitle = "Benchmark guide"\n'
          'description = "A synthetic guide"\ndefault_language = "en"\n'
          "compile_sass = false\nbuild_search_index = false\ngenerate_feeds = false\n"
          "generate_sitemap = false\ngenerate_robots_txt = false\ntaxonomies = []\n"
          + ('\n[languages.fr]\ntitle = "Guide de référence"\ndescription = "Un guide synthétique"\n'
             if languages > 1 else ""))
    zola_templates = os.path.join(zola_dir, "templates")
    write(os.path.join(zola_templates, "base.html"), ZOLA_BASE)
    write(os.path.join(zola_templates, "macros.html"), ZOLA_MACROS)
    write(os.path.join(zola_templates, "page.html"), ZOLA_PAGE)
    write(os.path.join(zola_templates, "section.html"), ZOLA_SECTION)
    write(os.path.join(zola_templates, "index.html"), ZOLA_INDEX)
    write(os.path.join(zola_templates, "404.html"), ZOLA_404)
    write(os.path.join(zola_dir, "static", "style.css"), CSS)

    def one(source, url, text, french):
        write(os.path.join(guide_dir, "content", source), text)
        write(os.path.join(hugo_dir, "content", source), to_hugo(text, url_of, url, None, french))
        write(os.path.join(literal_dir, "content", source),
              to_hugo(text, url_of, url, facts.hugo, french))
        section = os.path.basename(source).startswith("_index.")
        write(os.path.join(zola_dir, "content", source),
              to_zola(text, facts.hugo, french, section))

    def both(source, url, text):
        one(source, url, text, False)
        if languages > 1:
            # The same page in French: its title marked, the body as it is (the work of
            # rendering it is the same), written under the twin's name.
            french = re.sub(r'^title = "(.*)"$', r'title = "\1 (FR)"', text, count=1, flags=re.M)
            one(source[:-3] + ".fr.md", url, french, True)

    # The same Hugo site with the facts' values written in place of the shortcodes.
    literal_dir = os.path.join(out, "hugo-literal")
    if os.path.exists(literal_dir):
        shutil.rmtree(literal_dir)
    shutil.copytree(hugo_dir, literal_dir)

    home = paragraph(rng) + f" The headline figure is {{{{ fact({facts.names[0]}) }}}}.\n"
    both("_index.md", "", front_matter("Benchmark guide", "A synthetic guide", 0) + home)
    for i, section in enumerate(sections):
        text = front_matter(f"Section {section}", sentence(rng, 8)[:-1], i) + paragraph(rng) + "\n"
        both(f"{section}/_index.md", f"{section}/", text)
    for source, url, n in sources:
        date = f"20{rng.randint(19, 26)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
        title = f"Topic {n}: {sentence(rng, 4)[:-1]}"
        text = front_matter(title, sentence(rng, 10)[:-1], n, date)
        text += page_markdown(rng, facts, targets, source, n)
        both(source, url, text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--languages", type=int, choices=(1, 2), default=1)
    parser.add_argument("--search", choices=("on", "off"), default="on",
                        help="guide's search index (on by default, as in guide itself)")
    args = parser.parse_args()
    generate(args.pages, args.out, args.seed, args.languages, args.search == "on")


if __name__ == "__main__":
    main()
