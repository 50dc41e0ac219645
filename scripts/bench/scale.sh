#!/usr/bin/env bash
# Builds the synthetic guide with the bundled theme, in two languages, search on, at growing
# sizes, and prints each build's wall time, peak memory and per-stage times: how time and
# memory grow with the pages.
#
#   scripts/bench/scale.sh                      # 1,000 to 50,000 pages a language
#   PAGES="50000" SEARCH=false scripts/bench/scale.sh
#
# PAGES counts the pages of one language (each has a French twin, so twice as many in all).
# Each site is gen-site.py's guide variant with `theme = "default"` and the bundled theme copied
# in; every build writes into a freshly removed folder under BENCH_DIR (RAM-backed by default).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD

PAGES=${PAGES:-"1000 10000 50000"}
SEARCH=${SEARCH:-true}
BENCH_DIR=${BENCH_DIR:-/dev/shm/guide-scale}

[ -x /usr/bin/time ] || { echo "error: needs /usr/bin/time (Debian's time)" >&2; exit 1; }

# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh
build_guide

mkdir -p "$BENCH_DIR"
echo "| pages in all | search | build | peak memory | stages |"
echo "|---:|---|---:|---:|---|"
for pages in $PAGES; do
  generated="$BENCH_DIR/gen-$pages"
  stamp="$generated/.generated"
  if [ ! -f "$stamp" ] || [ scripts/bench/gen-site.py -nt "$stamp" ]; then
    echo "== generating $pages pages × 2 languages" >&2
    python3 scripts/bench/gen-site.py --pages "$pages" --languages 2 --out "$generated" >&2
    touch "$stamp"
  fi
  site="$generated/guide"
  # The bundled theme in place of the minimal one, with the site's search setting.
  rm -rf "$site/themes/default"
  cp -r "$repo/themes/default" "$site/themes/default"
  sed -i -e '/^theme = /d' -e '/^search = /d' "$site/site.toml"
  sed -i "1i theme = \"default\"\nsearch = $SEARCH" "$site/site.toml"

  out="$BENCH_DIR/out"
  rm -rf "$out"
  log="$BENCH_DIR/time.log"
  /usr/bin/time -o "$log" -f "%e %M" \
    "$guide" build --root "$site" --output "$out" --timings >"$BENCH_DIR/last.out" 2>&1 \
    || { cat "$BENCH_DIR/last.out" >&2; exit 1; }
  read -r seconds kib <"$log"
  stages=$(grep '^stages:' "$BENCH_DIR/last.out" | sed 's/^stages: //')
  printf '| %s | %s | %s s | %s MiB | %s |\n' \
    "$((pages * 2))" "$SEARCH" "$seconds" "$((kib / 1024))" "$stages"
  rm -rf "$out"
done
