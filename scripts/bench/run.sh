#!/usr/bin/env bash
# Benchmarks `guide build` against Hugo (and Zola, when on PATH) on the same synthetic sites, and
# times the bundled guide.
#
#   scripts/bench/run.sh                 # 1,000 and 10,000 pages, 5 runs each, 1 and 2 languages
#   SIZES="1000" LANGUAGES="2" RUNS=3 scripts/bench/run.sh
#   SEARCH="on off" scripts/bench/run.sh  # also without guide's search index
#
# With 2 languages every page also has a French twin (SIZE pages per language, twice as many
# in all), built by guide with `[languages.fr]` and by Hugo and Zola as multilingual sites.
#
# Installs Debian's hugo and time when missing, builds guide in release, generates the sites
# with gen-site.py into a RAM-backed folder (BENCH_DIR, default /dev/shm/guide-bench), then
# for every size builds with guide, Hugo (fact values written in place), Hugo (fact
# shortcodes) and Zola (fact values in place), alternating, RUNS times each, each time into a
# freshly removed output folder. Zola is neither in Debian nor on crates.io, so it is only
# timed when a `zola` binary is on PATH; its columns show "–" otherwise. Prints a Markdown
# table of median wall times, the ratios to Hugo's faster variant and to Zola and peak memory
# (maximum resident set size), then guide's per-stage times, and saves it as
# BENCH_DIR/table.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

SIZES=${SIZES:-"1000 10000"}
LANGUAGES=${LANGUAGES:-"1 2"}
RUNS=${RUNS:-5}
# guide's search index, on by default as in guide itself; "off" sites are labelled so.
SEARCH=${SEARCH:-on}
BENCH_DIR=${BENCH_DIR:-/dev/shm/guide-bench}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  if ! DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
  fi
}

command -v hugo >/dev/null 2>&1 || { echo "== installing Debian's hugo" >&2; apt_install hugo; }
[ -x /usr/bin/time ] || { echo "== installing Debian's time" >&2; apt_install time; }
command -v python3 >/dev/null 2>&1 || { echo "== installing python3" >&2; apt_install python3; }
zola=$(command -v zola || true)

# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
build_guide

mkdir -p "$BENCH_DIR"
results="$BENCH_DIR/results.tsv"
timings="$BENCH_DIR/timings.txt"
: >"$results"
: >"$timings"

# Runs a command once under /usr/bin/time; appends "name size seconds kib" to the results.
measure() {
  local name=$1 size=$2
  shift 2
  local log="$BENCH_DIR/time.log"
  if ! /usr/bin/time -o "$log" -f "%e %M" "$@" >"$BENCH_DIR/last.out" 2>&1; then
    echo "error: $name failed on $size:" >&2
    cat "$BENCH_DIR/last.out" >&2
    exit 1
  fi
  read -r seconds kib <"$log"
  printf '%s\t%s\t%s\t%s\n' "$name" "$size" "$seconds" "$kib" >>"$results"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

for search in $SEARCH; do
for languages in $LANGUAGES; do
for pages in $SIZES; do
  # A size is the pages of one language: "10000" in one, "10000x2" in two, "10000x2-nosearch"
  # without guide's search index.
  size=$pages
  [ "$languages" = 1 ] || size="${pages}x$languages"
  [ "$search" = on ] || size="$size-nosearch"
  site="$BENCH_DIR/$size"
  stamp="$site/.generated"
  if [ ! -f "$stamp" ] || [ scripts/bench/gen-site.py -nt "$stamp" ]; then
    echo "== generating $size pages" >&2
    python3 scripts/bench/gen-site.py --pages "$pages" --languages "$languages" \
      --search "$search" --out "$site"
    touch "$stamp"
  fi
  out="$BENCH_DIR/out-$size"
  echo "== $size pages: $RUNS runs of guide, Hugo, Hugo with shortcodes${zola:+, Zola}" >&2
  # One untimed build of each, so every timed run starts from warm caches.
  rm -rf "$out/guide"
  "$guide" build --root "$site/guide" --output "$out/guide" >/dev/null
  hugo --quiet -s "$site/hugo-literal" -d "$out/hugo" >/dev/null
  hugo --quiet -s "$site/hugo" -d "$out/hugo-sc" >/dev/null
  # Zola refuses to build into a folder that is not empty (without --force), so it always
  # gets a freshly removed one. It reports its progress on stderr, which RUST_LOG quiets as
  # Hugo's --quiet does (errors still show).
  if [ -n "$zola" ]; then
    rm -rf "$out/zola"
    RUST_LOG=warn "$zola" --root "$site/zola" build --output-dir "$out/zola" >/dev/null
  fi
  for _ in $(seq "$RUNS"); do
    rm -rf "$out/guide"
    measure guide "$size" "$guide" build --root "$site/guide" --output "$out/guide"
    rm -rf "$out/hugo"
    measure hugo "$size" hugo --quiet -s "$site/hugo-literal" -d "$out/hugo"
    rm -rf "$out/hugo-sc"
    measure hugo-shortcodes "$size" hugo --quiet -s "$site/hugo" -d "$out/hugo-sc"
    if [ -n "$zola" ]; then
      rm -rf "$out/zola"
      measure zola "$size" "$zola" --root "$site/zola" build --output-dir "$out/zola"
    fi
  done
  # Rebuilds into the existing output (every file unchanged, so hard-linked).
  for _ in $(seq "$RUNS"); do
    measure guide-rebuild "$size" "$guide" build --root "$site/guide" --output "$out/guide"
  done
  {
    echo "$size pages, fresh output:"
    rm -rf "$out/guide"
    "$guide" build --root "$site/guide" --output "$out/guide" --timings
    echo "$size pages, rebuild:"
    "$guide" build --root "$site/guide" --output "$out/guide" --timings
  } >>"$timings"
  rm -rf "$out"
done
done
done

echo "== the bundled guide" >&2
bundled="$BENCH_DIR/out-bundled"
rm -rf "$bundled"
"$guide" build --root "$repo" --output "$bundled" >/dev/null
for _ in $(seq "$RUNS"); do
  rm -rf "$bundled"
  measure guide bundled "$guide" build --root "$repo" --output "$bundled"
done
{
  echo "bundled guide, fresh output:"
  rm -rf "$bundled"
  "$guide" build --root "$repo" --output "$bundled" --timings
} >>"$timings"
rm -rf "$bundled"

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
export RESULTS="$results" TIMINGS="$timings" RUNS
export MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(( $(grep MemTotal /proc/meminfo | awk '{print $2}') / 1024 / 1024 )) GiB"
export DATE="$(date -u +%Y-%m-%d)"
export HUGO_VERSION="$(hugo version | cut -d' ' -f2)"
export ZOLA_VERSION="$([ -z "$zola" ] || "$zola" --version | cut -d' ' -f2)"
export COMMIT="$(git rev-parse --short HEAD)"
export LOAD="$load_before → $load_after"

python3 - <<'EOF' | tee "$BENCH_DIR/table.md"
import os, statistics

rows = {}
for line in open(os.environ["RESULTS"]):
    name, size, seconds, kib = line.split("\t")
    rows.setdefault((name, size), []).append((float(seconds), int(kib)))

def median(name, size):
    runs = rows.get((name, size))
    if not runs:
        return None, None
    return statistics.median(s for s, _ in runs), max(k for _, k in runs) / 1024

def seconds(s):
    return "–" if s is None else (f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s")

def mib(m):
    return "–" if m is None else f"{m:.0f} MiB"

zola_version = f", Zola {os.environ['ZOLA_VERSION']}" if os.environ["ZOLA_VERSION"] else ", no Zola"
print(f"Machine: {os.environ['MACHINE']}; {os.environ['DATE']}; guide {os.environ['COMMIT']}, "
      f"Hugo {os.environ['HUGO_VERSION']}{zola_version}; median of {os.environ['RUNS']} runs; "
      f"load average before → after: {os.environ['LOAD']}.")
print()
print("| site | guide | Hugo | guide / Hugo | Zola | guide / Zola | Hugo, fact shortcodes "
      "| guide rebuild, nothing changed | guide peak memory | Hugo peak memory | Zola peak memory |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
def size_key(size):
    size, _, nosearch = size.partition("-")
    pages, _, languages = size.partition("x")
    return (bool(nosearch), int(languages or 1), int(pages))

def size_label(size):
    size, _, nosearch = size.partition("-")
    pages, _, languages = size.partition("x")
    label = f"{int(pages):,} pages"
    if languages:
        label += f" × {languages} languages"
    return label + (", search off" if nosearch else "")

sizes = sorted({size for _, size in rows if size != "bundled"}, key=size_key)
for size in sizes:
    guide, guide_mem = median("guide", size)
    hugo, hugo_mem = median("hugo", size)
    shortcodes, _ = median("hugo-shortcodes", size)
    rebuild, _ = median("guide-rebuild", size)
    zola, zola_mem = median("zola", size)
    ratio = f"{guide / hugo:.2f}" if guide and hugo else "–"
    zola_ratio = f"{guide / zola:.2f}" if guide and zola else "–"
    print(f"| {size_label(size)} | {seconds(guide)} | {seconds(hugo)} | {ratio} | "
          f"{seconds(zola)} | {zola_ratio} | {seconds(shortcodes)} | {seconds(rebuild)} | "
          f"{mib(guide_mem)} | {mib(hugo_mem)} | {mib(zola_mem)} |")
bundled, bundled_mem = median("guide", "bundled")
if bundled is not None:
    print(f"| bundled guide | {seconds(bundled)} | | | | | | | {mib(bundled_mem)} | | |")
print()
print("guide's stages (`guide build --timings`, one run):")
print()
print("```")
print(open(os.environ["TIMINGS"]).read().rstrip())
print("```")
EOF
