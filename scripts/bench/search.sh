#!/usr/bin/env bash
# Benchmarks guide's search against Pagefind: build time, index size, bytes and latency of a
# query in Chromium, and the quality of the results on the bundled guide.
#
#   scripts/bench/search.sh              # 5 runs of each build
#   RUNS=3 scripts/bench/search.sh
#
# Builds guide in release, generates the 10,000-page synthetic site with gen-site.py into a
# RAM-backed folder (BENCH_DIR, default /dev/shm/guide-bench-search) and a copy of it with
# `search = false`, then builds both, alternating, RUNS times each into a freshly removed
# output folder, and times Pagefind indexing the same HTML RUNS times. It then builds the
# bundled guide and runs Pagefind over it too, and hands everything to search.mjs, which
# measures sizes, bytes, latency and quality in Debian's Chromium (playwright-core) and prints
# a Markdown table, saved as BENCH_DIR/search.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/dev/shm/guide-bench-search}
PAGES=10000

[ -x /usr/bin/chromium ] || { echo "error: needs Debian's chromium at /usr/bin/chromium" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "error: needs python3" >&2; exit 1; }
# playwright-core and pagefind, pinned in package.json; never a browser download.
if [ ! -x node_modules/.bin/pagefind ] || [ ! -d node_modules/playwright-core ]; then
  echo "== installing the npm dev dependencies" >&2
  # install, not ci: ci would first delete node_modules, which browser tests may be using.
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --silent
fi
# The wrapper npx would run; called directly so its timing is not npx's start-up.
pagefind="$repo/node_modules/.bin/pagefind"

# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
build_guide

mkdir -p "$BENCH_DIR"
site="$BENCH_DIR/site"
stamp="$site/.generated"
if [ ! -f "$stamp" ] || [ scripts/bench/gen-site.py -nt "$stamp" ]; then
  echo "== generating $PAGES pages" >&2
  python3 scripts/bench/gen-site.py --pages "$PAGES" --languages 1 --out "$site"
  touch "$stamp"
fi
# The same site without search: `search` must come before any table, so it is prepended.
nosearch="$BENCH_DIR/site-nosearch"
if [ ! -f "$nosearch/.generated" ] || [ "$stamp" -nt "$nosearch/.generated" ]; then
  rm -rf "$nosearch"
  cp -r "$site/guide" "$nosearch"
  { echo "search = false"; cat "$site/guide/site.toml"; } >"$nosearch/site.toml"
  touch "$nosearch/.generated"
fi

times="$BENCH_DIR/times.tsv"
: >"$times"

# Runs a command once; appends "name seconds" (wall time, from bash's microsecond clock).
measure() {
  local name=$1
  shift
  local start=$EPOCHREALTIME
  if ! "$@" >"$BENCH_DIR/last.out" 2>&1; then
    echo "error: $name failed:" >&2
    cat "$BENCH_DIR/last.out" >&2
    exit 1
  fi
  local end=$EPOCHREALTIME
  printf '%s\t%s\n' "$name" "$(python3 -c "print($end - $start)")" >>"$times"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

out="$BENCH_DIR/out"
out_nosearch="$BENCH_DIR/out-nosearch"
echo "== $PAGES pages: $RUNS runs of guide with search and without" >&2
# One untimed build of each, so every timed run starts from warm caches.
rm -rf "$out" "$out_nosearch"
"$guide" build --root "$site/guide" --output "$out" >/dev/null
"$guide" build --root "$nosearch" --output "$out_nosearch" >/dev/null
for _ in $(seq "$RUNS"); do
  rm -rf "$out"
  measure guide-search "$guide" build --root "$site/guide" --output "$out"
  rm -rf "$out_nosearch"
  measure guide-nosearch "$guide" build --root "$nosearch" --output "$out_nosearch"
done
rm -rf "$out_nosearch"

# Pagefind over the HTML guide just wrote (search on: Pagefind reads only the .html files).
echo "== $PAGES pages: $RUNS runs of Pagefind" >&2
for _ in $(seq "$RUNS"); do
  rm -rf "$out/pagefind"
  measure pagefind "$pagefind" --site "$out" --output-subdir pagefind
done

echo "== the bundled guide, and Pagefind over it" >&2
bundled="$BENCH_DIR/bundled"
rm -rf "$bundled"
"$guide" build --root "$repo" --output "$bundled" >/dev/null
"$pagefind" --site "$bundled" --output-subdir pagefind >"$BENCH_DIR/last.out" 2>&1 \
  || { cat "$BENCH_DIR/last.out" >&2; exit 1; }

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== measuring in Chromium" >&2
export TIMES="$times" SYNTHETIC="$out" BUNDLED="$bundled" RUNS PAGES REPO="$repo"
export REPORT="$BENCH_DIR/search.md"
export MACHINE="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
export DATE="$(date -u +%Y-%m-%d)"
# The build is of the working tree: say so when it differs from the commit.
export COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- || echo ' with uncommitted changes')"
export PAGEFIND_VERSION="$("$pagefind" --version | cut -d' ' -f2)"
export LOAD_BEFORE="$load_before" LOAD_AFTER="$load_after"
# The synthetic pages' words, for the latency queries: gen-site.py's own list, read without
# running its main().
export VOCABULARY="$(python3 -c 'import runpy; print(" ".join(runpy.run_path("scripts/bench/gen-site.py")["WORDS"]))')"
node scripts/bench/search.mjs
