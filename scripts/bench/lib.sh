# Shared by the benchmark scripts (sourced from the repository's root).

# Builds guide in release and sets `guide` to the binary, wherever cargo's target folder is.
build_guide() {
  echo "== building guide (release)" >&2
  cargo build --release --quiet -p guide
  local target_dir
  target_dir=$(cargo metadata --format-version 1 --no-deps \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  guide="$target_dir/release/guide"
}
